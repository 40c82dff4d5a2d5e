package dev.mailverify.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.AutoConfigureMailVerifyOutbox;
import java.net.URL;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example's link page (C32) in a real HTML engine (HtmlUnit), against the running app: a GET,
 * as a mail scanner makes, consumes nothing; the button signs the user up, once; another browser
 * (other cookies) is asked for the code instead (the same-device option).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureMailVerifyOutbox
class LinkPageTest {
  private static final Pattern LINK =
      Pattern.compile("http://localhost:8080/verify(\\?token=[A-Za-z0-9_.-]+&type=register)");

  @Autowired
  InMemoryOutbox outbox;

  @Value("${local.server.port}")
  int port;

  private WebClient browser;
  private WebClient otherBrowser;

  @BeforeEach
  void browsers() {
    browser = newBrowser();
    otherBrowser = newBrowser();
  }

  @AfterEach
  void close() {
    browser.close();
    otherBrowser.close();
  }

  private static WebClient newBrowser() {
    WebClient client = new WebClient(BrowserVersion.FIREFOX);
    client.getOptions().setThrowExceptionOnFailingStatusCode(false);
    client.getOptions().setCssEnabled(false);
    return client;
  }

  private String local(String pathAndQuery) {
    return "http://127.0.0.1:" + port + pathAndQuery;
  }

  private Page postJson(WebClient client, String path, String json) throws Exception {
    WebRequest request = new WebRequest(new URL(local(path)), HttpMethod.POST);
    request.setAdditionalHeader("Content-Type", "application/json");
    request.setRequestBody(json);
    return client.getPage(request);
  }

  /** Sends a code from {@code client} (which keeps the app's device cookie) and returns the mail's link, pointed here. */
  private String sendAndReadLink(WebClient client, String email) throws Exception {
    Page sent = postJson(client, "/api/v1/auth/send_verification_code/", "{\"email\":\"" + email + "\"}");
    assertThat(sent.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(client.getCookieManager().getCookie(AuthController.DEVICE_COOKIE)).isNotNull();
    Matcher m = LINK.matcher(outbox.latestTo(email).orElseThrow().text());
    assertThat(m.find()).as("the mail's text part shows the link").isTrue();
    return local("/verify" + m.group(1));
  }

  private int verifyCode(String email) throws Exception {
    String code = outbox.latestCode(email).orElseThrow();
    return postJson(browser, "/api/v1/auth/verify_code/", "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}")
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
    HtmlPage confirmed = click(browser.getPage(link), "confirm");
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
    assertThat(asked.getHtmlElementById("code-required").getTextContent()).contains("another browser");

    HtmlInput email = asked.getHtmlElementById("email");
    email.type("away@example.com");
    HtmlInput code = asked.getHtmlElementById("code");
    code.type(outbox.latestCode("away@example.com").orElseThrow());
    HtmlPage confirmed = click(asked, "verify-code");
    HtmlInput password = confirmed.getHtmlElementById("password");
    password.type("correct horse battery");
    assertThat(click(confirmed, "finish").getHtmlElementById("registered").getTextContent())
        .isEqualTo("Signed up as away@example.com.");

    assertThat(click(browser.getPage(link), "confirm").getWebResponse().getStatusCode())
        .as("the code consumed its link").isEqualTo(400);
  }

  @Test
  @DisplayName("C32 same device: the browser that asked can still use its link after another browser opened it")
  void askingBrowserKeepsItsLink() throws Exception {
    String link = sendAndReadLink(browser, "both@example.com");
    assertThat(click(otherBrowser.getPage(link), "confirm").getTitleText()).startsWith("Type your code");
    assertThat(click(browser.getPage(link), "confirm").getHtmlElementById("verified").getTextContent())
        .contains("Your address is confirmed");
  }

  @Test
  @DisplayName("C21: the page escapes what the link carries; a made-up token is refused")
  void pageEscapesAndRefusesMadeUpTokens() throws Exception {
    HtmlPage page = browser.getPage(local("/verify?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&type=register"));
    assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
    assertThat(page.getWebResponse().getContentAsString()).doesNotContain("<script>");
    HtmlPage made = click(browser.getPage(local("/verify?token=" + "x".repeat(43) + "&type=register")), "confirm");
    assertThat(made.getWebResponse().getStatusCode()).isEqualTo(400);
  }
}
