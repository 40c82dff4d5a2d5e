package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A change of address that protects the old one (C33), at the service: the notice, its revert
 * link, what the app gets back, the settings, secret rotation, events, and the optional double
 * confirmation. The store-level rules (single use under a race, another address, expiry, stored
 * only hashed, on every store) are in {@code CodeStoreContract}.
 */
class AddressChangeTest {
  private static final byte[] OLD_SECRET = "the previous secret of this test, 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECRET = "the current secret of this test, 32+ bytes!".getBytes(StandardCharsets.US_ASCII);
  private static final Instant T0 = Instant.parse("2026-12-06T14:30:00Z");
  private static final URI REVERT_PAGE = URI.create("https://app.example.com/account/revert");
  private static final Pattern LINK = Pattern.compile("https://app\\.example\\.com/account/revert\\?token=([A-Za-z0-9_-]{43})");

  private final MutableClock clock = MutableClock.at(T0);
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final CodeStore store = CodeStore.inMemory();
  private final List<VerificationEvent> events = new ArrayList<>();

  private VerificationCodeService.Builder builder() {
    return VerificationCodeService.builder().transport(outbox).store(store).clock(clock).secret(SECRET)
        .appName("Roamio").listener(events::add).revertLinkBaseUrl(REVERT_PAGE);
  }

