package dev.mailverify.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness against GreenMail on loopback: delivery and wiring only, no figures checked. */
class SmtpThroughputTest {

  @RegisterExtension
  static final GreenMailExtension SINK = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  @DisplayName("every contender delivers every warm-up and measured mail at each concurrency, and the summary names them")
  void everyContenderDeliversEveryMail() throws Exception {
    SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", SINK.getSmtp().getPort());
    List<Contender> contenders = List.copyOf(Contenders.all().values());
    SmtpThroughput.Settings settings = new SmtpThroughput.Settings(List.of(endpoint), contenders, List.of(1, 3), 12, 4,
        12, 4, 1, List.of());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

    List<ThroughputRun.Result> results = SmtpThroughput.run(settings, out);
    SmtpThroughput.printSummary(out, results);

    assertThat(results).hasSize(contenders.size() * 2);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.failures()).as(r.contender()).isZero();
      assertThat(r.messages()).isEqualTo(12);
    });
    assertThat(SINK.getReceivedMessages()).hasSize(contenders.size() * 2 * (12 + 4));
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("| plain | 3 | jakarta-reused |")
        .contains("| plain | 3 | mailverify-smtp |");
  }

  @Test
  @DisplayName("the mailverify-smtp contender is registered after the baselines and checked against the targets")
  void mailverifyContenderIsCheckedAgainstTargets() throws Exception {
    assertThat(Contenders.all().keySet()).containsExactly(Contenders.PER_MESSAGE, Contenders.REUSED,
        Contenders.MAILVERIFY);
    SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", SINK.getSmtp().getPort());
    SmtpThroughput.Settings settings = new SmtpThroughput.Settings(List.of(endpoint),
        List.copyOf(Contenders.all().values()), List.of(8), 16, 0, 16, 0, 1, List.of());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

    SmtpThroughput.printSummary(out, SmtpThroughput.run(settings, out));

    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains("mailverify-smtp plain: ")
        .contains("x per-message (target 3)")
        .doesNotContain("WARNING");
  }

  @Test
  @DisplayName("mailverify's transport delivers the realistic mail intact: UTF-8 subject and display name, text and HTML")
  void mailverifyTransportDeliversRealisticMail() throws Exception {
    SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", SINK.getSmtp().getPort());
    var mail = VerificationMails.generate(1, 7).get(0);
    try (var transport = Contenders.named(Contenders.MAILVERIFY).open(endpoint, 2)) {
      transport.send(mail);
    }

    MimeMessage received = SINK.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo(mail.subject());
    assertThat(((InternetAddress) received.getFrom()[0]).getPersonal()).isEqualTo("Roamio 旅行");
    MimeMultipart alternative = (MimeMultipart) received.getContent();
    assertThat(alternative.getContentType()).startsWith("multipart/alternative");
    // text travels in canonical form (CRLF line ends, RFC 2045)
    assertThat(((String) alternative.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo(mail.html());
  }

  @Test
  @DisplayName("a mail arrives with a UTF-8 subject and display name, a text and an HTML part")
  void mailsAreRealistic() throws Exception {
    SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", SINK.getSmtp().getPort());
    try (var transport = Contenders.named(Contenders.REUSED).open(endpoint, 1)) {
      transport.send(VerificationMails.generate(1, 7).get(0));
    }

    MimeMessage received = SINK.getReceivedMessages()[0];
    assertThat(received.getSubject()).contains("验证码");
    assertThat(((InternetAddress) received.getFrom()[0]).getPersonal()).isEqualTo("Roamio 旅行");
    MimeMultipart alternative = (MimeMultipart) received.getContent();
    assertThat(alternative.getContentType()).startsWith("multipart/alternative");
    assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat(((String) alternative.getBodyPart(1).getContent()).getBytes(StandardCharsets.UTF_8).length)
        .isGreaterThan(1800);
  }

  @Test
  @DisplayName("an endpoint that is not on this machine is refused before anything is sent")
  void onlyLoopback() {
    assertThatThrownBy(() -> SmtpEndpoint.plain("192.0.2.1", 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }
}
