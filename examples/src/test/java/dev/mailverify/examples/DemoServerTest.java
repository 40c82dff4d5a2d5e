package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Drives the demo's HTTP API end to end with the in-memory outbox. */
class DemoServerTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final HttpClient http = HttpClient.newHttpClient();
  private DemoServer server;

  @BeforeEach
  void start() throws Exception {
    VerificationCodeService service = VerificationCodeService.builder().transport(outbox).clock(clock).build();
    server = DemoServer.start(service, new UserDirectory(), clock,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Answer(int status, Map<String, Object> body, HttpResponse<String> raw) {}

  private Answer post(String path, Object body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.std.asString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.std.mapFrom(r.body()), r);
  }

  @Test
  @DisplayName("a user registers through the whole flow: send, verify, register; the token cannot be replayed")
  void wholeFlow() throws Exception {
    Answer sent = post("/api/v1/auth/send_verification_code/", Map.of("email", "ada@example.com", "type", "register"));
    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.body()).containsEntry("expires_in", 600);

    String code = outbox.latestCode("ada@example.com").orElseThrow();
    Answer verified = post("/api/v1/auth/verify_code/",
        Map.of("email", "ada@example.com", "type", "register", "code", code));
    assertThat(verified.status()).isEqualTo(200);
    String token = (String) verified.body().get("verification_token");
    assertThat(token).hasSize(43);

    Map<String, Object> form = Map.of("email", "ada@example.com", "password", "correct horse battery",
        "verification_token", token);
    Answer created = post("/api/v1/auth/register/", form);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).containsEntry("email_verified", true);

    Answer replay = post("/api/v1/auth/register/", form);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.body()).containsEntry("error", "invalid_or_used_token");
  }

  @Test
  @DisplayName("a second send inside the cooldown is 429 with Retry-After")
  void rateLimited() throws Exception {
    assertThat(post("/api/v1/auth/send_verification_code/", Map.of("email", "b@example.com")).status()).isEqualTo(200);
    Answer again = post("/api/v1/auth/send_verification_code/", Map.of("email", "B@Example.com "));
    assertThat(again.status()).isEqualTo(429);
    assertThat(again.raw().headers().firstValue("Retry-After")).contains("60");
  }

  @Test
  @DisplayName("bad address is 400; wrong code is a neutral 400; five wrong codes lock with 429")
  void badInput() throws Exception {
    assertThat(post("/api/v1/auth/send_verification_code/", Map.of("email", "not-an-address")).status())
        .isEqualTo(400);
    assertThat(post("/api/v1/auth/send_verification_code/", "{not json").status()).isEqualTo(400);
    post("/api/v1/auth/send_verification_code/", Map.of("email", "c@example.com"));
    String code = outbox.latestCode("c@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 5; i++) {
      Answer a = post("/api/v1/auth/verify_code/", Map.of("email", "c@example.com", "code", wrong));
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.body()).containsEntry("error", "invalid_or_expired_code");
    }
    assertThat(post("/api/v1/auth/verify_code/", Map.of("email", "c@example.com", "code", code)).status())
        .isEqualTo(429);
  }

  @Test
  @DisplayName("C9 a token issued for one address cannot register another, and is not burnt by the mistyped address")
  void tokenForAnotherAddress() throws Exception {
    post("/api/v1/auth/send_verification_code/", Map.of("email", "d@example.com"));
    String token = (String) post("/api/v1/auth/verify_code/",
        Map.of("email", "d@example.com", "code", outbox.latestCode("d@example.com").orElseThrow()))
        .body().get("verification_token");
    Answer typo = post("/api/v1/auth/register/", Map.of("email", "dd@example.com", "password", "long enough pw",
        "verification_token", token));
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.body()).containsEntry("error", "invalid_or_used_token");
    Answer right = post("/api/v1/auth/register/", Map.of("email", "D@Example.com", "password", "long enough pw",
        "verification_token", token));
    assertThat(right.status()).as("the token survived the typo").isEqualTo(201);
    assertThat(right.body()).containsEntry("email", "d@example.com").containsEntry("email_verified", true);
  }

  @Test
  @DisplayName("C11 only the demo's four types are accepted; a made-up type is 400 and sends nothing")
  void onlyFourTypes() throws Exception {
    for (String type : new String[] {"made-up", "REGISTER", "register ", ""}) {
      Answer a = post("/api/v1/auth/send_verification_code/", Map.of("email", "f@example.com", "type", type));
      assertThat(a.status()).as(type).isEqualTo(400);
      assertThat(a.body()).containsEntry("error", "invalid_type");
      assertThat((String) a.body().get("detail")).contains("register, login, reset_password, change_email");
    }
    assertThat(post("/api/v1/auth/send_verification_code/", Map.of("email", "f@example.com", "type", 7)).status())
        .isEqualTo(400);
    assertThat(post("/api/v1/auth/verify_code/", Map.of("email", "f@example.com", "type", "x", "code", "123456"))
        .body()).containsEntry("error", "invalid_type");
    assertThat(outbox.size()).isZero();
    for (String type : new String[] {"register", "login", "reset_password", "change_email"}) {
      assertThat(post("/api/v1/auth/send_verification_code/", Map.of("email", "g@example.com", "type", type))
          .status()).as(type).isEqualTo(200);
    }
    assertThat(outbox.size()).isEqualTo(4);
  }

  @Test
  @DisplayName("a delivery failure is 503 (transient) or 502 (permanent) with the category")
  void deliveryFailure() throws Exception {
    outbox.failNext(new DeliveryException(DeliveryException.Category.SERVER_BUSY, "421", null),
        new DeliveryException(DeliveryException.Category.AUTHENTICATION, "535", null));
    Answer busy = post("/api/v1/auth/send_verification_code/", Map.of("email", "e@example.com"));
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.body()).containsEntry("category", "SERVER_BUSY");
    Answer auth = post("/api/v1/auth/send_verification_code/", Map.of("email", "e@example.com"));
    assertThat(auth.status()).isEqualTo(502);
    assertThat(auth.body()).containsEntry("category", "AUTHENTICATION");
  }
}
