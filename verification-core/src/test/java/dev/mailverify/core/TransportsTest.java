package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in console, in-memory and file transports. */
class TransportsTest {
  private static EmailMessage message(String to, String code) {
    return EmailMessage.builder(EmailAddress.parse(to)).subject("Your code").text("Code: " + code).code(code).build();
  }

  @Test
  @DisplayName("console: prints a banner once, then each mail with its code")
  void consolePrintsBannerOnce() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ConsoleTransport console = ConsoleTransport.to(new PrintStream(out, true, StandardCharsets.UTF_8));
    VerificationCodeService service = VerificationCodeService.builder().transport(console).appName("Roamio").build();
    service.sendVerificationCode("a@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
    service.sendVerificationCode("b@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.split("DEVELOPMENT MODE", -1)).hasSize(2);
    assertThat(printed).contains("USE_REAL_EMAIL=1").contains("To:      a@example.com")
        .contains("To:      b@example.com").contains("Your verification code for Roamio");
    assertThat(printed).containsPattern("\\n    [0-9]{6}\\R");
  }

  @Test
  @DisplayName("outbox: waits for messages, and fails clearly when they do not come")
  void outboxAwait() throws Exception {
    InMemoryOutbox outbox = MailTransport.inMemory();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      pool.submit(() -> {
        outbox.send(message("a@example.com", "111111"));
        outbox.send(message("A@Example.com", "222222"));
      });
      List<EmailMessage> two = outbox.awaitMessages(2, Duration.ofSeconds(10));
      assertThat(two).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(outbox.latestCode("a@EXAMPLE.com")).contains("222222");
    assertThat(outbox.messagesTo("a@example.com")).hasSize(2);
    assertThat(outbox.latestCode("nobody@example.com")).isEmpty();
    assertThatThrownBy(() -> outbox.awaitMessages(3, Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected 3 messages");
    outbox.clear();
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("outbox: failNext makes the next sends fail in order, then it delivers again")
  void outboxFailNext() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    outbox.failNext(new DeliveryException(DeliveryException.Category.TIMEOUT, "slow", null));
    assertThatThrownBy(() -> outbox.send(message("a@example.com", "1")))
        .isInstanceOf(DeliveryException.class);
    outbox.send(message("a@example.com", "2"));
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("files: an unwritable folder is a CONFIGURATION delivery failure with a hint")
  void fileTransportUnwritable(@TempDir Path dir) throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("occupied"), "x");
    FileTransport files = FileTransport.create(notAFolder.resolve("mails"));
    assertThatThrownBy(() -> files.send(message("a@example.com", "1")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> {
          assertThat(e.category()).isEqualTo(DeliveryException.Category.CONFIGURATION);
          assertThat(e.hint()).contains("writable");
        });
  }

  @Test
  @DisplayName("files: the service writes one .eml per mail into the folder")
  void fileTransportThroughService(@TempDir Path dir) throws Exception {
    VerificationCodeService service = VerificationCodeService.builder().transport(MailTransport.files(dir))
        .from("Roamio <noreply@roamio.example>").build();
    assertThat(service.sendVerificationCode("a@example.com", VerificationType.LOGIN, Duration.ofMinutes(5)).isSent())
        .isTrue();
    try (var s = Files.list(dir)) {
      assertThat(s.filter(p -> p.toString().endsWith(".eml"))).hasSize(1);
    }
  }
}
