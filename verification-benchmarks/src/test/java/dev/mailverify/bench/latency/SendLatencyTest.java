package dev.mailverify.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.RealisticMailRenderer;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.transport.InMemoryOutbox;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailverify.bench.smtp.Contenders;
import dev.mailverify.bench.smtp.SmtpEndpoint;
import dev.mailverify.core.MailTransport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendLatencyTest {

  @RegisterExtension
  static final GreenMailExtension SINK = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @DisplayName("every measured request is sent and timed, closed loop and at a fixed rate")
  @ParameterizedTest(name = "rate {0}/s")
  @ValueSource(ints = {0, 2000})
  void timesEveryRequest(int rate) throws Exception {
    InMemoryOutbox outbox = new InMemoryOutbox();
    VerificationCodeService service = BenchServices.build(outbox, CodeStore.inMemory(), BenchPolicy.relaxed(),
        new RealisticMailRenderer());

    SendLatency.Report report = SendLatency.measure(service, outbox, 2, 50, 10, rate, outbox);

    assertThat(report.failures()).isZero();
    assertThat(report.sorted()).hasSize(50);
    assertThat(report.sorted()[0]).isPositive();
    assertThat(outbox.size()).isEqualTo(50); // warm-up mails were dropped before measuring
  }

  @Test
  @DisplayName("through mailverify's SMTP transport every request is sent, timed and delivered; close is timed")
  void timesEveryRequestThroughMailverifySmtp() throws Exception {
    MailTransport transport = Contenders.named(Contenders.MAILVERIFY)
        .open(SmtpEndpoint.plain("127.0.0.1", SINK.getSmtp().getPort()), 2);
    VerificationCodeService service = BenchServices.build(transport, CodeStore.inMemory(), BenchPolicy.relaxed(),
        new RealisticMailRenderer());

    SendLatency.Report report = SendLatency.measure(service, transport, 2, 20, 5, 0, null);

    assertThat(report.failures()).isZero();
    assertThat(report.sorted()).hasSize(20);
    assertThat(report.drainNanos()).isPositive();
    assertThat(SINK.getReceivedMessages()).hasSize(25);
  }
}
