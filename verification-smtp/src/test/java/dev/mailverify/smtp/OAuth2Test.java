package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * XOAUTH2 against the fake SMTP server, which decodes the SASL string
 * ({@code user=...^Aauth=Bearer <token>^A^A}) and accepts only the tokens it is told to.
 */
class OAuth2Test {
  private static final String USER = "noreply@contoso.test";

  /** Hands out the given tokens in turn (the last one again when they run out), each valid for an hour. */
  private static final class Tokens implements AccessTokenSource {
    final TestClock clock;
    final List<String> values;
    final AtomicInteger fetches = new AtomicInteger();

    Tokens(TestClock clock, String... values) {
      this.clock = clock;
      this.values = List.of(values);
    }

    @Override
    public AccessToken fetch() {
      int n = fetches.getAndIncrement();
      return AccessToken.of(values.get(Math.min(n, values.size() - 1)), clock.instant().plus(Duration.ofHours(1)));
    }
  }

  private static SmtpSettings settings(FakeSmtpServer server, AccessTokenSource tokens) {
    return SmtpSettings.builder().host("127.0.0.1").port(server.port()).security(SmtpSecurity.PLAIN)
        .oauth2(USER, tokens).timeout(Duration.ofSeconds(5)).build();
  }

  private static EmailMessage message() {
    return EmailMessage.builder(EmailAddress.parse("alice@example.org")).subject("code").text("Your code is 482913")
        .build();
  }

