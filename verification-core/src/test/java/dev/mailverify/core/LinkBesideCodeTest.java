package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one-click link beside the code (C32), at the service: settings, the link's shape, secret
 * rotation and what the events show. The store-level rules (one verification, races, every store)
 * are in {@code CodeStoreContract}.
 */
class LinkBesideCodeTest {
  private static final byte[] OLD = "the previous secret of this test, 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEW = "the current secret of this test, 32+ bytes!".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final CodeStore store = CodeStore.inMemory();
  private final List<VerificationEvent> events = new ArrayList<>();

  private VerificationCodeService service(String base, byte[] current, byte[]... previous) {
    return VerificationCodeService.builder().transport(outbox).store(store).clock(clock).secret(current, previous)
        .listener(events::add)
        .defaultPolicy(VerificationPolicy.builder().linkBaseUrl(URI.create(base)).build())
        .build();
  }

  private String link(String email) {
    String text = outbox.latestTo(email).orElseThrow().text();
    Matcher m = Pattern.compile("https?://\\S+").matcher(text);
    assertThat(m.find()).as("a link in the text part").isTrue();
    return m.group();
  }

  private static String token(String link) {
    Matcher m = TOKEN.matcher(link);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("C32: linkBaseUrl is off by default and refuses what is not an absolute https URL, naming the setting")
  void linkBaseUrlIsCheckedWhereSet() {
    assertThat(VerificationPolicy.defaults().linkBaseUrl()).isEmpty();
    for (String bad : List.of("/verify", "http://app.example.com/verify", "ftp://app.example.com/v",
        "https://app.example.com/verify#top")) {
      assertThatThrownBy(() -> VerificationPolicy.builder().linkBaseUrl(URI.create(bad)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linkBaseUrl");
    }
    assertThat(VerificationPolicy.builder().linkBaseUrl(URI.create("http://localhost:8080/verify")).build()
        .linkBaseUrl()).contains(URI.create("http://localhost:8080/verify"));
  }

  @Test
  @DisplayName("C32, C21: the link is the configured URL plus token and type; an existing query is kept")
  void linkIsBuiltFromTheConfiguredUrl() {
    VerificationCodeService service = service("https://app.example.com/auth?lang=en", NEW);
    service.sendVerificationCode("ann@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(link("ann@example.com"))
        .matches("https://app\\.example\\.com/auth\\?lang=en&token=[A-Za-z0-9_-]{43}&type=register");
  }

  @Test
  @DisplayName("C32: the code beside a link has the policy's length and alphabet, and differs from mail to mail")
  void codeBesideALinkLooksLikeAnyCode() {
    VerificationCodeService service = service("https://app.example.com/v", NEW);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String email = "user" + i + "@example.com";
      service.sendVerificationCode(email, VerificationType.LOGIN, Duration.ofMinutes(10));
      codes.add(outbox.latestCode(email).orElseThrow());
    }
    assertThat(codes).allMatch(c -> c.matches("[0-9]{6}"));
    assertThat(codes.stream().distinct().count()).isGreaterThan(15);
  }

  @Test
  @DisplayName("C32, C14: a link sent under the previous secret still works after a rotation")
  void linkSurvivesRotation() {
    service("https://app.example.com/v", OLD)
        .sendVerificationCode("rot@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
    String token = token(link("rot@example.com"));
    VerificationCodeService rotated = service("https://app.example.com/v", NEW, OLD);
    assertThat(rotated.verifyLink(token, VerificationType.REGISTER, null)).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C16: neither the link nor its token appears in toString or in any event")
  void linkNeverLeaks() {
    VerificationCodeService service = service("https://app.example.com/v", NEW);
    service.sendVerificationCode("leak@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
    String link = link("leak@example.com");
    String token = token(link);
    service.verifyLink(token, VerificationType.REGISTER, "192.0.2.1");
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain(token));
    TemplateContext context = TemplateContext.builder(VerificationType.REGISTER, "123456",
        EmailAddress.parse("leak@example.com")).link(link).build();
    assertThat(context.toString()).doesNotContain(token).contains("link=[PROTECTED]");
    assertThat(context.link()).contains(link);
  }

  @Test
  @DisplayName("C32, C2: any string as a link token is answered NotFound, never an exception")
  void anyInputIsSafe() {
    VerificationCodeService service = service("https://app.example.com/v", NEW);
    for (String input : List.of("", "x", "A".repeat(43), "A".repeat(5000), "\u0000\r\n", "١٢٣")) {
      assertThat(service.verifyLink(input, VerificationType.REGISTER, "192.0.2.1"))
          .isInstanceOf(VerifyResult.NotFound.class);
    }
  }
}