  private String revertToken(String oldEmail) {
    Matcher m = LINK.matcher(outbox.latestTo(oldEmail).orElseThrow().text());
    assertThat(m.find()).as("the revert link in the notice's text part").isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("C33: the notice goes to the old address, says what changed (new address masked) and when, with the revert link; no code")
  void noticeGoesToTheOldAddress() {
    VerificationCodeService service = builder().build();
    SendResult result = service.notifyAddressChanged("Ann@Example.COM", "ann.new@example.org");

    SendResult.Sent sent = (SendResult.Sent) result;
    assertThat(sent.email().address()).isEqualTo("Ann@example.com");
    assertThat(sent.type()).isEqualTo(VerificationType.CHANGE_EMAIL);
    assertThat(sent.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
    assertThat(outbox.messages()).hasSize(1);
    EmailMessage notice = outbox.messages().get(0);
    assertThat(notice.to().address()).isEqualTo("Ann@example.com");
    assertThat(notice.code()).isNull();
    assertThat(notice.subject()).contains("changed").contains("Roamio");
    assertThat(notice.text()).contains("a***@example.org", "2026-12-06 14:30 UTC", "7 days")
        .doesNotContain("ann.new@example.org");
    assertThat(revertToken("ann@example.com")).hasSize(43);
    assertThat(outbox.messagesTo("ann.new@example.org")).isEmpty();
  }

  @Test
  @DisplayName("C33: the revert works once and gives the app both addresses and the time of the change")
  void revertWorksOnce() {
    VerificationCodeService service = builder().build();
    service.notifyAddressChanged("ann@example.com", "ann.new@example.org");
    String token = revertToken("ann@example.com");
    clock.advance(Duration.ofDays(2));

    Optional<AddressChange> change = service.revertAddressChange(token, "ann@example.com");
    assertThat(change).contains(new AddressChange("ann@example.com", "ann.new@example.org", T0));
    assertThat(change.orElseThrow().toString()).doesNotContain("ann@example.com").doesNotContain("ann.new@");
    assertThat(service.revertAddressChange(token, "ann@example.com")).isEmpty();
  }

  @Test
  @DisplayName("C33: a wrong old address gets nothing and leaves the link usable; so do a made-up token, a verification type's redeem, and an invalid address")
  void wrongOldAddressIsRefusedWithoutBurning() {
    VerificationCodeService service = builder().build();
    service.notifyAddressChanged("ann@example.com", "ann.new@example.org");
    String token = revertToken("ann@example.com");

    assertThat(service.revertAddressChange(token, "ann.new@example.org")).isEmpty();
    assertThat(service.revertAddressChange(token, "bob@example.com")).isEmpty();
    assertThat(service.revertAddressChange(token, "not an address")).isEmpty();
    assertThat(service.revertAddressChange("x".repeat(43), "ann@example.com")).isEmpty();
    assertThat(service.revertAddressChange("", "ann@example.com")).isEmpty();
    assertThat(service.redeem(token, VerificationType.CHANGE_EMAIL)).isEmpty();
    assertThat(service.verifyLink(token, VerificationType.CHANGE_EMAIL, null)).isInstanceOf(VerifyResult.NotFound.class);
    assertThat(service.revertAddressChange(token, "ann@example.com")).isPresent();
  }

  @Test
  @DisplayName("C33: after 7 days the revert link is refused; revertLinkValidity changes the 7 days")
  void revertIsRefusedAfterSevenDays() {
    VerificationCodeService service = builder().build();
    service.notifyAddressChanged("ann@example.com", "ann.new@example.org");
    String token = revertToken("ann@example.com");
    clock.advance(Duration.ofDays(7));
    assertThat(service.revertAddressChange(token, "ann@example.com")).isEmpty();

    VerificationCodeService shorter = builder().revertLinkValidity(Duration.ofDays(1)).build();
    SendResult.Sent sent = (SendResult.Sent) shorter.notifyAddressChanged("bob@example.com", "bob2@example.org");
    assertThat(sent.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
    assertThat(outbox.latestTo("bob@example.com").orElseThrow().text()).contains("1 day");
    String bob = revertToken("bob@example.com");
    clock.advance(Duration.ofDays(1).minusMillis(1));
    assertThat(shorter.revertAddressChange(bob, "bob@example.com")).isPresent();
  }

  @Test
  @DisplayName("C33, C14: a link sent before a secret rotation still reverts after it")
  void revertSurvivesSecretRotation() {
    VerificationCodeService before = VerificationCodeService.builder().transport(outbox).store(store).clock(clock)
        .secret(OLD_SECRET).revertLinkBaseUrl(REVERT_PAGE).build();
    before.notifyAddressChanged("ann@example.com", "ann.new@example.org");
    String token = revertToken("ann@example.com");
    VerificationCodeService after = VerificationCodeService.builder().transport(outbox).store(store).clock(clock)
        .secret(SECRET, OLD_SECRET).revertLinkBaseUrl(REVERT_PAGE).build();
    assertThat(after.revertAddressChange(token, "ann@example.com")).isPresent();
  }

  @Test
  @DisplayName("C33, C21: the revert page URL is required for a notice, must be https (http on localhost), and keeps its query")
  void revertLinkBaseUrlIsChecked() {
    VerificationCodeService none = VerificationCodeService.builder().transport(outbox).build();
    assertThatThrownBy(() -> none.notifyAddressChanged("ann@example.com", "ann.new@example.org"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("revertLinkBaseUrl");
    assertThat(outbox.messages()).isEmpty();
    for (String bad : List.of("/revert", "http://app.example.com/revert", "https://app.example.com/r#x")) {
      assertThatThrownBy(() -> VerificationCodeService.builder().revertLinkBaseUrl(URI.create(bad)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revertLinkBaseUrl");
    }
    assertThatThrownBy(() -> VerificationCodeService.builder().revertLinkValidity(Duration.ofMinutes(59)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revertLinkValidity");
    assertThatThrownBy(() -> VerificationCodeService.builder().revertLinkValidity(Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revertLinkValidity");

    VerificationCodeService withQuery = VerificationCodeService.builder().transport(outbox).clock(clock)
        .revertLinkBaseUrl(URI.create("http://localhost:8080/revert?lang=zh")).build();
    withQuery.notifyAddressChanged("ann@example.com", "ann.new@example.org", Locale.SIMPLIFIED_CHINESE);
    assertThat(outbox.latestTo("ann@example.com").orElseThrow().text())
        .containsPattern("http://localhost:8080/revert\\?lang=zh&token=[A-Za-z0-9_-]{43}")
        .contains("邮箱地址已于 2026-12-06 14:30 UTC");
  }

  @Test
  @DisplayName("C33, C18: an invalid old or new address is a typed result; nothing is stored or sent")
  void invalidAddressesAreTypedResults() {
    VerificationCodeService service = builder().build();
    assertThat(service.notifyAddressChanged("not an address", "ann.new@example.org"))
        .isInstanceOf(SendResult.InvalidAddress.class);
    SendResult.InvalidAddress badNew = (SendResult.InvalidAddress) service.notifyAddressChanged("ann@example.com",
        "ann\r\nBcc: x@example.com");
    assertThat(badNew.message()).startsWith("newEmail");
    assertThat(outbox.messages()).isEmpty();
    assertThat(((dev.mailverify.core.internal.InMemoryCodeStore) store).dump()).doesNotContain("ann@example.com");
  }

  @Test
  @DisplayName("C33, C25: a notice the transport refused is DeliveryFailed and its revert token is removed")
  void failedNoticeLeavesNoToken() {
    MailTransport failing = message -> {
      throw new DeliveryException(DeliveryException.Category.RECIPIENT_REJECTED, "550 no such user", null);
    };
    VerificationCodeService service = VerificationCodeService.builder().transport(failing).store(store).clock(clock)
        .secret(SECRET).revertLinkBaseUrl(REVERT_PAGE).build();
    SendResult result = service.notifyAddressChanged("gone@example.com", "ann.new@example.org");
    assertThat(result).isInstanceOf(SendResult.DeliveryFailed.class);
    assertThat(((dev.mailverify.core.internal.InMemoryCodeStore) store).dump()).doesNotContain("gone@example.com");
  }

  @Test
  @DisplayName("C33, C17: the notice and the revert are audited as a CHANGE_EMAIL send to the old address and a redeem")
  void noticeAndRevertAreEvents() {
    VerificationCodeService service = builder().build();
    service.notifyAddressChanged("ann@example.com", "ann.new@example.org");
    service.revertAddressChange(revertToken("ann@example.com"), "bob@example.com");
    service.revertAddressChange(revertToken("ann@example.com"), "ann@example.com");
    assertThat(events).extracting(VerificationEvent::action, VerificationEvent::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple(VerificationEvent.Action.SEND, VerificationEvent.Outcome.SENT),
        org.assertj.core.groups.Tuple.tuple(VerificationEvent.Action.REDEEM, VerificationEvent.Outcome.REDEEM_FAILED),
        org.assertj.core.groups.Tuple.tuple(VerificationEvent.Action.REDEEM, VerificationEvent.Outcome.REDEEMED));
    assertThat(events).allSatisfy(e -> assertThat(e.type()).isEqualTo(VerificationType.CHANGE_EMAIL));
    assertThat(events.toString()).doesNotContain(revertToken("ann@example.com"));
  }

  @Test
  @DisplayName("C33: double confirmation - the old address approves first (APPROVE_EMAIL_CHANGE), then the new one is verified, then the old one is told")
  void doubleConfirmation() {
    VerificationCodeService service = builder().build();
    String current = "ann@example.com";
    String wanted = "ann.new@example.org";

    // 1. the old address approves: its own type, so a code for it never passes as CHANGE_EMAIL
    assertThat(service.sendVerificationCode(current, VerificationType.APPROVE_EMAIL_CHANGE, Duration.ofMinutes(10))
        .isSent()).isTrue();
    assertThat(outbox.latestTo(current).orElseThrow().text()).contains("approve changing the e-mail address");
    String approvalCode = outbox.latestCode(current).orElseThrow();
    assertThat(service.verifyCode(current, VerificationType.CHANGE_EMAIL, approvalCode))
        .isInstanceOf(VerifyResult.NotFound.class);
    VerifyResult.Verified approved = (VerifyResult.Verified) service.verifyCode(current,
        VerificationType.APPROVE_EMAIL_CHANGE, approvalCode);
    assertThat(service.redeem(approved.token(), VerificationType.APPROVE_EMAIL_CHANGE, current)).isPresent();

    // 2. the new address proves it is read
    service.sendVerificationCode(wanted, VerificationType.CHANGE_EMAIL, Duration.ofMinutes(10));
    VerifyResult.Verified proven = (VerifyResult.Verified) service.verifyCode(wanted, VerificationType.CHANGE_EMAIL,
        outbox.latestCode(wanted).orElseThrow());
    assertThat(service.redeem(proven.token(), VerificationType.CHANGE_EMAIL, wanted)).isPresent();

    // 3. the app changes the address and tells the old one, which can still undo it
    assertThat(service.notifyAddressChanged(current, wanted).isSent()).isTrue();
    assertThat(service.revertAddressChange(revertToken(current), current))
        .contains(new AddressChange(current, wanted, T0));
  }
}
