package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.ConsoleTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's variables, the .env file, and the factory's development/production rules (C26). */
class EnvironmentTest {
  private static final String SECRET = "mnbvcxzlkjhgfdsa";

  @TempDir
  Path dir;

  private static Map<String, String> complete() {
    Map<String, String> env = new HashMap<>();
    env.put("USE_REAL_EMAIL", "1");
    env.put("EMAIL_HOST", "smtp.qq.com");
    env.put("EMAIL_PORT", "587");
    env.put("EMAIL_HOST_USER", "12345@qq.com");
    env.put("EMAIL_HOST_PASSWORD", SECRET);
    env.put("DEFAULT_FROM_EMAIL", "Roamio <12345@qq.com>");
    return env;
  }

  private static SmtpEnvironment read(Map<String, String> env) {
    return SmtpEnvironment.read(EnvironmentSource.of(env));
  }

  /** Captures what the factory logs (slf4j-simple writes to System.err). */
  private static <T> T capturingLog(StringBuilder log, Supplier<T> action) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      return action.get();
    } finally {
      System.setErr(original);
      log.append(buffer.toString(StandardCharsets.UTF_8));
    }
  }

  private static EmailMessage message() {
    return EmailMessage.builder(EmailAddress.parse("alice@example.org")).subject("Code").text("123456").build();
  }

  @Test
  @DisplayName("the seed's variables build QQ Mail settings with STARTTLS on 587")
  void seedVariables() {
    SmtpSettings s = read(complete()).settings().orElseThrow();
    assertThat(s.target()).isEqualTo("smtp.qq.com:587 (STARTTLS)");
    assertThat(s.username()).isEqualTo("12345@qq.com");
    assertThat(s.password()).isEqualTo(SECRET);
    assertThat(s.from().toString()).isEqualTo("Roamio <12345@qq.com>");
    assertThat(read(complete()).warnings()).isEmpty();
  }

  @Test
  @DisplayName("EMAIL_USE_SSL=1 means implicit TLS on 465; port 465 alone means the same")
  void sslVariants() {
    Map<String, String> env = complete();
    env.remove("EMAIL_PORT");
    env.put("EMAIL_USE_SSL", "true");
    assertThat(read(env).settings().orElseThrow().target()).isEqualTo("smtp.qq.com:465 (IMPLICIT_TLS)");
    Map<String, String> port465 = complete();
    port465.put("EMAIL_PORT", "465");
    assertThat(read(port465).settings().orElseThrow().security()).isEqualTo(SmtpSecurity.IMPLICIT_TLS);
  }

  @Test
  @DisplayName("C22 EMAIL_USE_TLS=0 is the explicit opt-in to plain text, with a warning")
  void plainOptIn() {
    Map<String, String> env = complete();
    env.put("EMAIL_USE_TLS", "0");
    env.put("EMAIL_PORT", "1025");
    SmtpEnvironment e = read(env);
    assertThat(e.settings().orElseThrow().security()).isEqualTo(SmtpSecurity.PLAIN);
    assertThat(e.warnings()).anyMatch(w -> w.contains("PLAIN TEXT"));
  }

  @Test
  @DisplayName("EMAIL_USE_TLS=1 and EMAIL_USE_SSL=1 together are refused")
  void tlsAndSslExclusive() {
    Map<String, String> env = complete();
    env.put("EMAIL_USE_TLS", "yes");
    env.put("EMAIL_USE_SSL", "on");
    assertThat(read(env).problems()).anyMatch(p -> p.contains("mutually exclusive"));
    assertThat(read(env).settings()).isEmpty();
  }

  @Test
  @DisplayName("C23 EMAIL_TIMEOUT sets connect, read and write timeouts; bad values are named")
  void timeout() {
    Map<String, String> env = complete();
    env.put("EMAIL_TIMEOUT", "2.5");
    SmtpSettings s = read(env).settings().orElseThrow();
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.writeTimeout()).isEqualTo(Duration.ofMillis(2500));
    env.put("EMAIL_TIMEOUT", "0");
    assertThat(read(env).problems()).anyMatch(p -> p.startsWith("EMAIL_TIMEOUT"));
    env.put("EMAIL_TIMEOUT", "ten");
    assertThat(read(env).problems()).anyMatch(p -> p.startsWith("EMAIL_TIMEOUT"));
  }

  @Test
  @DisplayName("a pasted trailing newline in the password is removed; From defaults to the login with a warning")
  void passwordTrimmedAndFromDefault() {
    Map<String, String> env = complete();
    env.put("EMAIL_HOST_PASSWORD", SECRET + "\n");
    env.remove("DEFAULT_FROM_EMAIL");
    SmtpEnvironment e = read(env);
    assertThat(e.settings().orElseThrow().password()).isEqualTo(SECRET);
    assertThat(e.settings().orElseThrow().from().address()).isEqualTo("12345@qq.com");
    assertThat(e.warnings()).anyMatch(w -> w.startsWith("DEFAULT_FROM_EMAIL is not set"));
  }

  @Test
  @DisplayName("a From other than the login account gets the QQ Mail warning")
  void fromDiffersFromLogin() {
    Map<String, String> env = complete();
    env.put("DEFAULT_FROM_EMAIL", "Roamio <noreply@roamio.com>");
    assertThat(read(env).warnings()).anyMatch(w -> w.contains("501/553"));
  }

  @Test
  @DisplayName("C16 no problem, warning or toString ever contains a value")
  void noValuesInMessages() {
    Map<String, String> env = complete();
    env.put("EMAIL_PORT", "port-" + SECRET);
    SmtpEnvironment e = read(env);
    assertThat(String.join(" ", e.problems()) + String.join(" ", e.warnings()) + e)
        .doesNotContain(SECRET).contains("EMAIL_PORT");
  }

  @Test
  @DisplayName("development without USE_REAL_EMAIL=1 prints to the console with its banner")
  void developmentConsole() {
    Map<String, String> env = complete();
    env.remove("USE_REAL_EMAIL");
    assertThat(SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.DEVELOPMENT)).isInstanceOf(ConsoleTransport.class);
    env.put("USE_REAL_EMAIL", "0");
    assertThat(SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.DEVELOPMENT)).isInstanceOf(ConsoleTransport.class);
    assertThat(ConsoleTransport.BANNER).contains("USE_REAL_EMAIL=1");
  }

  @Test
  @DisplayName("USE_REAL_EMAIL=1 with complete settings gives an SMTP transport")
  void developmentRealMail() {
    try (MailTransport t = SmtpEnvironment.createTransport(complete(), SmtpEnvironment.Mode.DEVELOPMENT)) {
      assertThat(t).isInstanceOf(SmtpTransport.class);
      assertThat(((SmtpTransport) t).settings().host()).isEqualTo("smtp.qq.com");
    }
  }

  @Test
  @DisplayName("C26 real mail on with the password missing warns loudly at start-up, and sends fail with CONFIGURATION")
  void developmentMissingPasswordWarnsAtStartup() {
    Map<String, String> env = complete();
    env.remove("EMAIL_HOST_PASSWORD");
    StringBuilder log = new StringBuilder();
    MailTransport t = capturingLog(log, () -> SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.DEVELOPMENT));
    assertThat(log).contains("WARN").contains("EMAIL_HOST_PASSWORD is not set").contains("authorization code");
    DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> t.send(message()));
    assertThat(e.category()).isEqualTo(DeliveryException.Category.CONFIGURATION);
    assertThat(e.getMessage()).contains("EMAIL_HOST_PASSWORD");
  }

  @Test
  @DisplayName("real mail on without any credentials uses a local relay without AUTH, after a warning")
  void developmentRelayWithoutAuth() {
    Map<String, String> env = new HashMap<>();
    env.put("USE_REAL_EMAIL", "1");
    env.put("EMAIL_HOST", "localhost");
    env.put("EMAIL_PORT", "1025");
    env.put("EMAIL_USE_TLS", "0");
    env.put("DEFAULT_FROM_EMAIL", "dev@example.com");
    StringBuilder log = new StringBuilder();
    try (MailTransport t = capturingLog(log,
        () -> SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.DEVELOPMENT))) {
      assertThat(t).isInstanceOf(SmtpTransport.class);
      assertThat(((SmtpTransport) t).settings().username()).isNull();
    }
    assertThat(log).contains("EMAIL_HOST_USER is not set").contains("PLAIN TEXT");
  }

  @Test
  @DisplayName("C26 production with host, user or password missing fails at start-up naming the variables")
  void productionRequiresSettings() {
    Map<String, String> env = complete();
    env.remove("EMAIL_HOST");
    env.remove("EMAIL_HOST_PASSWORD");
    env.remove("USE_REAL_EMAIL");
    SmtpConfigurationException e = catchThrowableOfType(SmtpConfigurationException.class,
        () -> SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.PRODUCTION));
    assertThat(e.variables()).containsExactly("EMAIL_HOST", "EMAIL_HOST_PASSWORD");
    assertThat(e.getMessage()).contains("EMAIL_HOST is not set").contains("EMAIL_HOST_PASSWORD is not set")
        .doesNotContain("12345@qq.com");
    Map<String, String> empty = Map.of();
    assertThat(catchThrowableOfType(SmtpConfigurationException.class,
        () -> SmtpEnvironment.createTransport(empty, SmtpEnvironment.Mode.PRODUCTION)).variables())
        .containsExactly("EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD");
  }

  @Test
  @DisplayName("C26 production makes SMTP mandatory even without USE_REAL_EMAIL")
  void productionIsAlwaysSmtp() {
    Map<String, String> env = complete();
    env.put("USE_REAL_EMAIL", "0");
    try (MailTransport t = SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.PRODUCTION)) {
      assertThat(t).isInstanceOf(SmtpTransport.class);
    }
  }

  @Test
  @DisplayName("C26 an invalid value with real mail on fails at start-up in development too")
  void invalidValueFailsAtStartup() {
    Map<String, String> env = complete();
    env.put("EMAIL_PORT", "58x7");
    SmtpConfigurationException e = catchThrowableOfType(SmtpConfigurationException.class,
        () -> SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.DEVELOPMENT));
    assertThat(e.variables()).containsExactly("EMAIL_PORT");
    assertThat(e.getMessage()).contains("EMAIL_PORT must be a port number").doesNotContain("58x7");
  }

  @Test
  @DisplayName("SmtpSettings.fromEnvironment is strict: it names what is missing")
  void strictSettingsFromEnvironment() {
    assertThatThrownBy(() -> SmtpSettings.fromEnvironment(Map.of("EMAIL_HOST", "smtp.qq.com")))
        .isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("EMAIL_HOST_USER").hasMessageContaining("EMAIL_HOST_PASSWORD");
  }

  @Test
  @DisplayName(".env is read, and the environment wins over it")
  void dotenvAndPrecedence() throws IOException {
    Path file = dir.resolve(".env");
    Files.writeString(file, String.join("\n",
        "# mailverify test",
        "USE_REAL_EMAIL=1",
        "EMAIL_HOST=smtp.file.example.com",
        "EMAIL_HOST_USER=12345@qq.com",
        "EMAIL_HOST_PASSWORD=" + SECRET,
        "DEFAULT_FROM_EMAIL=\"Roamio <12345@qq.com>\"",
        ""));
    SmtpSettings fromFile = SmtpEnvironment.read(EnvironmentSource.dotenv(file)).settings().orElseThrow();
    assertThat(fromFile.host()).isEqualTo("smtp.file.example.com");
    assertThat(fromFile.from().displayName()).isEqualTo("Roamio");
    EnvironmentSource layered = EnvironmentSource.of(Map.of("EMAIL_HOST", "smtp.env.example.com"))
        .orElse(EnvironmentSource.dotenv(file));
    SmtpSettings s = SmtpEnvironment.read(layered).settings().orElseThrow();
    assertThat(s.host()).isEqualTo("smtp.env.example.com");
    assertThat(s.password()).isEqualTo(SECRET);
  }

  @Test
  @DisplayName("the factory overload with a .env path reads the file")
  void factoryWithDotenvPath() throws IOException {
    Path file = dir.resolve("mail.env");
    Files.writeString(file, "EMAIL_HOST=smtp.file.example.com\nEMAIL_HOST_USER=12345@qq.com\nEMAIL_HOST_PASSWORD="
        + SECRET + "\n");
    EnvironmentSource system = EnvironmentSource.system();
    String expectedHost = system.get("EMAIL_HOST") != null ? system.get("EMAIL_HOST").strip().toLowerCase()
        : "smtp.file.example.com";
    try (MailTransport t = SmtpEnvironment.createTransport(file, SmtpEnvironment.Mode.PRODUCTION)) {
      assertThat(((SmtpTransport) t).settings().host()).isEqualTo(expectedHost);
    }
  }

  @Test
  @DisplayName("a .env path that does not exist is a start-up error naming the file; dotenvIfPresent ignores it")
  void missingDotenv() {
    Path missing = dir.resolve("nope.env");
    assertThatThrownBy(() -> EnvironmentSource.dotenv(missing)).isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("nope.env").hasMessageContaining("does not exist");
    assertThatThrownBy(() -> SmtpEnvironment.createTransport(missing, SmtpEnvironment.Mode.DEVELOPMENT))
        .isInstanceOf(SmtpConfigurationException.class);
    assertThat(EnvironmentSource.dotenvIfPresent(missing).get("EMAIL_HOST")).isNull();
  }

  @Test
  @DisplayName("C16 a malformed .env line is reported without showing the line (it may hold the password)")
  void malformedDotenvHidesLine() throws IOException {
    Path file = dir.resolve(".env");
    Files.writeString(file, "EMAIL_HOST=smtp.qq.com\nEMAIL_HOST_PASSWORD " + SECRET + "\n");
    assertThatThrownBy(() -> EnvironmentSource.dotenv(file)).isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("malformed").hasMessageNotContaining(SECRET);
  }
}
