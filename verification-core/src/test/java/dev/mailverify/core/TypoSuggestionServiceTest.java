package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.spi.RecipientCheck;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 in the service: a typo of a major provider is a suggestion first. {@code Sent} and
 * {@code InvalidAddress} carry the address meant; a typo domain refused as disposable answers
 * {@code LIKELY_TYPO}; a real disposable domain is refused as before (C30 for the check itself).
 */
class TypoSuggestionServiceTest {
  /** A disposable list that, like the bundled one, holds typo domains of big providers. */
  private static final Set<String> DISPOSABLE = Set.of("gmial.com", "hotmial.com", "mailinator.com");
  private static final RecipientCheck REFUSE_DISPOSABLE = address -> DISPOSABLE.contains(address.domain())
      ? Optional.of(new SendResult.InvalidAddress(InvalidAddressReason.DISPOSABLE_DOMAIN,
          "The address uses a disposable (throw-away) mail domain; please use a permanent address."))
      : Optional.empty();

  @Test
  @DisplayName("Refusal off: a typo address is sent as typed and Sent carries the suggestion (on by default)")
  void sentCarriesSuggestion() {
    Fixture f = new Fixture();
    SendResult r = f.send("Li@GMIAL.com", VerificationType.REGISTER);
    assertThat(r).isInstanceOfSatisfying(SendResult.Sent.class, sent -> {
      assertThat(sent.email().address()).isEqualTo("Li@gmial.com");
      assertThat(sent.suggestion()).contains(EmailAddress.parse("Li@gmail.com"));
    });
    assertThat(f.outbox.latestCode("Li@gmial.com")).isPresent();
    assertThat(f.send("li@gmail.com", VerificationType.REGISTER))
        .isInstanceOfSatisfying(SendResult.Sent.class, sent -> assertThat(sent.suggestion()).isEmpty());
  }

  @Test
  @DisplayName("C30 + disposable refusal on: a typo domain on the disposable list is LIKELY_TYPO with \"did you mean\", nothing sent")
  void disposableTypoIsLikelyTypo() {
    Fixture f = new Fixture(b -> b.recipientCheck(REFUSE_DISPOSABLE));
    SendResult r = f.send("li@gmial.com", VerificationType.REGISTER);
    assertThat(r).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.LIKELY_TYPO);
      assertThat(invalid.suggestion()).contains(EmailAddress.parse("li@gmail.com"));
      assertThat(invalid.message()).contains("did you mean li@gmail.com?").doesNotContain("permanent");
    });
    assertThat(f.send("bob@hotmial.com", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.LIKELY_TYPO);
          assertThat(invalid.suggestion()).contains(EmailAddress.parse("bob@hotmail.com"));
        });
    assertThat(f.outbox.size()).isZero();
    assertThat(f.events()).last().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(VerificationEvent.Outcome.INVALID_ADDRESS);
      assertThat(e.invalidAddressReason()).isEqualTo(InvalidAddressReason.LIKELY_TYPO);
      assertThat(e.detail()).isEqualTo("LIKELY_TYPO"); // the audit line: masked address, no suggestion
    });
  }

  @Test
  @DisplayName("C30: a real disposable domain (mailinator.com) is still DISPOSABLE_DOMAIN, without a suggestion")
  void realDisposableUnchanged() {
    Fixture f = new Fixture(b -> b.recipientCheck(REFUSE_DISPOSABLE));
    assertThat(f.send("li@mailinator.com", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN);
          assertThat(invalid.suggestion()).isEmpty();
          assertThat(invalid.message()).contains("permanent address");
        });
    assertThat(f.outbox.size()).isZero();
  }

  @Test
  @DisplayName("Suggestions off (TypoSuggestions.none()): the disposable list decides and Sent has no suggestion")
  void suggestionsOff() {
    Fixture f = new Fixture(b -> b.recipientCheck(REFUSE_DISPOSABLE).typoSuggestions(TypoSuggestions.none()));
    assertThat(f.send("li@gmial.com", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN);
          assertThat(invalid.suggestion()).isEmpty();
        });
    assertThat(f.send("li@gmail.con", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.Sent.class, sent -> assertThat(sent.suggestion()).isEmpty());
  }

  @Test
  @DisplayName("C30: other refusals keep their reason and gain the suggestion (gmail.con: DOMAIN_NOT_FOUND, did you mean)")
  void otherRefusalsGainSuggestion() {
    RecipientCheck nxdomain = address -> address.domain().endsWith(".con")
        ? Optional.of(new SendResult.InvalidAddress(InvalidAddressReason.DOMAIN_NOT_FOUND,
            "The address's domain does not exist (DNS: no such domain)."))
        : Optional.empty();
    Fixture f = new Fixture(b -> b.recipientCheck(nxdomain));
    assertThat(f.send("li@gmail.con", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DOMAIN_NOT_FOUND);
          assertThat(invalid.suggestion()).contains(EmailAddress.parse("li@gmail.com"));
          assertThat(invalid.message()).isEqualTo(
              "The address's domain does not exist (DNS: no such domain). Did you mean li@gmail.com?");
        });
    assertThat(f.send("li@nowhere.con", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.suggestion()).isEmpty();
          assertThat(invalid.message()).doesNotContain("Did you mean");
        });
  }

  @Test
  @DisplayName("A recipient check's own suggestion stands; the application's own domains can be added")
  void checkSuggestionAndOwnDomains() {
    RecipientCheck own = address -> address.domain().equals("roamio.internal")
        ? Optional.of(new SendResult.InvalidAddress(InvalidAddressReason.NO_MAIL_SERVER, "use the public domain",
            Optional.of(EmailAddress.parse(address.localPart() + "@roamio.test"))))
        : Optional.empty();
    Fixture f = new Fixture(b -> b.recipientCheck(own)
        .typoSuggestions(TypoSuggestions.standard().plus(java.util.List.of("roamio.test"))));
    assertThat(f.send("ops@roamio.internal", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.InvalidAddress.class, invalid -> {
          assertThat(invalid.suggestion()).contains(EmailAddress.parse("ops@roamio.test"));
          assertThat(invalid.message()).isEqualTo("use the public domain");
        });
    assertThat(f.send("ops@roamoi.test", VerificationType.REGISTER)).isInstanceOfSatisfying(
        SendResult.Sent.class, sent -> assertThat(sent.suggestion()).contains(EmailAddress.parse("ops@roamio.test")));
  }

  @Test
  @DisplayName("Old constructors still compile and mean \"no suggestion\"")
  void oldConstructors() {
    assertThat(new SendResult.InvalidAddress(InvalidAddressReason.SYNTAX, "x").suggestion()).isEmpty();
    assertThat(new SendResult.Sent(EmailAddress.parse("a@b.com"), VerificationType.REGISTER,
        java.time.Instant.EPOCH).suggestion()).isEmpty();
  }
}
