package dev.mailverify.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.OutboxEntry;
import dev.mailverify.test.InMemoryMailOutbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxSealTest {
  private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");
  private static final byte[] SECRET = filled(7);
  private static final byte[] OTHER = filled(9);

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private static OutboxEntry entry() {
    EmailAddress to = EmailAddress.parse("user@example.com");
    EmailMessage m = EmailMessage.builder(to)
        .subject("Your code")
        .text("Your code is 654321. Or open https://app.example.com/verify?token=Tk3nS3cr3tT0k3n")
        .code("654321")
        .date(T0)
        .notAfter(T0.plusSeconds(600))
        .build();
    return OutboxEntry.of(m, new DeliveryContext(CodeKey.of(VerificationType.REGISTER, to), "203.0.113.9", T0));
  }

  @Test
  @DisplayName("C14: a sealed entry's stored form holds no code, link token, address, client key or text; it opens"
      + " back to the same entry")
  void c14SealedFormHoldsNothingInClear() throws Exception {
    OutboxSeal seal = new OutboxSeal(SECRET, List.of());
    OutboxEntry open = entry();

    OutboxEntry sealed = seal.seal(open);
    byte[] stored = sealed.toBytes();

    String text = new String(stored, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain("654321").doesNotContain("Tk3nS3cr3tT0k3n").doesNotContain("user@example.com")
        .doesNotContain("203.0.113.9").doesNotContain("Your code");
    OutboxEntry back = OutboxEntry.fromBytes(stored);
    assertThat(back.isSealed()).isTrue();
    assertThat(back.id()).isEqualTo(open.id());
    assertThat(back.notAfter()).isEqualTo(open.notAfter());
    assertThat(back.queuedAt()).isEqualTo(T0);
    assertThat(seal.open(back)).isEqualTo(open);
    assertThatThrownBy(back::message).isInstanceOf(IllegalStateException.class).hasMessageContaining("sealed");
    assertThatThrownBy(back::context).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("C14: the same mail sealed twice gives different payloads (a fresh nonce each time)")
  void freshNonce() {
    OutboxSeal seal = new OutboxSeal(SECRET, List.of());
    OutboxEntry open = entry();
    assertThat(seal.seal(open).sealedPayload()).isNotEqualTo(seal.seal(open).sealedPayload());
  }

  @Test
  @DisplayName("C14: after a rotation the previous secret opens what it sealed; new entries are sealed under the"
      + " current one, which an instance with only the old secret cannot open")
  void rotation() throws Exception {
    OutboxSeal before = new OutboxSeal(SECRET, List.of());
    OutboxSeal after = new OutboxSeal(OTHER, List.of(SECRET));
    OutboxEntry open = entry();

    assertThat(after.open(before.seal(open))).isEqualTo(open);
    assertThatThrownBy(() -> before.open(after.seal(open))).isInstanceOf(OutboxSeal.CannotOpenException.class)
        .hasMessageContaining(open.id()).hasMessageContaining("same secret");
  }

  @Test
  @DisplayName("C14: an altered payload, or a payload moved to another entry's ID, does not open")
  void tamperingIsRefused() {
    OutboxSeal seal = new OutboxSeal(SECRET, List.of());
    OutboxEntry sealed = seal.seal(entry());
    byte[] altered = sealed.sealedPayload();
    altered[altered.length / 2] ^= 1;
    OutboxEntry alteredEntry = OutboxEntry.sealed(sealed.id(), sealed.notAfter(), sealed.queuedAt(), altered);
    OutboxEntry moved = OutboxEntry.sealed(entry().id(), sealed.notAfter(), sealed.queuedAt(),
        sealed.sealedPayload());

    assertThatThrownBy(() -> seal.open(alteredEntry)).isInstanceOf(OutboxSeal.CannotOpenException.class);
    assertThatThrownBy(() -> seal.open(moved)).isInstanceOf(OutboxSeal.CannotOpenException.class);
  }

  @Test
  @DisplayName("C31: an open entry (queued by a version that did not seal) passes through as it is")
  void openEntryPassesThrough() throws Exception {
    OutboxEntry open = entry();
    assertThat(new OutboxSeal(SECRET, List.of()).open(open)).isSameAs(open);
  }

  @Test
  @DisplayName("C14: a secret shorter than 32 bytes is refused when the transport is built, never shown")
  void shortSecretIsRefused() {
    byte[] shortSecret = "too-short-secret".getBytes(StandardCharsets.US_ASCII);
    AsyncMailTransport.Builder builder = MailTransport.async(MailTransport.inMemory());
    InMemoryMailOutbox outbox = new InMemoryMailOutbox();

    assertThatThrownBy(() -> builder.outbox(outbox, shortSecret)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes").hasMessageNotContaining("too-short-secret");
    assertThatThrownBy(() -> builder.outbox(outbox, SECRET, shortSecret))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }
}
