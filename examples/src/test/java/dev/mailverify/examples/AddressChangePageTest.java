package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
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
 * The demo's change of address (C33): the form, the code to the new address, the notice to the
 * old one, and the revert page (a GET shows a button and reverts nothing; the POST reverts once, for
 * the old address only). Driven over real HTTP, reading the forms the pages serve.
 */
class AddressChangePageTest {
  private static final Pattern REVERT = Pattern.compile("https://demo\\.example\\.com/account/revert(\\?token=[A-Za-z0-9_-]{43})");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");
  private static final String PASSWORD = "correct horse battery";

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final HttpClient http = HttpClient.newHttpClient();
  private final UserDirectory users = new UserDirectory();
  private DemoServer server;

  @BeforeEach
  void start() throws Exception {
    VerificationCodeService service = VerificationCodeService.builder().transport(outbox).clock(clock)
        .revertLinkBaseUrl(URI.create("https://demo.example.com/account/revert"))
        .build();
    server = DemoServer.start(service, users, clock, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    users.create("ann@example.com", PASSWORD.toCharArray());
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

  /** Changes Ann's address through the two forms and returns the revert link's path and query. */
  private String changeAddress() throws Exception {
    assertThat(get("/account/email").body()).contains("<form method=\"post\" action=\"/account/email\">");
    HttpResponse<String> sent = postForm("/account/email",
        Map.of("email", "ann@example.com", "password", PASSWORD, "new_email", "ann.new@example.org"));
    assertThat(sent.statusCode()).isEqualTo(200);
    Map<String, String> confirm = new LinkedHashMap<>(hiddenFields(sent.body()));
    confirm.put("code", outbox.latestCode("ann.new@example.org").orElseThrow());
    confirm.put("password", PASSWORD);
    HttpResponse<String> changed = postForm("/account/email/confirm", confirm);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).contains("id=\"changed\"");
    assertThat(users.find("ann.new@example.org")).isPresent();
    assertThat(users.find("ann@example.com")).isEmpty();

    Matcher m = REVERT.matcher(outbox.latestTo("ann@example.com").orElseThrow().text());
    assertThat(m.find()).as("the notice to the old address shows the revert link").isTrue();
    return "/account/revert" + m.group(1);
  }

  @Test
  @DisplayName("C33: a wrong password changes nothing and sends no code")
  void wrongPasswordChangesNothing() throws Exception {
    HttpResponse<String> refused = postForm("/account/email",
        Map.of("email", "ann@example.com", "password", "not the password", "new_email", "ann.new@example.org"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(outbox.messages()).isEmpty();
  }

  @Test
  @DisplayName("C33, C32: two GETs of the revert link revert nothing; the button reverts once, only for the old address")
  void revertPageRevertsOnce() throws Exception {
    String link = changeAddress();
    get(link);
    HttpResponse<String> page = get(link);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<form method=\"post\" action=\"/account/revert\">", "id=\"revert\"");
    assertThat(users.find("ann.new@example.org")).as("a GET reverts nothing").isPresent();

    Map<String, String> button = new LinkedHashMap<>(hiddenFields(page.body()));
    button.put("email", "mallory@example.net");
    assertThat(postForm("/account/revert", button).statusCode()).isEqualTo(400);

    button.put("email", "ann@example.com");
    HttpResponse<String> reverted = postForm("/account/revert", button);
    assertThat(reverted.statusCode()).isEqualTo(200);
    assertThat(reverted.body()).contains("id=\"reverted\"");
    assertThat(users.find("ann@example.com")).isPresent();
    assertThat(users.find("ann.new@example.org")).isEmpty();
    assertThat(users.passwordMatches("ann@example.com", PASSWORD.toCharArray())).isTrue();

    assertThat(postForm("/account/revert", button).statusCode()).as("the link works once").isEqualTo(400);
  }
}
