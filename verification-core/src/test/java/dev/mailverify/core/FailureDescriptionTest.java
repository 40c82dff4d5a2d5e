package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 23 (C16, C17, C24): one description of a delivery failure, shown the same way everywhere. */
class FailureDescriptionTest {
  private static DeliveryException refusedRecipient() {
    return DeliveryException.builder(Category.RECIPIENT_REJECTED, "the SMTP server refused the recipient (550 at RCPT)")
        .replyCode(550).serverReply("550 5.1.1 <bob@example.org>:\r\n Recipient address rejected")
        .reason("the server refused the recipient b***@example.org").build();
  }

  @Test
  @DisplayName("C24 issue 23: the exception's message is what happened and the one description: category, transience, reply, reason, hint")
  void messageCarriesTheDescription() {
    DeliveryException e = refusedRecipient();
    FailureDescription d = e.description();
    assertThat(d.category()).isEqualTo(Category.RECIPIENT_REJECTED);
    assertThat(d.isTransient()).isFalse();
    assertThat(d.replyCode()).hasValue(550);
    assertThat(d.serverReply()).as("one line: no log injection")
        .isEqualTo("550 5.1.1 <bob@example.org>:   Recipient address rejected");
    assertThat(d.reason()).isEqualTo("the server refused the recipient b***@example.org");
    assertThat(d.toString()).isEqualTo("RECIPIENT_REJECTED (permanent), reply '550 5.1.1 <bob@example.org>:   Recipient"
        .replace('\'', '"') + " address rejected\", reason: the server refused the recipient b***@example.org; hint: "
        + Category.RECIPIENT_REJECTED.defaultHint());
    assertThat(e.getMessage()).isEqualTo(e.what() + ": " + d);
    assertThat(e.what()).isEqualTo("the SMTP server refused the recipient (550 at RCPT)");
  }

  @Test
  @DisplayName("C25 issue 23: a retried failure keeps its description, reason included")
  void afterAttemptsKeepsTheDescription() {
    DeliveryException e = refusedRecipient();
    DeliveryException after = e.afterAttempts(3);
    assertThat(after.description()).isEqualTo(e.description());
    assertThat(after.attempts()).isEqualTo(3);
    assertThat(after.getMessage()).isEqualTo(e.getMessage());
    assertThat(after.getCause()).isSameAs(e);
  }

  @Test
  @DisplayName("C24 issue 23: without a reply the description says so; a code without text is shown alone")
  void noReply() {
    DeliveryException timeout = new DeliveryException(Category.TIMEOUT, "no answer", null);
    assertThat(timeout.description().toString()).startsWith("TIMEOUT (transient), no reply; hint: ");
    DeliveryException codeOnly = DeliveryException.builder(Category.SERVER_BUSY, "busy").replyCode(421).build();
    assertThat(codeOnly.description().toString()).startsWith("SERVER_BUSY (transient), reply 421; hint: ");
  }

  @Test
  @DisplayName("C16/C17 issue 23: the audit line of a failed delivery ends with the description, every address masked, once")
  void auditLineShowsTheDescriptionMasked() {
    DeliveryException e = refusedRecipient();
    VerificationEvent event = VerificationEvent.builder(Instant.EPOCH, Action.DELIVER, VerificationType.REGISTER,
            Outcome.DELIVERY_FAILED)
        .email(EmailAddress.parse("bob@example.org")).deliveryFailure(e).attempts(1).messageId("<1@example.com>")
        .build();
    assertThat(event.failure()).isEqualTo(e.description());
    String line = ServiceEvents.auditLine(event);
    assertThat(line).startsWith("DELIVER type=register to=b***@example.org client=- outcome=DELIVERY_FAILED"
            + " detail=RECIPIENT_REJECTED attempts=1 message-id=<1@example.com> failure=\"RECIPIENT_REJECTED (permanent),"
            + " reply '550 5.1.1 <b***@example.org>:   Recipient address rejected', reason: the server refused the"
            + " recipient b***@example.org; hint: ")
        .doesNotContain("bob@example.org");
    assertThat(line.split("hint: ", -1)).as("the hint once").hasSize(2);
  }
}
