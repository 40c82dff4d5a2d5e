package dev.mailverify.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.TypoSuggestions;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 with the real {@link MxRecipientCheck} and the bundled disposable list, which holds typo
 * domains of big providers ({@code gmial.com}, {@code hotmial.com}): the typo list is checked first.
 * DNS is Debian's dnsmasq on 127.0.0.1 with records of this test's own: {@code gmial.com} has an MX
 * (as squatted typo domains do) and every {@code .con} name is NXDOMAIN. Nothing leaves the machine.
 */
class TypoDomainsTest {
  private static DnsmasqServer dns;

  private final MutableClock clock = MutableClock.start();
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private MxRecipientCheck check;

  @BeforeEach
  void server() throws IOException {
    DnsmasqServer.requireAvailable();
    if (dns == null) {
      dns = DnsmasqServer.start(List.of("mx-host=gmial.com,mx.gmial.com,10", "host-record=mx.gmial.com,127.0.0.4",
          "mx-host=hotmial.com,mx.hotmial.com,10", "host-record=mx.hotmial.com,127.0.0.5", "local=/con/"));
    }
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
      dns = null;
    }
  }

  private VerificationCodeService service(boolean refuseDisposable, UnaryOperator<VerificationCodeService.Builder> more) {
    check = MxRecipientCheck.builder().resolver("127.0.0.1", dns.port())
        .timeout(Duration.ofSeconds(2)).refuseDisposableDomains(refuseDisposable).build();
    return more.apply(VerificationCodeService.builder().transport(outbox).clock(clock).recipientCheck(check)).build();
  }

  private SendResult send(VerificationCodeService service, String email) {
    return service.sendVerificationCode(email, VerificationType.REGISTER, Duration.ofMinutes(10));
  }

  @Test
  @DisplayName("The bundled disposable list holds gmial.com and hotmial.com (why the typo list must win)")
  void bundledListHoldsTypoDomains() {
    assertThat(DisposableDomains.bundled().contains("gmial.com")).isTrue();
    assertThat(DisposableDomains.bundled().contains("hotmial.com")).isTrue();
  }

  @Test
  @DisplayName("Of the 8,883 bundled disposable domains only six look-alikes of a provider get a suggestion (yopmail.com is not hotmail.com)")
  void bundledListSuggestions() throws IOException {
    List<String> suggested = new ArrayList<>();
    try (InputStream in = DisposableDomains.class.getResourceAsStream("disposable-domains.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          TypoSuggestions.standard().suggestDomain(line.strip()).ifPresent(meant -> suggested.add(line.strip() + " " + meant));
        }
      }
    }
    // when the bundled list is updated, check each new line here: a real service must not be "corrected"
    assertThat(suggested).containsExactlyInAnyOrder("gmial.com gmail.com", "tmail.com gmail.com",
        "hotmial.com hotmail.com", "hotmai.com hotmail.com", "gotmail.com hotmail.com", "fboxmail.com foxmail.com");
  }

  @Test
  @DisplayName("C30 + disposable refusal on: gmial.com and hotmial.com are LIKELY_TYPO, \"did you mean li@gmail.com?\"; nothing sent")
  void refusalOnTypoIsLikelyTypo() {
    VerificationCodeService service = service(true, b -> b);
    assertThat(send(service, "li@gmial.com")).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.LIKELY_TYPO);
      assertThat(invalid.suggestion()).contains(EmailAddress.parse("li@gmail.com"));
      assertThat(invalid.message()).contains("did you mean li@gmail.com?").doesNotContain("permanent");
    });
    assertThat(send(service, "Bob@HOTMIAL.com")).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.LIKELY_TYPO);
      assertThat(invalid.suggestion()).contains(EmailAddress.parse("Bob@hotmail.com"));
    });
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("C30 + disposable refusal on: mailinator.com is still DISPOSABLE_DOMAIN, \"use a permanent address\", no suggestion")
  void realDisposableUnchanged() {
    VerificationCodeService service = service(true, b -> b);
    assertThat(send(service, "li@mailinator.com")).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN);
      assertThat(invalid.suggestion()).isEmpty();
      assertThat(invalid.message()).contains("permanent address");
    });
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("C30 + disposable refusal off: gmial.com has an MX, so the code is sent as typed and Sent suggests li@gmail.com")
  void refusalOffTypoIsSentWithSuggestion() {
    VerificationCodeService service = service(false, b -> b);
    assertThat(send(service, "li@gmial.com")).isInstanceOfSatisfying(SendResult.Sent.class, sent -> {
      assertThat(sent.email().address()).isEqualTo("li@gmial.com");
      assertThat(sent.suggestion()).contains(EmailAddress.parse("li@gmail.com"));
    });
    assertThat(outbox.latestCode("li@gmial.com")).isPresent();
    assertThat(check.lookupCount()).isEqualTo(1); // a definitive answer from DNS, not a fail-open
    assertThat(check.failOpenCount()).isZero();
  }

  @Test
  @DisplayName("C30: gmail.con does not exist: DOMAIN_NOT_FOUND with the suggestion li@gmail.com")
  void nxdomainTypoCarriesSuggestion() {
    VerificationCodeService service = service(false, b -> b);
    assertThat(send(service, "li@gmail.con")).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DOMAIN_NOT_FOUND);
      assertThat(invalid.suggestion()).contains(EmailAddress.parse("li@gmail.com"));
      assertThat(invalid.message()).endsWith("Did you mean li@gmail.com?");
    });
  }

  @Test
  @DisplayName("Suggestions off: the disposable list decides (gmial.com is DISPOSABLE_DOMAIN)")
  void suggestionsOff() {
    VerificationCodeService service = service(true, b -> b.typoSuggestions(TypoSuggestions.none()));
    assertThat(send(service, "li@gmial.com")).isInstanceOfSatisfying(SendResult.InvalidAddress.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN);
      assertThat(invalid.suggestion()).isEmpty();
    });
  }
}
