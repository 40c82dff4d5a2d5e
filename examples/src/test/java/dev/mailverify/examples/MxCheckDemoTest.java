package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.EnvironmentSource;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's MX check (on by default, {@code CHECK_MX=0} off, {@code DNS_SERVER=host:port}) over
 * HTTP, against a real DNS server on loopback (Debian's dnsmasq): no test here needs the internet.
 */
class MxCheckDemoTest {
  private static Dnsmasq dns;

  @BeforeAll
  static void startDns() throws IOException {
    dns = Dnsmasq.start(List.of(
        "mx-host=mail.test,mx1.mail.test,10",
        "host-record=mx1.mail.test,127.0.0.2",
        "mx-host=nullmx.test,.,0",
        // as the real DNS answers: example.com publishes a null MX (RFC 7505), gmail.com takes mail
        "mx-host=example.com,.,0",
        "mx-host=gmail.com,gmail-smtp-in.l.google.com,5",
        "host-record=gmail-smtp-in.l.google.com,127.0.0.3"));
  }

  @AfterAll
  static void stopDns() {
    if (dns != null) {
      dns.close();
    }
  }

  /** Runs the demo's backend built from these variables, with an outbox for a mail server. */
  private record Demo(DemoBackend backend, DemoServer server, InMemoryOutbox outbox, DemoHttp http)
      implements AutoCloseable {
    static Demo start(Map<String, String> variables) throws IOException {
      InMemoryOutbox outbox = MailTransport.inMemory();
      DemoBackend backend = DemoBackend.open(EnvironmentSource.of(variables), outbox);
      DemoServer server = DemoServer.start(backend.service(), new UserDirectory(), Clock.systemUTC(),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          new DemoServer.Options(DemoServer.DEFAULT_EMAIL, backend.mxCheck().isPresent()));
      return new Demo(backend, server, outbox, new DemoHttp(server.port()));
    }

    @Override
    public void close() {
      server.close();
      backend.close();
    }
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  @DisplayName("C30 with DNS_SERVER set, a domain that does not exist is 400 DOMAIN_NOT_FOUND, a null MX is 400"
      + " NO_MAIL_SERVER, and nothing is sent; a domain with MX gets its mail")
  void refusesDomainsThatTakeNoMail() throws Exception {
    try (Demo demo = Demo.start(env("DNS_SERVER", "127.0.0.1:" + dns.port()))) {
      DemoHttp.Answer nx = demo.http().send("user@nxdomain.invalid");
      assertThat(nx.status()).isEqualTo(400);
      assertThat(nx.body()).containsEntry("error", "invalid_email").containsEntry("reason", "DOMAIN_NOT_FOUND");
      DemoHttp.Answer nullMx = demo.http().send("user@nullmx.test");
      assertThat(nullMx.status()).isEqualTo(400);
      assertThat(nullMx.body()).containsEntry("reason", "NO_MAIL_SERVER");
      assertThat(demo.http().send("user@mail.test").status()).isIn(200, 202);
      demo.outbox().awaitMessages(1, Duration.ofSeconds(10));
      assertThat(demo.outbox().messages()).extracting(m -> m.to().address()).containsExactly("user@mail.test");
      // the check runs after the rate limits, so a refused address counts toward them too: a client
      // cannot use the demo to make DNS lookups at will
      assertThat(demo.http().send("user@nxdomain.invalid").status()).isEqualTo(429);
    }
  }

  @Test
  @DisplayName("C30 the page's pre-filled address passes the MX check (you@example.com, the old one, has a null MX);"
      + " the page says the check is on and shows why an address is refused")
  void pageShowsTheMxCheck() throws Exception {
    try (Demo demo = Demo.start(env("DNS_SERVER", "127.0.0.1:" + dns.port()));
        WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
      browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
      browser.getOptions().setCssEnabled(false);
      HtmlPage page = browser.getPage("http://127.0.0.1:" + demo.server().port() + "/");
      assertThat(page.getHtmlElementById("mx-check").getTextContent()).startsWith("MX check: on");
      HtmlInput email = page.getHtmlElementById("email");
      assertThat(email.getValue()).isEqualTo(DemoServer.DEFAULT_EMAIL);

      page.getHtmlElementById("send").click(); // the pre-filled address, as a first visitor sends it
      browser.waitForBackgroundJavaScript(10_000);
      assertThat(page.getHtmlElementById("out").getTextContent()).matches("(?s)20[02] .*expires_in.*");
      assertThat(page.getHtmlElementById("refusal").hasAttribute("hidden")).isTrue();
      demo.outbox().awaitMessages(1, Duration.ofSeconds(10));
      assertThat(demo.outbox().messages()).extracting(m -> m.to().address()).containsExactly(DemoServer.DEFAULT_EMAIL);

      email.setValue("you@example.com");
      page.getHtmlElementById("send").click();
      browser.waitForBackgroundJavaScript(10_000);
      assertThat(page.getHtmlElementById("refusal").getTextContent()).startsWith("Refused (NO_MAIL_SERVER): ");
      assertThat(page.getHtmlElementById("refusal").hasAttribute("hidden")).isFalse();
    }
  }

  @Test
  @DisplayName("C30 CHECK_MX=0 turns the check off: the same address is sent")
  void offWhenCheckMxIsZero() throws Exception {
    try (Demo demo = Demo.start(env("DNS_SERVER", "127.0.0.1:" + dns.port(), "CHECK_MX", "0"))) {
      assertThat(demo.http().send("user@nxdomain.invalid").status()).isIn(200, 202);
      demo.outbox().awaitMessages(1, Duration.ofSeconds(10));
    }
  }

  @Test
  @DisplayName("C30 a DNS server that never answers fails open: the mail is sent (after the 2 s lookup bound)")
  void failsOpenWhenDnsDoesNotAnswer() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Demo demo = Demo.start(env("DNS_SERVER", "127.0.0.1:" + silent.getLocalPort()))) {
      long start = System.nanoTime();
      DemoHttp.Answer sent = demo.http().send("user@nxdomain.invalid");
      assertThat(sent.status()).isIn(200, 202);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the lookup timeout")
          .isLessThan(Duration.ofSeconds(15));
      demo.outbox().awaitMessages(1, Duration.ofSeconds(10));
      assertThat(demo.backend().mxCheck().orElseThrow().failOpenCount()).isPositive();
    }
  }
}
