package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The same-device option of the link beside the code (C32): a link sent for one browser consumes
 * only in that browser; anywhere else it asks for the code and consumes nothing.
 */
class SameDeviceLinkTest {
  private static final byte[] OLD = "the previous secret of this test, 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEW = "the current secret of this test, 32+ bytes!".getBytes(StandardCharsets.US_ASCII);
  private static final VerificationType REG = VerificationType.REGISTER;
  private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_.-]+)&");
  private static final String PHONE = "browser-cookie-of-the-laptop-that-asked";
  private static final String OTHER = "another-browser-cookie";

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final CodeStore store = CodeStore.inMemory();
  private final List<VerificationEvent> events = new ArrayList<>();

  private VerificationCodeService service(int perClientPerHour, byte[] current, byte[]... previous) {
    return VerificationCodeService.builder().transport(outbox).store(store).clock(clock).secret(current, previous)
        .listener(events::add)
        .defaultPolicy(VerificationPolicy.builder().linkBaseUrl(URI.create("https://app.example.com/verify"))
            .perClientQuota(Quota.perHour(perClientPerHour)).build())
        .build();
  }

  private VerificationCodeService service() {
    return service(20, NEW);
  }

  private String send(VerificationCodeService service, String email, String device) {
    SendResult sent = service.sendVerificationCode(SendRequest.builder(email, REG).sameDevice(device).build());
    assertThat(sent).isInstanceOf(SendResult.Sent.class);
    return token(email);
  }

  private String token(String email) {
    Matcher m = TOKEN.matcher(outbox.latestTo(email).orElseThrow().text());
    assertThat(m.find()).as("a link in the text part").isTrue();
    return m.group(1);
  }

  private static LinkRequest on(String token, String device) {
    return LinkRequest.builder(token, REG).clientKey("192.0.2.1").sameDevice(device).build();
  }

  @Test
  @DisplayName("C32 same device: the link opened with the value its send carried signs in, once")
  void sameDeviceConsumes() {
    VerificationCodeService service = service();
    String token = send(service, "ann@example.com", PHONE);
    assertThat(token).hasSize(89).matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}");

    VerifyResult result = service.verifyLink(on(token, PHONE));
    assertThat(result).isInstanceOf(VerifyResult.Verified.class);
    assertThat(service.redeemToken(((VerifyResult.Verified) result).token(), REG)).contains("ann@example.com");
    assertThat(service.verifyLink(on(token, PHONE))).isInstanceOf(VerifyResult.NotFound.class);
    String code = outbox.latestCode("ann@example.com").orElseThrow();
    assertThat(service.verifyCode("ann@example.com", REG, code)).as("the link consumed its code")
        .isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C32 same device: another device or none gets CodeRequired and consumes nothing; the code then works")
  void otherDeviceGetsCodeRequired() {
    VerificationCodeService service = service();
    String token = send(service, "bob@example.com", PHONE);

    assertThat(service.verifyLink(on(token, OTHER))).isInstanceOf(VerifyResult.CodeRequired.class);
    assertThat(service.verifyLink(LinkRequest.builder(token, REG).build()))
        .as("no device value").isInstanceOf(VerifyResult.CodeRequired.class);
    assertThat(service.verifyLink(token, REG, "192.0.2.1"))
        .as("the three-argument method has no device value").isInstanceOf(VerifyResult.CodeRequired.class);
    assertThat(events).filteredOn(e -> e.action() == VerificationEvent.Action.VERIFY)
        .extracting(VerificationEvent::outcome).containsOnly(VerificationEvent.Outcome.CODE_REQUIRED);

    String code = outbox.latestCode("bob@example.com").orElseThrow();
    VerifyResult typed = service.verifyCode("bob@example.com", REG, code);
    assertThat(typed).as("nothing was consumed or counted: the code works").isInstanceOf(VerifyResult.Verified.class);
    assertThat(service.verifyLink(on(token, PHONE))).as("and it consumed the link")
        .isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C32 same device: a link asked for on another device still works in the browser that asked")
  void linkStillWorksOnItsDeviceAfterAnotherOpenedIt() {
    VerificationCodeService service = service();
    String token = send(service, "cy@example.com", PHONE);
    for (int i = 0; i < 3; i++) {
      assertThat(service.verifyLink(on(token, OTHER))).isInstanceOf(VerifyResult.CodeRequired.class);
    }
    assertThat(service.verifyLink(on(token, PHONE))).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C32 same device: a forged or altered token is a wrong link counted against the client key")
  void forgedTokensCountAgainstTheClient() {
    VerificationCodeService service = service(4, NEW);
    String token = send(service, "dee@example.com", PHONE);
    String base = token.substring(0, 43);
    String seal = token.substring(44, 66);
    String tag = token.substring(67);
    List<String> forged = List.of(
        base, // the device part stripped
        flip(base) + "." + seal + "." + tag, // another token under a genuine seal
        base + "." + flip(seal) + "." + tag, // an altered seal
        "A".repeat(43) + "." + "B".repeat(22) + "." + "C".repeat(22)); // made up, well shaped
    for (String f : forged) {
      assertThat(service.verifyLink(LinkRequest.builder(f, REG).clientKey("203.0.113.9").sameDevice(PHONE).build()))
          .as(f).isInstanceOf(VerifyResult.NotFound.class);
    }
    assertThat(service.verifyLink(LinkRequest.builder(token, REG).clientKey("203.0.113.9").sameDevice(PHONE).build()))
        .as("the client used up its wrong-link budget: even a genuine link is not looked up")
        .isInstanceOf(VerifyResult.NotFound.class);
    assertThat(service.verifyLink(on(token, PHONE))).as("another client, the right device")
        .isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C32 same device: asking for the code counts nothing against the client key")
  void codeRequiredCountsNothing() {
    VerificationCodeService service = service(2, NEW);
    String token = send(service, "eve@example.com", PHONE);
    for (int i = 0; i < 10; i++) {
      assertThat(service.verifyLink(on(token, OTHER + i))).isInstanceOf(VerifyResult.CodeRequired.class);
    }
    assertThat(service.verifyLink(on(token, PHONE))).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C32 same device: an altered device part is another device - the code is asked for")
  void alteredDevicePartAsksForTheCode() {
    VerificationCodeService service = service();
    String token = send(service, "fay@example.com", PHONE);
    String altered = token.substring(0, 67) + flip(token.substring(67));
    assertThat(service.verifyLink(on(altered, PHONE))).isInstanceOf(VerifyResult.CodeRequired.class);
    assertThat(service.verifyLink(on(token, PHONE))).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C32 same device: off by default - a send without a device value sends a plain link any browser uses")
  void offByDefault() {
    VerificationCodeService service = service();
    service.sendVerificationCode(SendRequest.of("gil@example.com", REG));
    String token = token("gil@example.com");
    assertThat(token).hasSize(43);
    assertThat(service.verifyLink(on(token, OTHER))).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C32 same device, C14: a bound link sent under the previous secret still checks after a rotation")
  void boundLinkSurvivesRotation() {
    String token = send(service(20, OLD), "hal@example.com", PHONE);
    VerificationCodeService rotated = service(20, NEW, OLD);
    assertThat(rotated.verifyLink(on(token, OTHER))).isInstanceOf(VerifyResult.CodeRequired.class);
    assertThat(rotated.verifyLink(on(token, PHONE))).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C16 same device: the device value is never in the mail, a toString or an event; bad values are refused naming the setting")
  void deviceValueNeverLeaks() {
    VerificationCodeService service = service();
    SendRequest request = SendRequest.builder("ivy@example.com", REG).sameDevice(PHONE).build();
    service.sendVerificationCode(request);
    String token = token("ivy@example.com");
    LinkRequest link = on(token, OTHER);
    service.verifyLink(link);
    assertThat(request.toString()).doesNotContain(PHONE).contains("sameDevice=[PROTECTED]");
    assertThat(link.toString()).doesNotContain(OTHER).doesNotContain(token);
    assertThat(outbox.latestTo("ivy@example.com").orElseThrow().text()).doesNotContain(PHONE);
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain(PHONE, OTHER, token));
    assertThat(request.sameDevice()).isEqualTo(PHONE);
    for (String bad : List.of("", "   ", "x".repeat(513))) {
      assertThatThrownBy(() -> SendRequest.builder("ivy@example.com", REG).sameDevice(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sameDevice");
      assertThatThrownBy(() -> LinkRequest.builder(token, REG).sameDevice(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sameDevice");
    }
  }

  /** The same string with its first character changed to another URL-safe one. */
  private static String flip(String s) {
    return (s.charAt(0) == 'A' ? 'B' : 'A') + s.substring(1);
  }
}
