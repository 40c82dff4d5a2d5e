package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's link page (C32): a GET, as a mail scanner makes, shows a button and consumes nothing;
 * only the button's POST verifies. Driven over real HTTP, reading the forms the pages serve.
 */
class LinkPageTest {
  private static final Pattern LINK = Pattern.compile("https://demo\\.example\\.com/verify(\\?token=[A-Za-z0-9_-]{43}&type=register)");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final HttpClient http = HttpClient.newHttpClient();
  private DemoServer server;

  @BeforeEach
  void start() throws Exception {
    VerificationCodeService service = VerificationCodeService.builder().transport(outbox).clock(clock)
        .defaultPolicy(VerificationPolicy.builder().linkBaseUrl(URI.create("https://demo.example.com/verify")).build())
        .build();
    server = DemoServer.start(service, new UserDirectory(), clock,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI local(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(local(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return http.send(HttpRequest.newBuilder(local(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      fields.put(m.group(1), m.group(2));
    }
    return fields;
  }

  /** Sends a code and returns the path and query of the mail's link, as it points at this server. */
  private String sendAndReadLink(String email) throws Exception {
    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(local("/api/v1/auth/send_verification_code/"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(Map.of("email", email, "type", "register")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).isEqualTo(200);
    Matcher m = LINK.matcher(outbox.latestTo(email).orElseThrow().text());
    assertThat(m.find()).as("the mail's text part shows the link").isTrue();
    return "/verify" + m.group(1);
  }

  @Test
  @DisplayName("C32: a scanner's two GETs of the link consume nothing - the code still works")
  void getsNeverConsume() throws Exception {
    String link = sendAndReadLink("scan@example.com");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> page = get(link);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<form method=\"post\" action=\"/verify\">", "id=\"confirm\"");
      assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }
    String code = outbox.latestCode("scan@example.com").orElseThrow();
    HttpResponse<String> verified = http.send(HttpRequest.newBuilder(local("/api/v1/auth/verify_code/"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(
            Map.of("email", "scan@example.com", "type", "register", "code", code)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(verified.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("C32: after two GETs the button signs the user up; the link works once, and its code is gone too")
  void buttonSignsUpOnce() throws Exception {
    String link = sendAndReadLink("click@example.com");
    get(link);
    Map<String, String> button = hiddenFields(get(link).body());
    assertThat(button).containsKeys("token", "type");

    HttpResponse<String> confirmed = postForm("/verify", button);
    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(confirmed.body()).contains("id=\"verified\"");
    Map<String, String> finish = new LinkedHashMap<>(hiddenFields(confirmed.body()));
    finish.put("password", "correct horse battery");
    HttpResponse<String> registered = postForm("/verify/register", finish);
    assertThat(registered.statusCode()).isEqualTo(201);
    assertThat(registered.body()).contains("click@example.com");

    assertThat(postForm("/verify", button).statusCode()).isEqualTo(400);
    String code = outbox.latestCode("click@example.com").orElseThrow();
    HttpResponse<String> codeAfter = http.send(HttpRequest.newBuilder(local("/api/v1/auth/verify_code/"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(
            Map.of("email", "click@example.com", "type", "register", "code", code)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(codeAfter.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("C21: the page escapes what the link carries; a made-up token is refused on POST")
  void pageEscapesAndRefusesMadeUpTokens() throws Exception {
    HttpResponse<String> page = get("/verify?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&type=register");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).doesNotContain("<script>").contains("&quot;&gt;&lt;script&gt;");
    assertThat(postForm("/verify", Map.of("token", "x".repeat(43), "type", "register")).statusCode()).isEqualTo(400);
    assertThat(http.send(HttpRequest.newBuilder(local("/verify")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
  }
}
