package dev.mailverify.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.AutoConfigureMailVerifyOutbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The example's endpoints answer like the plain demo's. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureMailVerifyOutbox
class SignUpApplicationTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Autowired
  InMemoryOutbox outbox;

  @Value("${local.server.port}")
  int port;

  private HttpResponse<String> post(String path, String json) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/" + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("send 200 {expires_in: 600}, verify 200 with a token, register 201, again 400; cooldown 429 with Retry-After")
  void registrationFlow() throws Exception {
    HttpResponse<String> sent = post("send_verification_code/", "{\"email\":\"Ann@Example.com\"}");
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(sent.body()).contains("\"expires_in\":600");
    String code = outbox.latestCode("ann@example.com").orElseThrow();

    HttpResponse<String> limited = post("send_verification_code/", "{\"email\":\"ann@example.com\"}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();

    HttpResponse<String> verified = post("verify_code/", "{\"email\":\"ann@example.com\",\"code\":\"" + code + "\"}");
    assertThat(verified.statusCode()).isEqualTo(200);
    String token = field(verified.body(), "verification_token");

    assertThat(post("register/", "{\"email\":\"bob@example.com\",\"password\":\"long-enough\",\"verification_token\":\""
        + token + "\"}").statusCode()).as("a token for another address").isEqualTo(400);
    String register = "{\"email\":\"ann@example.com\",\"password\":\"long-enough\",\"verification_token\":\""
        + token + "\"}";
    HttpResponse<String> registered = post("register/", register);
    assertThat(registered.statusCode()).as("a mistyped address does not burn the token").isEqualTo(201);
    assertThat(registered.body()).contains("\"email_verified\":true");
    HttpResponse<String> again = post("register/", register);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("invalid_or_used_token");
  }

  @Test
  @DisplayName("invalid address 400 invalid_email, wrong code 400 neutral, five wrong then 429, bad JSON 400")
  void refusals() throws Exception {
    assertThat(post("send_verification_code/", "{\"email\":\"not-an-address\"}").body()).contains("invalid_email");
    assertThat(post("send_verification_code/", "{nope").body()).contains("invalid_json");
    assertThat(post("send_verification_code/", "{\"email\":\"cy@example.com\"}").statusCode()).isEqualTo(200);
    String code = outbox.latestCode("cy@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = post("verify_code/", "{\"email\":\"cy@example.com\",\"code\":\"" + wrong + "\"}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("invalid_or_expired_code");
    }
    assertThat(post("verify_code/", "{\"email\":\"cy@example.com\",\"code\":\"" + code + "\"}").statusCode())
        .as("C6 locked even for the right code").isEqualTo(429);
  }
}
