package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C18 for the two kinds of address: a recipient (what a user types) needs a dot in its domain; a
 * sender the application configures ({@link Mailbox}) may be at a single-label domain such as
 * {@code localhost}, as local test servers (GreenMail, MailHog, aiosmtpd) are addressed.
 */
class SenderAddressTest {

  @Test
  @DisplayName("C18: a configured sender may be at localhost or another single-label host")
  void senderMayBeAtSingleLabelDomain() {
    Mailbox local = Mailbox.parse("Roamio <app@localhost>");
    assertThat(local.address()).isEqualTo("app@localhost");
    assertThat(local.displayName()).isEqualTo("Roamio");
    assertThat(new Mailbox("noreply@MailHog", null).address()).isEqualTo("noreply@mailhog");
  }

  @Test
  @DisplayName("C18: every other rule still applies to a sender")
  void senderKeepsTheOtherRules() {
    assertThatThrownBy(() -> Mailbox.parse("app@127")).isInstanceOfSatisfying(InvalidAddressException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidAddressReason.INVALID_DOMAIN));
    assertThatThrownBy(() -> Mailbox.parse("app@-local")).isInstanceOfSatisfying(InvalidAddressException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidAddressReason.INVALID_DOMAIN));
    assertThatThrownBy(() -> Mailbox.parse("ap p@localhost")).isInstanceOf(InvalidAddressException.class);
    assertThatThrownBy(() -> Mailbox.parse("app@")).isInstanceOfSatisfying(InvalidAddressException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidAddressReason.EMPTY));
    assertThatThrownBy(() -> Mailbox.parse("Roamio <app@localhost>\r\nBcc: x@example.com"))
        .isInstanceOf(HeaderInjectionException.class);
  }

  @Test
  @DisplayName("C18: a recipient still needs a dot in its domain, even when the sender is at localhost")
  void recipientStaysStrict() {
    assertThat(EmailAddress.isValid("user@localhost")).isFalse();
    assertThatThrownBy(() -> EmailAddress.parse("user@localhost")).isInstanceOfSatisfying(InvalidAddressException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidAddressReason.INVALID_DOMAIN));
    Fixture f = new Fixture(b -> b.from("app@localhost"));
    SendResult r = f.service.sendVerificationCode("user@localhost", VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(r).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
        i -> assertThat(i.reason()).isEqualTo(InvalidAddressReason.INVALID_DOMAIN));
    assertThat(f.outbox.size()).isZero();
  }
}
