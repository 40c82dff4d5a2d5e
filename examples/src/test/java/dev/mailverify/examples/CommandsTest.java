package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailverify.smtp.EnvironmentSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sendtestmail and doctor against GreenMail and against a closed port, all on 127.0.0.1. */
class CommandsTest {
  private static final String USER = "demo@roamio.example";
  private static final String SECRET = "throwaway-test-secret";
  /** A loopback UDP port nothing listens on: a DNS query there fails at once (port unreachable). */
  private static final int CLOSED_UDP_PORT = closedUdpPort();

  private static int closedUdpPort() {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private GreenMail greenMail;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, SECRET));
    greenMail.start();
  }

  @AfterEach
  void stop() {
    greenMail.stop();
  }

  private Map<String, String> env(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("USE_REAL_EMAIL", "1");
    env.put("EMAIL_HOST", "127.0.0.1");
    env.put("EMAIL_PORT", Integer.toString(port));
    env.put("EMAIL_USE_TLS", "0"); // GreenMail's plain port: an explicit, logged opt-in
    env.put("EMAIL_HOST_USER", USER);
    env.put("EMAIL_HOST_PASSWORD", SECRET);
    env.put("DEFAULT_FROM_EMAIL", "漫游 Roamio <" + USER + ">");
    env.put("EMAIL_TIMEOUT", "5");
    // doctor's sender checks (SPF, DMARC, MX of roamio.example) ask a closed local port: "DNS did not
    // answer", so they are skipped and the test does not depend on the machine's resolver
    env.put("DNS_SERVER", "127.0.0.1:" + CLOSED_UDP_PORT);
    return env;
  }

  private int run(Map<String, String> env, String... args) {
    return DemoApp.run(args, EnvironmentSource.of(env), new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("sendtestmail delivers one mail to GreenMail, prints the settings with the password masked, exits 0")
  void sendTestMailToGreenMail() throws Exception {
    int exit = run(env(greenMail.getSmtp().getPort()), "sendtestmail", "someone@example.com");
    assertThat(exit).as(printed()).isZero();
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("mailverify test mail / 测试邮件");
    assertThat(printed()).contains("Effective SMTP settings").contains("127.0.0.1").contains("✔ sent")
        .doesNotContain(SECRET);
  }

  @Test
  @DisplayName("sendtestmail against a closed port prints CONNECTION_REFUSED and the firewall hint, exits 1")
  void sendTestMailClosedPort() throws Exception {
    int exit = run(env(closedPort()), "sendtestmail", "someone@example.com");
    assertThat(exit).isEqualTo(1);
    assertThat(printed()).contains("✘ failed: CONNECTION_REFUSED").contains("hint:").contains("587 or 465")
        .doesNotContain(SECRET);
  }

  @Test
  @DisplayName("sendtestmail with a wrong password prints AUTHENTICATION and the authorization-code hint")
  void sendTestMailWrongPassword() {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    env.put("EMAIL_HOST_PASSWORD", "wrong-password");
    assertThat(run(env, "sendtestmail", "someone@example.com")).isEqualTo(1);
    assertThat(printed()).contains("AUTHENTICATION").contains("authorization code").doesNotContain("wrong-password");
  }

  @Test
  @DisplayName("C26: sendtestmail without a password names the missing variable, exits 1")
  void sendTestMailMissingPassword() {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    env.remove("EMAIL_HOST_PASSWORD");
    assertThat(run(env, "sendtestmail", "someone@example.com")).isEqualTo(1);
    assertThat(printed()).contains("EMAIL_HOST_PASSWORD is not set");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  @DisplayName("doctor against GreenMail passes every step (with a test send) and exits 0")
  void doctorGreenMail() {
    int exit = run(env(greenMail.getSmtp().getPort()), "doctor", "--to", "someone@example.com");
    assertThat(exit).as(printed()).isZero();
    assertThat(printed()).contains("✔").doesNotContain("✘").doesNotContain(SECRET);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  @DisplayName("doctor --to asks DNS_SERVER for the sender checks, as doctor without --to does, not the system's resolver")
  void doctorWithTestSendAsksDnsServer() {
    int exit = run(env(greenMail.getSmtp().getPort()), "doctor", "--to", "someone@example.com");
    assertThat(exit).as(printed()).isZero();
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    // the closed DNS_SERVER port answers nothing: the hint names that resolver, not "the system's resolver"
    assertThat(printed()).contains("✔ test send").contains("⚠ sender SPF: SPF skipped: DNS did not answer")
        .contains("⚠ sender MX: MX skipped").contains("the resolver (127.0.0.1:" + CLOSED_UDP_PORT + ")")
        .doesNotContain("the system's resolver").doesNotContain(SECRET);
  }

  @Test
  @DisplayName("doctor against a closed port marks the connect step failed and exits 1")
  void doctorClosedPort() throws Exception {
    int exit = run(env(closedPort()), "doctor");
    assertThat(exit).isEqualTo(1);
    assertThat(printed()).contains("✘").contains("CONNECTION_REFUSED");
  }

  @Test
  @DisplayName("doctor shows every settings warning as a ⚠ line, and the header says there are warnings")
  void doctorShowsSettingsWarnings() {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    env.put("DEFAULT_FROM_EMAIL", "Roamio <other@roamio.example>"); // QQ Mail refuses a From that is not the login
    int exit = run(env, "doctor");
    assertThat(exit).as(printed()).isZero();
    // 2 settings warnings, and the 3 sender checks skipped because DNS_SERVER does not answer
    assertThat(printed()).contains("all steps passed, 5 warnings (⚠ below)")
        .contains("⚠ sender SPF: SPF skipped: DNS did not answer").contains("⚠ sender MX: MX skipped")
        .contains("⚠ DEFAULT_FROM_EMAIL differs from EMAIL_HOST_USER")
        .contains("⚠ EMAIL_USE_TLS=0").doesNotContain(SECRET);
  }

  @Test
  @DisplayName("doctor says which .env file it read, or that none was found and where it looked")
  void doctorSaysWhichEnvFile(@TempDir Path dir) throws Exception {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    StringBuilder dotenv = new StringBuilder();
    env.forEach((k, v) -> dotenv.append(k).append('=').append(v).append('\n'));
    Path file = Files.writeString(dir.resolve("demo.env"), dotenv, StandardCharsets.UTF_8);
    assertThat(run(Map.of(), "--env-file", file.toString(), "doctor")).as(printed()).isZero();
    assertThat(printed()).contains("Settings read from the environment, then " + file.toAbsolutePath());
    assertThat(DemoApp.origin(dir.resolve(".env")))
        .isEqualTo("the environment only: no .env file found at " + dir.resolve(".env").toAbsolutePath()
            + " (looked in the working directory; --env-file reads another)");
    assertThat(DemoApp.origin(file)).isEqualTo("the environment, then " + file.toAbsolutePath());
  }

  @Test
  @DisplayName("C24 sendtestmail prints the server's reply text with the category and the hint")
  void sendTestMailPrintsServerReply() {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    env.put("EMAIL_HOST_PASSWORD", "wrong-password");
    assertThat(run(env, "sendtestmail", "someone@example.com")).isEqualTo(1);
    assertThat(printed()).containsPattern("✘ failed: AUTHENTICATION \\(535\\)")
        .containsPattern("server said: 535 .+").contains("hint:").doesNotContain("wrong-password");
  }

  @Test
  @DisplayName("sendtestmail shows the settings warnings as ⚠ lines")
  void sendTestMailShowsWarnings() {
    assertThat(run(env(greenMail.getSmtp().getPort()), "sendtestmail", "someone@example.com")).isZero();
    assertThat(printed()).contains("⚠ EMAIL_USE_TLS=0");
  }

  @Test
  @DisplayName("EMAIL_PORT=58x is one line naming the variable, never a stack trace (sendtestmail and serve)")
  void badEmailPortIsOneLine() {
    Map<String, String> env = env(greenMail.getSmtp().getPort());
    env.put("EMAIL_PORT", "58x");
    assertThat(run(env, "sendtestmail", "someone@example.com")).isEqualTo(1);
    assertThat(run(env, "serve", "--port", "0")).isEqualTo(1);
    assertThat(printed()).contains("✘ SMTP is required but its configuration is incomplete: EMAIL_PORT must be a port"
        + " number 1-65535")
        .contains("✘ USE_REAL_EMAIL=1 but the SMTP configuration is invalid: EMAIL_PORT must be a port number")
        .doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  @DisplayName("a demo port already in use is one line naming the port and how to pick another (PORT)")
  void portInUseIsOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      assertThat(run(Map.of(), "serve", "--port", Integer.toString(port))).isEqualTo(1);
      assertThat(printed()).contains("✘ port " + port + " on 127.0.0.1 is already in use")
          .contains("PORT=").doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  @DisplayName("a PORT that is not a number is one line")
  void badPortVariableIsOneLine() {
    assertThat(run(Map.of("PORT", "80a"), "serve")).isEqualTo(2);
    assertThat(printed()).contains("✘ PORT must be a port number 0-65535").doesNotContain("\tat ");
  }
}
