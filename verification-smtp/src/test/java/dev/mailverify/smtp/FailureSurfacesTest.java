package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 23 (C16, C24): the nine fault modes a new user meets, each through the surfaces of
 * verification-smtp and core: the {@link DeliveryException} the transport throws, {@code doctor}
 * ({@link SmtpDiagnostics} with a test send) and the asynchronous {@code DELIVER} audit line. Each
 * names the category, the deciding reply where the server sent one, and the reason, and none
 * shows the password or the code. (The examples module runs {@code sendtestmail} the same way.)
 */
class FailureSurfacesTest {
  static final String RECIPIENT = FaultMode.RECIPIENT;

  static EmailMessage message() {
    return EmailMessage.builder(EmailAddress.parse(RECIPIENT)).subject("Your code")
        .text("Your code is 123456.").code("123456").build();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C24/C16 issue 23: the exception's message names the category, the deciding reply and the reason")
  void exception(FaultMode fault) throws Exception {
    try (FaultMode.Peer peer = fault.start(); SmtpTransport transport = SmtpTransport.create(peer.settings())) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message()));
      assertThat(e).as(fault.toString()).isNotNull();
      assertThat(e.category()).isEqualTo(fault.category());
      assertThat(e.description().reason()).as("the reason of " + fault).contains(fault.reason());
      fault.assertNamed("exception", e.getMessage() + "\n" + e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C24/C16 issue 23: doctor (with a test send) names the category, the deciding reply and the reason")
  void doctor(FaultMode fault) throws Exception {
    try (FaultMode.Peer peer = fault.start()) {
      DiagnosticReport report = SmtpDiagnostics.builder(peer.settings()).build().run(EmailAddress.parse(RECIPIENT));
      assertThat(report.passed()).as(report.toString()).isFalse();
      assertThat(report.firstFailure().orElseThrow().category()).isEqualTo(fault.category());
      fault.assertNamed("doctor", report.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C27/C16 issue 23: the asynchronous DELIVER audit line names the category, the server's reply, the reason and the hint, once")
  void deliverLine(FaultMode fault) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CompletableFuture<VerificationEvent> delivered = new CompletableFuture<>();
    try (FaultMode.Peer peer = fault.start()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (AsyncMailTransport async = MailTransport.async(SmtpTransport.create(peer.settings()))
          .retry(RetryPolicy.none()).build()) {
        VerificationCodeService service = VerificationCodeService.builder().transport(async)
            .secret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
            .listener(event -> {
              if (event.action() == VerificationEvent.Action.DELIVER) {
                delivered.complete(event);
              }
            })
            .build();
        SendResult result = service.sendVerificationCode(RECIPIENT, VerificationType.REGISTER, Duration.ofMinutes(10));
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        VerificationEvent event = delivered.get(60, TimeUnit.SECONDS);
        assertThat(event.outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERY_FAILED);
        assertThat(event.failure()).isNotNull();
        assertThat(event.failure().reason()).contains(fault.reason());
      }
    } finally {
      System.setErr(original);
    }
    List<String> lines = new ArrayList<>();
    captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("DELIVER ")).forEach(lines::add);
    assertThat(lines).as("one DELIVER line").hasSize(1);
    String line = lines.get(0);
    fault.assertNamed("DELIVER line", line);
    assertThat(line).contains("hint: ").contains("to=n***@example.org").doesNotContain(RECIPIENT)
        .doesNotContain(FaultMode.USER);
  }
}
