package dev.mailverify.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The distance harness against GreenMail: the proxy's delay is real, and every contender delivers through it. */
class SmtpDistanceTest {

  @RegisterExtension
  static final GreenMailExtension SINK = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static InetSocketAddress sink() {
    return new InetSocketAddress("127.0.0.1", SINK.getSmtp().getPort());
  }

  @Test
  @DisplayName("the proxy adds the round trip it is set to, as a NOOP ping through it shows")
  void proxyAddsTheRoundTrip() throws Exception {
    try (DelayProxy proxy = new DelayProxy(sink(), Duration.ofMillis(80))) {
      long ping = NoopPing.medianNanos(SmtpEndpoint.plain("127.0.0.1", proxy.port()), 3);
      assertThat(ping).as("NOOP round trip through an 80 ms proxy")
          .isGreaterThanOrEqualTo(Duration.ofMillis(78).toNanos())
          .isLessThan(Duration.ofSeconds(5).toNanos());
      assertThat(proxy.connections()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("every contender delivers through the proxy without a failure, and the summary rates them against the baselines")
  void everyContenderDeliversThroughTheProxy() throws Exception {
    List<SmtpDistance.Cell> cells = new ArrayList<>();
    try (DelayProxy proxy = new DelayProxy(sink(), Duration.ZERO)) {
      SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", proxy.port());
      for (String name : List.of(Contenders.MAILVERIFY, JakartaSharedConnections.NAME, VertxMail.NAME)) {
        Contender contender = name.equals(JakartaSharedConnections.NAME) ? new JakartaSharedConnections()
            : Contenders.named(name);
        cells.add(SmtpDistance.run(name, contender, endpoint, "plain", 0, 1, 3, Duration.ZERO, Duration.ofMillis(300),
            VerificationMails.generate(20, 1)));
      }
    }
    assertThat(cells).allSatisfy(c -> {
      assertThat(c.failures()).as(c.contender() + ": " + c.firstFailure()).isZero();
      assertThat(c.mails()).as(c.contender()).isPositive();
    });
    int sent = cells.stream().mapToInt(c -> c.mails() + c.threads() * 2).sum();
    assertThat(SINK.getReceivedMessages()).hasSize(sent);

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    SmtpDistance.summary(new PrintStream(text, true, StandardCharsets.UTF_8), cells, Map.of("0|plain", 0.1));
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("| 0 (0.1) | plain | 1 | mailverify-smtp |")
        .contains("| vertx-mail |").contains("| jakarta-reused |");
  }
}
