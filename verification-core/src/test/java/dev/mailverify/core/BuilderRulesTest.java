package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.FailoverMailTransport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one rule every builder follows: a setter checks its argument at once and throws naming the
 * setting and the allowed range; it may be called again, the last call wins; {@code build()} keeps
 * only the checks that need several settings together.
 */
class BuilderRulesTest {

  @Test
  @DisplayName("Builders: a setter may be called again and the last call wins")
  void builderLastCallWins() {
    InMemoryOutboxPair pair = new InMemoryOutboxPair();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(pair.first)
        .transport(pair.second)
        .policy(VerificationType.REGISTER, VerificationPolicy.defaults().toBuilder().codeLength(4).build())
        .policy(VerificationType.REGISTER, VerificationPolicy.defaults().toBuilder().codeLength(8).build())
        .build();
    service.sendVerificationCode(Fixture.EMAIL, VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(pair.first.size()).isZero();
    assertThat(pair.second.latestCode(Fixture.EMAIL)).hasValueSatisfying(c -> assertThat(c).hasSize(8));
    VerificationPolicy p = VerificationPolicy.builder().maxAttempts(3).maxAttempts(7).build();
    assertThat(p.maxAttempts()).isEqualTo(7);
  }

  @Test
  @DisplayName("VerificationPolicy: a value out of range fails in its setter, before build(), naming the setting, the range and the value")
  void policySettersCheckAtOnce() {
    VerificationPolicy.Builder b = VerificationPolicy.builder();
    assertThatThrownBy(() -> b.codeLength(99))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("codeLength must be 4-10, was 99");
    assertThatThrownBy(() -> b.codeLength(3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("codeLength must be 4-10, was 3");
    assertThatThrownBy(() -> b.maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be 1-20, was 0");
    assertThatThrownBy(() -> b.maxAttempts(21))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be 1-20, was 21");
    assertThatThrownBy(() -> b.cooldown(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cooldown must be zero (off) or 1s-1h, was PT0.5S");
    assertThatThrownBy(() -> b.defaultTtl(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultTtl must be between 1m (PT1M) and 24h (PT24H), was PT30S");
    assertThatThrownBy(() -> b.tokenTtl(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenTtl must be between 1m (PT1M) and 24h (PT24H), was PT48H");
    assertThatThrownBy(() -> b.customQuota("Tenant", Quota.perHour(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("customQuota keyName must match")
        .hasMessageContaining("was 'Tenant'");
    assertThatThrownBy(() -> b.customQuota("tenant", null))
        .isInstanceOf(NullPointerException.class).hasMessage("customQuota quota");
    assertThatThrownBy(() -> b.defaultTtl(null)).isInstanceOf(NullPointerException.class).hasMessage("defaultTtl");

    // the refused calls changed nothing: the builder still holds the defaults
    assertThat(b.build()).isEqualTo(VerificationPolicy.defaults());
  }

  @Test
  @DisplayName("VerificationPolicy: every combination of valid settings builds, the extremes included")
  void policyExtremesBuild() {
    VerificationPolicy p = VerificationPolicy.builder().codeLength(4).maxAttempts(20).cooldown(Duration.ZERO)
        .defaultTtl(VerificationPolicy.MAX_TTL).tokenTtl(VerificationPolicy.MIN_TTL)
        .alphabet(CodeAlphabet.ALPHANUMERIC).build();
    assertThat(p.codeLength()).isEqualTo(4);
    assertThat(p.maxAttempts()).isEqualTo(20);
    assertThat(p.cooldown()).isZero();
    assertThat(VerificationPolicy.builder().codeLength(10).maxAttempts(1).cooldown(Duration.ofHours(1)).build()
        .codeLength()).isEqualTo(10);
  }

  @Test
  @DisplayName("SendRequest: ttl, clientKey and limitKey are checked in the setter, naming the setting")
  void sendRequestSettersCheckAtOnce() {
    SendRequest.Builder b = SendRequest.builder(Fixture.EMAIL, VerificationType.REGISTER);
    assertThatThrownBy(() -> b.ttl(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl must be between 1m (PT1M) and 24h");
    assertThatThrownBy(() -> b.clientKey(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clientKey must be 1-256 non-blank characters, was blank");
    assertThatThrownBy(() -> b.clientKey("x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientKey must be 1-256 non-blank characters, was 257 characters");
    assertThatThrownBy(() -> b.limitKey("Device", "d1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("limitKey keyName must match");
    assertThatThrownBy(() -> b.limitKey("device", null))
        .isInstanceOf(NullPointerException.class).hasMessage("limitKey value");
    SendRequest r = b.ttl(Duration.ofMinutes(5)).ttl(Duration.ofMinutes(7)).clientKey("203.0.113.7").build();
    assertThat(r.ttl()).isEqualTo(Duration.ofMinutes(7));
    assertThat(r.clientKey()).isEqualTo("203.0.113.7");
  }

  @Test
  @DisplayName("EmailMessage: subject, text and headers are checked in the setter, naming the setting (C19)")
  void emailMessageSettersCheckAtOnce() {
    EmailMessage.Builder b = EmailMessage.builder(EmailAddress.parse(Fixture.EMAIL));
    assertThatThrownBy(() -> b.subject(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must be 1-998 characters and not blank, was blank");
    assertThatThrownBy(() -> b.subject("x".repeat(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must be 1-998 characters and not blank, was 999 characters");
    assertThatThrownBy(() -> b.subject("Code\r\nBcc: victim@example.org"))
        .isInstanceOfSatisfying(HeaderInjectionException.class, e -> assertThat(e.field()).isEqualTo("subject"))
        .hasMessageNotContaining("victim");
    assertThatThrownBy(() -> b.text("")).isInstanceOf(IllegalArgumentException.class).hasMessage("text must not be empty");
    assertThatThrownBy(() -> b.header("Bcc", "victim@example.org"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("header Bcc is set by the transport and cannot be overridden");
    assertThatThrownBy(() -> b.header("X Tag", "v"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("header name must be");
    assertThatThrownBy(() -> b.header("X-Tag", "a\nb"))
        .isInstanceOfSatisfying(HeaderInjectionException.class, e -> assertThat(e.field()).isEqualTo("header X-Tag"));
    assertThatThrownBy(b::build).isInstanceOf(NullPointerException.class).hasMessage("subject");
    EmailMessage m = b.subject("first").subject("Your code").text("123456").header("X-Tag", "a").header("X-Tag", "b").build();
    assertThat(m.subject()).isEqualTo("Your code");
    assertThat(m.headers()).containsExactly(java.util.Map.entry("X-Tag", "b"));
  }

  @Test
  @DisplayName("VerificationCodeService: from names the setting and quotes the value; a local test server's dotless domain is accepted")
  void serviceFromNamesTheSetting() {
    assertThatThrownBy(() -> VerificationCodeService.builder().from("Roamio <app@>"))
        .isInstanceOfSatisfying(InvalidAddressException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidAddressReason.EMPTY))
        .hasMessage("from: 'Roamio <app@>' is not a valid address: domain is empty");
    assertThatThrownBy(() -> VerificationCodeService.builder().from("Roamio\r\n <app@example.com>"))
        .isInstanceOfSatisfying(HeaderInjectionException.class, e -> assertThat(e.field()).isEqualTo("from"));

    InMemoryOutboxPair pair = new InMemoryOutboxPair();
    VerificationCodeService service = VerificationCodeService.builder().transport(pair.first)
        .from("Roamio <app@localhost>").build();
    assertThat(service.sendVerificationCode(Fixture.EMAIL, VerificationType.REGISTER, Duration.ofMinutes(10)).isSent())
        .isTrue();
    assertThat(pair.first.messages()).singleElement()
        .satisfies(m -> assertThat(m.from()).isEqualTo(new Mailbox("app@localhost", "Roamio")));
  }

  @Test
  @DisplayName("transport builders name the argument they refuse")
  void transportBuildersNameTheArgument() {
    MailTransport outbox = MailTransport.inMemory();
    assertThatThrownBy(() -> FailoverMailTransport.builder(outbox))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("others must hold at least one transport");
    try (MailTransport async = MailTransport.async(outbox).build()) {
      assertThatThrownBy(() -> MailTransport.async(async))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("delegate must not be an AsyncMailTransport");
    }
  }

  private static final class InMemoryOutboxPair {
    final dev.mailverify.core.transport.InMemoryOutbox first = MailTransport.inMemory();
    final dev.mailverify.core.transport.InMemoryOutbox second = MailTransport.inMemory();
  }
}
