package dev.mailverify.examples;

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
import dev.mailverify.smtp.EnvironmentSource;
import dev.mailverify.smtp.FaultMode;
import dev.mailverify.smtp.SmtpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 23's done-when test (C16, C24, C27): the nine fault modes a new user meets on loopback,
 * each through the four places a failure surfaces (the {@link DeliveryException},
 * {@code sendtestmail}, {@code doctor --to} and the asynchronous {@code DELIVER} audit line). Every
 * one names the category, the deciding reply where the server sent one, and the reason (a
 * certificate's names, the refused address, ...), and none shows the password or the code:
 * 9 x 4 = 36 checks.
 */
class FailureSurfacesCommandsTest {
  private static final String RECIPIENT = FaultMode.RECIPIENT;
  /** A loopback UDP port nothing listens on: doctor's sender checks get no DNS answer at once. */
  private static final int CLOSED_UDP_PORT = closedUdpPort();

  private static int closedUdpPort() {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String command(Map<String, String> variables, String... args) {
    Map<String, String> env = new HashMap<>(variables);
    env.put("DNS_SERVER", "127.0.0.1:" + CLOSED_UDP_PORT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = DemoApp.run(args, EnvironmentSource.of(env), new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isEqualTo(1);
    return printed;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C24/C16 issue 23: the exception's message names the category, the deciding reply and the reason")
  void exception(FaultMode fault) throws Exception {
    try (FaultMode.Peer peer = fault.start(); SmtpTransport transport = SmtpTransport.create(peer.settings())) {
      EmailMessage message = EmailMessage.builder(EmailAddress.parse(RECIPIENT)).subject("Your code")
          .text("Your code is 123456.").code("123456").build();
      DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message));
      assertThat(e).as(fault.toString()).isNotNull();
      assertThat(e.category()).isEqualTo(fault.category());
      fault.assertNamed("exception", e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C24/C16 issue 23: sendtestmail names the category, the deciding reply and the reason, exit 1")
  void sendTestMail(FaultMode fault) throws Exception {
    try (FaultMode.Peer peer = fault.start()) {
      String printed = command(peer.env(), "sendtestmail", RECIPIENT);
      assertThat(printed).contains("✘ failed: " + fault.category()).contains("  hint: ");
      assertThat(printed.lines().filter(l -> l.startsWith("  reason: ")).findFirst())
          .hasValueSatisfying(line -> assertThat(line).contains(fault.reason()));
      fault.assertNamed("sendtestmail", printed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C24/C16 issue 23: doctor --to names the category, the deciding reply and the reason, exit 1")
  void doctor(FaultMode fault) throws Exception {
    try (FaultMode.Peer peer = fault.start()) {
      String printed = command(peer.env(), "doctor", "--to", RECIPIENT);
      assertThat(printed).contains("✘");
      fault.assertNamed("doctor", printed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FaultMode.class)
  @DisplayName("C27/C16 issue 23: the asynchronous DELIVER audit line names the category, the reply, the reason and the hint, once")
  void deliverLine(FaultMode fault) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CompletableFuture<VerificationEvent> delivered = new CompletableFuture<>();
    try (FaultMode.Peer peer = fault.start()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (AsyncMailTransport async = MailTransport.async(SmtpTransport.create(peer.settings()))
          .retry(RetryPolicy.none()).build()) {
        VerificationCodeService service = VerificationCodeService.builder().transport(async)
            .listener(event -> {
              if (event.action() == VerificationEvent.Action.DELIVER) {
                delivered.complete(event);
              }
            })
            .build();
        SendResult result = service.sendVerificationCode(RECIPIENT, VerificationType.REGISTER, Duration.ofMinutes(10));
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(delivered.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERY_FAILED);
      }
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("DELIVER ")).toList();
    assertThat(lines).as("one DELIVER line").hasSize(1);
    fault.assertNamed("DELIVER line", lines.get(0));
    assertThat(lines.get(0)).contains("hint: ").contains("to=n***@example.org").doesNotContain(RECIPIENT)
        .doesNotContain(FaultMode.USER);
    System.out.println(fault + ": " + lines.get(0)); // the report file shows each line as a user sees it
  }
}
