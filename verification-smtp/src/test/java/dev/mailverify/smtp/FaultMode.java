package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.DeliveryException.Category;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The nine fault modes of issue 23 on loopback, as a new user meets them (nothing listening, wrong
 * password, silent server, no STARTTLS, certificate for another host, untrusted certificate, From
 * different from the login, recipient refused with 550, unknown host), with what every surface
 * that reports the failure must name: the category, the deciding reply where the server sent one,
 * and the reason. Published in this module's test-jar for the examples' command tests.
 */
public enum FaultMode {
  NOTHING_LISTENING(Category.CONNECTION_REFUSED, null, "Connection refused"),
  WRONG_PASSWORD(Category.AUTHENTICATION, "535", "the server refused the login of r***@example.com"),
  SILENT_SERVER(Category.TIMEOUT, null, "timed out"),
  NO_STARTTLS(Category.TLS, null, "does not list STARTTLS"),
  CERTIFICATE_FOR_ANOTHER_HOST(Category.TLS, null, "the certificate names [DNS:wrong.example.test]"),
  UNTRUSTED_CERTIFICATE(Category.TLS, null, "the certificate names [DNS:localhost, IP:127.0.0.1]"),
  FROM_NOT_LOGIN(Category.SENDER_REJECTED, "553", "which is not the login account r***@example.com"),
  RECIPIENT_REFUSED(Category.RECIPIENT_REJECTED, "550", "the server refused the recipient n***@example.org"),
  UNKNOWN_HOST(Category.UNKNOWN_HOST, null, "no address for smtp.mailverify.invalid");

  /** The login account. */
  public static final String USER = "roamio@example.com";
  /** The configured password: it must appear on no surface. */
  public static final String SECRET = "Zx9-never-shown-pw";
  /** The recipient of every test mail. */
  public static final String RECIPIENT = "nobody@example.org";

  private final Category category;
  private final @Nullable String reply;
  private final String reason;

  FaultMode(Category category, @Nullable String reply, String reason) {
    this.category = category;
    this.reply = reply;
    this.reason = reason;
  }

  /** The category every surface names. */
  public Category category() {
    return category;
  }

  /** The text every surface's reason contains. */
  public String reason() {
    return reason;
  }

  /** A started fault peer: the settings (and the seed's variables) that meet it. Close it. */
  public static final class Peer implements AutoCloseable {
    private final SmtpSettings settings;
    private final Map<String, String> env;
    private final @Nullable AutoCloseable server;

    Peer(SmtpSettings settings, Map<String, String> env, @Nullable AutoCloseable server) {
      this.settings = settings;
      this.env = Map.copyOf(env);
      this.server = server;
    }

    /** The settings for {@link SmtpTransport} and {@link SmtpDiagnostics}. */
    public SmtpSettings settings() {
      return settings;
    }

    /** The same settings as the seed's variables ({@code USE_REAL_EMAIL=1}, {@code EMAIL_HOST}, ...). */
    public Map<String, String> env() {
      return env;
    }

    @Override
    public void close() throws Exception {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * Starts the fault's peer on 127.0.0.1.
   *
   * @return the peer; close it
   * @throws Exception when the peer cannot start
   */
  public Peer start() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("USE_REAL_EMAIL", "1");
    env.put("EMAIL_HOST", "127.0.0.1");
    env.put("EMAIL_USE_TLS", "0");
    env.put("EMAIL_HOST_USER", USER);
    env.put("EMAIL_HOST_PASSWORD", SECRET);
    env.put("DEFAULT_FROM_EMAIL", "Roamio <" + USER + ">");
    env.put("EMAIL_TIMEOUT", "2");
    SmtpSettings.Builder plain = SmtpSettings.builder().host("127.0.0.1").security(SmtpSecurity.PLAIN)
        .credentials(USER, SECRET).timeout(Duration.ofSeconds(2));
    FakeSmtpServer server;
    switch (this) {
      case NOTHING_LISTENING:
        try (ServerSocket s = new ServerSocket(0)) {
          env.put("EMAIL_PORT", Integer.toString(s.getLocalPort()));
          return new Peer(plain.port(s.getLocalPort()).build(), env, null);
        }
      case WRONG_PASSWORD:
        server = FakeSmtpServer.builder().auth(USER, "the-right-one").start();
        break;
      case SILENT_SERVER:
        server = FakeSmtpServer.builder().silent().start();
        break;
      case NO_STARTTLS:
        server = FakeSmtpServer.builder().withoutStartTls().auth(USER, SECRET).start();
        plain.security(SmtpSecurity.STARTTLS);
        env.put("EMAIL_USE_TLS", "1");
        break;
      case CERTIFICATE_FOR_ANOTHER_HOST: {
        TestCertificates other = TestCertificates.otherHost();
        server = FakeSmtpServer.builder().startTls(other).auth(USER, SECRET).start();
        Path pem = other.pemFile();
        plain.security(SmtpSecurity.STARTTLS).trustedCertificatesPem(pem);
        env.put("EMAIL_USE_TLS", "1");
        env.put("EMAIL_SSL_CAFILE", pem.toString());
        break;
      }
      case UNTRUSTED_CERTIFICATE:
        server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET).start();
        plain.security(SmtpSecurity.STARTTLS);
        env.put("EMAIL_USE_TLS", "1");
        break;
      case FROM_NOT_LOGIN:
        server = FakeSmtpServer.builder().auth(USER, SECRET)
            .reply("MAIL", "553 5.7.1 Sender address rejected: not owned by user " + USER).start();
        plain.from("Roamio <other@example.com>");
        env.put("DEFAULT_FROM_EMAIL", "Roamio <other@example.com>");
        break;
      case RECIPIENT_REFUSED:
        server = FakeSmtpServer.builder().auth(USER, SECRET)
            .reply("RCPT", "550 5.1.1 <" + RECIPIENT + ">: Recipient address rejected: User unknown").start();
        break;
      case UNKNOWN_HOST:
        env.put("EMAIL_HOST", "smtp.mailverify.invalid");
        env.put("EMAIL_PORT", "587");
        return new Peer(plain.host("smtp.mailverify.invalid").port(587).build(), env, null);
      default:
        throw new AssertionError(this);
    }
    env.put("EMAIL_PORT", Integer.toString(server.port()));
    return new Peer(plain.port(server.port()).build(), env, server);
  }

  /**
   * Checks one surface's text: it names the category, the deciding reply (where the server sent
   * one) and the reason, and shows neither the password nor the code.
   *
   * @param surface the surface's name, for the failure message
   * @param text what the surface printed
   */
  public void assertNamed(String surface, String text) {
    assertThat(text).as(surface + " of " + this).contains(category.name()).contains(reason)
        .doesNotContain(SECRET).doesNotContain("123456");
    if (reply != null) {
      assertThat(text).as(surface + " of " + this + ": the deciding reply").contains(reply);
    }
  }
}