  @Test
  @DisplayName("XOAUTH2: the server receives user and bearer token in the SASL string and accepts the mail")
  void correctTokenAccepted() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "ya29.good-token");
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, Set.of("ya29.good-token")::contains).start();
         SmtpTransport transport = SmtpTransport.create(settings(server, tokens), clock)) {
      transport.send(message());
      assertThat(server.oauthAttempts()).containsExactly("ya29.good-token ok");
      assertThat(server.messages()).hasSize(1);
      assertThat(tokens.fetches).hasValue(1);
      assertThat(transport.sessionProperties().getProperty("mail.smtp.auth.mechanisms")).isEqualTo("XOAUTH2");
    }
  }

  @Test
  @DisplayName("XOAUTH2: an expired token gets 535, the transport fetches one new token and the mail goes out")
  void expiredTokenRefreshedOnce() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "expired-token", "fresh-token");
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, "fresh-token"::equals).start();
         SmtpTransport transport = SmtpTransport.create(settings(server, tokens), clock)) {
      transport.send(message());
      assertThat(server.oauthAttempts()).containsExactly("expired-token no", "fresh-token ok");
      assertThat(tokens.fetches).hasValue(2);
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  @DisplayName("XOAUTH2: Gmail's refusal (a 334 error challenge, then 535) also gets one new token")
  void gmailStyleRefusalRefreshedOnce() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "expired-token", "fresh-token");
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, "fresh-token"::equals).gmailStyleOAuthError()
        .start(); SmtpTransport transport = SmtpTransport.create(settings(server, tokens), clock)) {
      transport.send(message());
      assertThat(server.oauthAttempts()).containsExactly("expired-token no", "fresh-token ok");
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  @DisplayName("C16/C24: a token refused twice fails AUTHENTICATION with a hint about the token, which appears in no message, log line or trace")
  void wrongTokenTwiceFailsWithHint() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "secret-token-one", "secret-token-two");
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    List<DeliveryException> failures = new CopyOnWriteArrayList<>();
    System.setOut(capture);
    System.setErr(capture);
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, t -> false).start();
         SmtpTransport transport = SmtpTransport.create(settings(server, tokens).toBuilder().debug(true).build(),
             clock)) {
      assertThatThrownBy(() -> transport.send(message())).isInstanceOfSatisfying(DeliveryException.class, failures::add);
      assertThat(server.oauthAttempts()).containsExactly("secret-token-one no", "secret-token-two no");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertThat(tokens.fetches).as("one refresh, not a loop").hasValue(2);
    DeliveryException e = failures.get(0);
    assertThat(e.category()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.replyCode()).hasValue(535);
    assertThat(e.hint()).contains("OAuth2 access token").contains("SMTP.Send").contains("https://mail.google.com/");
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the protocol trace was on").contains("AUTH XOAUTH2").contains("250 AUTH XOAUTH2");
    for (String text : new String[] {e.getMessage(), e.hint(), String.valueOf(e.serverReply()), e.toString(), logs,
        String.valueOf(e.getCause())}) {
      assertThat(text).doesNotContain("secret-token");
    }
    for (String token : List.of("secret-token-one", "secret-token-two")) {
      String sasl = java.util.Base64.getEncoder().encodeToString(("user=" + USER + "\u0001auth=Bearer " + token
          + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
      assertThat(logs).doesNotContain(sasl);
    }
  }

  @Test
  @DisplayName("C24 issue 23: a token refused twice with Gmail's error challenge reports 535 and the decoded JSON, not 334 and base64, as doctor does")
  void gmailStyleRefusalTwiceReports535() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "secret-token-one", "secret-token-two");
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, t -> false).gmailStyleOAuthError().start();
         SmtpTransport transport = SmtpTransport.create(settings(server, tokens), clock)) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message()));
      assertThat(e.category()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
      assertThat(e.replyCode()).hasValue(535);
      assertThat(e.serverReply()).startsWith("XOAUTH2 error challenge {").contains("\"status\":\"400\"")
          .doesNotContain("eyJ");
      assertThat(e.getMessage()).contains("reply 535").contains("https://mail.google.com/")
          .doesNotContain("secret-token").doesNotContain("334");
      DiagnosticStep auth = Diagnose.check(settings(server, tokens)).firstFailure().orElseThrow();
      assertThat(auth.reply()).hasValue(535);
    }
  }

  @Test
  @DisplayName("XOAUTH2: a token expiring within a minute is replaced before connecting")
  void tokenRefreshedBeforeExpiry() {
    TestClock clock = new TestClock();
    AtomicInteger fetches = new AtomicInteger();
    OAuthTokens tokens = new OAuthTokens(() -> AccessToken.of("t" + fetches.incrementAndGet(),
        clock.instant().plus(Duration.ofMinutes(10))), clock);
    AccessToken first = tokens.current();
    clock.advance(Duration.ofMinutes(8));
    assertThat(tokens.current()).isSameAs(first);
    clock.advance(Duration.ofSeconds(61)); // 59 s left: inside the margin
    AccessToken second = tokens.current();
    assertThat(second).isNotSameAs(first);
    assertThat(fetches).hasValue(2);
    tokens.refused(first); // a stale refusal does not drop the newer token
    assertThat(tokens.current()).isSameAs(second);
    tokens.refused(second);
    assertThat(tokens.current().toString()).startsWith("AccessToken[[PROTECTED], expiresAt=").doesNotContain("t3");
    assertThat(fetches).hasValue(3);
  }

  @Test
  @DisplayName("C16: settings with OAuth2 print no token; oauth2 and password replace each other, the last call wins")
  void settingsNeverShowToken() {
    AccessTokenSource source = () -> AccessToken.withoutExpiry("never-shown");
    SmtpSettings s = SmtpSettings.builder().host("smtp.office365.com").credentials(USER, "pw").oauth2(USER, source)
        .build();
    assertThat(s.accessTokenSource()).containsSame(source);
    assertThat(s.hasPassword()).isFalse();
    assertThat(s.toString()).contains("oauth2=XOAUTH2 [PROTECTED]").doesNotContain("never-shown");
    SmtpSettings back = s.toBuilder().password("pw").build();
    assertThat(back.accessTokenSource()).isEmpty();
    assertThat(back.hasPassword()).isTrue();
    assertThat(AccessToken.withoutExpiry("never-shown").toString()).doesNotContain("never-shown");
    assertThatThrownBy(() -> AccessToken.of("has space", java.time.Instant.MAX))
        .hasMessageNotContaining("has space");
  }

  @Test
  @DisplayName("XOAUTH2 in diagnostics: the AUTH step signs in with the token and shows it nowhere")
  void diagnosticsSignInWithToken() throws Exception {
    TestClock clock = new TestClock();
    Tokens tokens = new Tokens(clock, "diag-token");
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, "diag-token"::equals).start()) {
      DiagnosticReport report = Diagnose.check(settings(server, tokens));
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.step(DiagnosticStep.Kind.AUTH).orElseThrow().detail()).contains("AUTH XOAUTH2");
      assertThat(report.toString()).doesNotContain("diag-token");
    }
    try (FakeSmtpServer server = FakeSmtpServer.builder().xoauth2(USER, t -> false).gmailStyleOAuthError().start()) {
      DiagnosticReport report = Diagnose.check(settings(server, tokens));
      DiagnosticStep auth = report.firstFailure().orElseThrow();
      assertThat(auth.kind()).isEqualTo(DiagnosticStep.Kind.AUTH);
      assertThat(auth.category()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
      assertThat(report.toString()).doesNotContain("diag-token");
    }
  }
}
