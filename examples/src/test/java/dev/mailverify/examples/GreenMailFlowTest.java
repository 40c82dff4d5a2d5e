package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.template.MustacheTemplateRenderer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The whole sign-up flow over HTTP, with real SMTP delivery to GreenMail on 127.0.0.1. */
class GreenMailFlowTest {
  private static final String USER = "noreply@roamio.example";
  private static final String SECRET = "throwaway-test-secret";

  private GreenMail greenMail;
  private SmtpTransport transport;
  private DemoServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, SECRET));
    greenMail.start();
    transport = SmtpTransport.create(SmtpSettings.builder()
        .host("127.0.0.1")
        .port(greenMail.getSmtp().getPort())
        .security(SmtpSecurity.PLAIN)
        .credentials(USER, SECRET)
        .from("Roamio <" + USER + ">")
        .timeout(Duration.ofSeconds(5))
        .build());
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(transport)
        .renderer(MustacheTemplateRenderer.builder().build())
        .appName("Roamio")
        .build();
    server = DemoServer.start(service, new UserDirectory(), Clock.systemUTC(),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() {
    server.close();
    transport.close();
    greenMail.stop();
  }

  private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a user registers with a code delivered through SMTP (HTML + text mail)")
  void registerThroughSmtp() throws Exception {
    assertThat(post("/api/v1/auth/send_verification_code/", Map.of("email", "grace@example.com")).statusCode())
        .isEqualTo(200);
    assertThat(greenMail.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage mail = greenMail.getReceivedMessages()[0];
    assertThat(mail.getContentType()).startsWith("multipart/alternative");
    Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(GreenMailUtil.getBody(mail));
    assertThat(m.find()).isTrue();
    String code = m.group(1);

    HttpResponse<String> verified = post("/api/v1/auth/verify_code/", Map.of("email", "grace@example.com",
        "code", code));
    assertThat(verified.statusCode()).isEqualTo(200);
    String token = (String) JSON.std.mapFrom(verified.body()).get("verification_token");

    Map<String, Object> form = Map.of("email", "grace@example.com", "password", "a long password",
        "verification_token", token);
    assertThat(post("/api/v1/auth/register/", form).statusCode()).isEqualTo(201);
    assertThat(post("/api/v1/auth/register/", form).statusCode()).as("replayed token").isEqualTo(400);
  }
}
