package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.BrowserVersion;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's link page (C32) in a real HTML engine (HtmlUnit): a GET, as a mail scanner makes,
 * shows a button and consumes nothing; only the button's POST verifies, once; a link opened in
 * another browser (other cookies) asks for the code instead (the same-device option).
 */
class LinkPageTest {
  private static final Pattern LINK =
      Pattern.compile("https://demo\\.example\\.com/verify(\\?token=[A-Za-z0-9_.-]+&type=register)");

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private DemoServer server;
  private WebClient browser;
  private WebClient otherBrowser;

  @BeforeEach
  void start() throws Exception {
    VerificationCodeService service = VerificationCodeService.builder().transport(outbox).clock(clock)
        .defaultPolicy(VerificationPolicy.builder().linkBaseUrl(URI.create("https://demo.example.com/verify")).build())
        .build();
    server = DemoServer.start(service, new UserDirectory(), clock,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    browser = newBrowser();
    otherBrowser = newBrowser();
  }

  @AfterEach
  void stop() {
    browser.close();
    otherBrowser.close();
    server.close();
  }

  private static WebClient newBrowser() {
    WebClient client = new WebClient(BrowserVersion.FIREFOX);
    client.getOptions().setThrowExceptionOnFailingStatusCode(false);
    client.getOptions().setCssEnabled(false);
    return client;
  }

  private String local(String pathAndQuery) {
    return "http://127.0.0.1:" + server.port() + pathAndQuery;
  }

  private Page postJson(WebClient client, String path, String json) throws Exception {
    WebRequest request = new WebRequest(new URL(local(path)), HttpMethod.POST);
    request.setAdditionalHeader("Content-Type", "application/json");
    request.setRequestBody(json);
    return client.getPage(request);
  }

  /** Sends a code from {@code client} (which keeps the demo's device cookie) and returns the mail's link, pointed here. */
  private String sendAndReadLink(WebClient client, String email) throws Exception {
    Page sent = postJson(client, "/api/v1/auth/send_verification_code/",
        "{\"email\":\"" + email + "\",\"type\":\"register\"}");
    assertThat(sent.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(client.getCookieManager().getCookie(DemoServer.DEVICE_COOKIE)).as("the demo named this browser")
        .isNotNull();
    Matcher m = LINK.matcher(outbox.latestTo(email).orElseThrow().text());
    assertThat(m.find()).as("the mail's text part shows the link").isTrue();
    return local("/verify" + m.group(1));
  }

  private int verifyCode(String email) throws Exception {
    String code = outbox.latestCode(email).orElseThrow();
    return postJson(browser, "/api/v1/auth/verify_code/",
        "{\"email\":\"" + email + "\",\"type\":\"register\",\"code\":\"" + code + "\"}")
        .getWebResponse().getStatusCode();
  }

  private static HtmlPage click(HtmlPage page, String id) throws Exception {
    HtmlElement button = page.getHtmlElementById(id);
    return button.click();
  }

  @Test
  @DisplayName("C32: a scanner's two GETs of the link render the page and consume nothing - the code still works")
  void getsNeverConsume() throws Exception {
    String link = sendAndReadLink(browser, "scan@example.com");
    for (int i = 0; i < 2; i++) {
      HtmlPage page = browser.getPage(link);
      assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
      assertThat(page.getTitleText()).startsWith("Confirm your e-mail address");
      assertThat(page.getHtmlElementById("confirm").getTextContent()).isEqualTo("Confirm my address");
      assertThat(page.getWebResponse().getResponseHeaderValue("Referrer-Policy")).isEqualTo("no-referrer");
    }
    assertThat(verifyCode("scan@example.com")).isEqualTo(200);
  }

  @Test
  @DisplayName("C32: after two GETs the button signs the user up; the same link a second time is refused")
  void buttonSignsUpOnce() throws Exception {
    String link = sendAndReadLink(browser, "click@example.com");
    browser.getPage(link);
    HtmlPage page = browser.getPage(link);

    HtmlPage confirmed = click(page, "confirm");
    assertThat(confirmed.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(confirmed.getHtmlElementById("verified").getTextContent()).contains("Your address is confirmed");
    HtmlInput password = confirmed.getHtmlElementById("password");
    password.type("correct horse battery");
    HtmlPage registered = click(confirmed, "finish");
    assertThat(registered.getWebResponse().getStatusCode()).isEqualTo(201);
    assertThat(registered.getHtmlElementById("registered").getTextContent())
        .isEqualTo("Signed up as click@example.com.");

    HtmlPage again = click(browser.getPage(link), "confirm");
    assertThat(again.getWebResponse().getStatusCode()).isEqualTo(400);
    assertThat(again.getHtmlElementById("refused").getTextContent()).contains("already used");
    assertThat(verifyCode("click@example.com")).as("the link consumed its code too").isEqualTo(400);
  }

  @Test
  @DisplayName("C32 same device: another browser's click gets 'type your code', consumes nothing, and the code signs up")
  void otherBrowserIsAskedForTheCode() throws Exception {
    String link = sendAndReadLink(browser, "away@example.com");

    HtmlPage asked = click(otherBrowser.getPage(link), "confirm");
    assertThat(asked.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(asked.getTitleText()).startsWith("Type your code");
    assertThat(asked.getHtmlElementById("code-required").getTextContent()).contains("another browser");

    HtmlInput email = asked.getHtmlElementById("email");
    email.type("away@example.com");
    HtmlInput code = asked.getHtmlElementById("code");
    code.type(outbox.latestCode("away@example.com").orElseThrow());
    HtmlPage confirmed = click(asked, "verify-code");
    assertThat(confirmed.getHtmlElementById("verified").getTextContent()).contains("Your address is confirmed");
    HtmlInput password = confirmed.getHtmlElementById("password");
    password.type("correct horse battery");
    assertThat(click(confirmed, "finish").getHtmlElementById("registered").getTextContent())
        .isEqualTo("Signed up as away@example.com.");

    HtmlPage linkAfter = click(browser.getPage(link), "confirm");
    assertThat(linkAfter.getWebResponse().getStatusCode()).as("the code consumed its link").isEqualTo(400);
  }

  @Test
  @DisplayName("C32 same device: the browser that asked can still use its link after another browser opened it")
  void askingBrowserKeepsItsLink() throws Exception {
    String link = sendAndReadLink(browser, "both@example.com");
    assertThat(click(otherBrowser.getPage(link), "confirm").getTitleText()).startsWith("Type your code");
    HtmlPage confirmed = click(browser.getPage(link), "confirm");
    assertThat(confirmed.getHtmlElementById("verified").getTextContent()).contains("Your address is confirmed");
  }

  @Test
  @DisplayName("C32: a wrong code on the 'type your code' form is refused and offers the form again")
  void wrongCodeOnTheCodeForm() throws Exception {
    String link = sendAndReadLink(browser, "typo@example.com");
    HtmlPage asked = click(otherBrowser.getPage(link), "confirm");
    HtmlInput email = asked.getHtmlElementById("email");
    email.type("typo@example.com");
    String right = outbox.latestCode("typo@example.com").orElseThrow();
    HtmlInput code = asked.getHtmlElementById("code");
    code.type(right.equals("000000") ? "111111" : "000000");
    HtmlPage refused = click(asked, "verify-code");
    assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
    assertThat(refused.getHtmlElementById("refused").getTextContent()).contains("wrong or has expired");
    HtmlInput again = refused.getHtmlElementById("email");
    assertThat(again.getValue()).as("the address is kept").isEqualTo("typo@example.com");
  }

  @Test
  @DisplayName("C21: the page escapes what the link carries; a made-up token is refused on POST; PUT is 405")
  void pageEscapesAndRefusesMadeUpTokens() throws Exception {
    HtmlPage page = browser.getPage(local("/verify?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&type=register"));
    assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(page.getWebResponse().getContentAsString()).doesNotContain("<script>")
        .contains("&quot;&gt;&lt;script&gt;");
    HtmlPage made = click(browser.getPage(local("/verify?token=" + "x".repeat(43) + "&type=register")), "confirm");
    assertThat(made.getWebResponse().getStatusCode()).isEqualTo(400);
    WebRequest put = new WebRequest(new URL(local("/verify")), HttpMethod.PUT);
    assertThat(browser.getPage(put).getWebResponse().getStatusCode()).isEqualTo(405);
  }

  @Test
  @DisplayName("the front page starts with an address that passes the MX check, and says whether the check is on")
  void frontPagePrefill() throws Exception {
    HtmlPage page = browser.getPage(local("/"));
    HtmlInput email = page.getHtmlElementById("email");
    assertThat(email.getValue()).isEqualTo(DemoServer.DEFAULT_EMAIL).isNotEqualTo("you@example.com");
    assertThat(page.getHtmlElementById("mx-check").getTextContent()).startsWith("MX check: off");
  }
}
