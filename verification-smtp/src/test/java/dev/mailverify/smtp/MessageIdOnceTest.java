package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 23, C25, C31: a mail's Message-ID is decided once, where the mail is made. */
class MessageIdOnceTest {
  private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: (<[^>\r\n]+>)\r\n");

  /** Writes an {@code .eml} copy of every mail, then sends it over SMTP: the app's file copy. */
  private static final class CopyThenSmtp implements MailTransport {
    private final FileTransport files;
    private final SmtpTransport smtp;

    CopyThenSmtp(FileTransport files, SmtpTransport smtp) {
      this.files = files;
      this.smtp = smtp;
    }

    @Override
    public void send(EmailMessage message) {
      files.send(message);
      smtp.send(message);
    }

    @Override
    public Optional<Mailbox> defaultSender() {
      return smtp.defaultSender();
    }

    @Override
    public void close() {
      smtp.close();
    }
  }

  private static String idIn(byte[] raw) {
    Matcher m = MESSAGE_ID.matcher(new String(raw, StandardCharsets.US_ASCII));
    assertThat(m.find()).as("a Message-ID header").isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("C25/C31 issue 23: one Message-ID in the SEND and DELIVER events, the .eml copy, every retry and the bytes the server received")
  void oneMessageIdEverywhere(@TempDir Path dir) throws Exception {
    AtomicInteger dots = new AtomicInteger();
    List<VerificationEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<VerificationEvent> delivered = new CompletableFuture<>();
    try (FakeSmtpServer server = FakeSmtpServer.builder()
        // the fake asks for the DOT reply twice per mail (to keep the bytes, then to answer): the
        // first mail is refused at the final dot with 451, the retry is accepted
        .responder((verb, connection, mail) -> verb.equals("DOT") && dots.incrementAndGet() <= 2
            ? "451 4.3.0 Temporary failure, try again" : null)
        .start()) {
      SmtpSettings settings = SmtpSettings.builder().host("127.0.0.1").port(server.port())
          .security(SmtpSecurity.PLAIN).from("Roamio <noreply@roamio.example>").timeout(Duration.ofSeconds(5)).build();
      try (AsyncMailTransport async = MailTransport.async(new CopyThenSmtp(FileTransport.create(dir),
              SmtpTransport.create(settings)))
          .retry(RetryPolicy.builder().maxRetries(2).initialBackoff(Duration.ofMillis(1)).build()).build()) {
        // the service has no From of its own: the id is made on the transport's sender domain
        VerificationCodeService service = VerificationCodeService.builder().transport(async)
            .listener(events::add)
            .listener(e -> {
              if (e.action() == VerificationEvent.Action.DELIVER) {
                delivered.complete(e);
              }
            })
            .build();
        SendResult result = service.sendVerificationCode("user@example.com", VerificationType.REGISTER,
            Duration.ofMinutes(10));
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        VerificationEvent deliver = delivered.get(60, TimeUnit.SECONDS);
        assertThat(deliver.outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERED);
        assertThat(deliver.attempts()).isEqualTo(2);
      }
      VerificationEvent send = events.stream().filter(e -> e.action() == VerificationEvent.Action.SEND)
          .findFirst().orElseThrow();
      VerificationEvent deliver = events.stream().filter(e -> e.action() == VerificationEvent.Action.DELIVER)
          .findFirst().orElseThrow();
      String id = send.messageId();
      assertThat(id).isNotNull().endsWith("@roamio.example>").doesNotContain("mailverify.invalid");
      assertThat(deliver.messageId()).isEqualTo(id);

      List<byte[]> attempts = server.everyData();
      assertThat(attempts).as("the refused try and the retry").hasSize(2);
      for (byte[] raw : attempts) {
        assertThat(idIn(raw)).isEqualTo(id);
      }
      assertThat(server.rawMessages()).hasSize(1);
      assertThat(idIn(server.rawMessages().get(0))).isEqualTo(id);

      List<Path> copies;
      try (Stream<Path> files = Files.list(dir)) {
        copies = files.filter(p -> p.toString().endsWith(".eml")).toList();
      }
      assertThat(copies).as("one .eml copy per try").hasSize(2);
      for (Path copy : copies) {
        assertThat(idIn(Files.readAllBytes(copy))).isEqualTo(id);
      }
    }
  }
}
