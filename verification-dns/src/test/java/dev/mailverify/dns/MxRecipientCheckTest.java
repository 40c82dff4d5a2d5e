package dev.mailverify.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.SendResult;
import dev.mailverify.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C30 against a real DNS server: Debian's dnsmasq on 127.0.0.1 (see {@link DnsmasqServer}),
 * plus a socket that never answers and one that answers SERVFAIL.
 */
class MxRecipientCheckTest {
  private static DnsmasqServer dns;

  @BeforeEach
  void server() throws IOException {
    DnsmasqServer.requireAvailable();
    if (dns == null) {
      dns = DnsmasqServer.start(List.of(
          "mx-host=mail.test,mx1.mail.test,10",
          "host-record=mx1.mail.test,127.0.0.2",
          "host-record=aonly.test,127.0.0.3",
          "host-record=v6only.test,::1",
          "mx-host=nullmx.test,.,0",
          "txt-record=txtonly.test,\"no mail here\""));
    }
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
      dns = null;
    }
  }

  private static MxRecipientCheck.Builder check() {
    return MxRecipientCheck.builder().resolver("127.0.0.1", dns.port()).timeout(Duration.ofSeconds(2));
  }

  private static Optional<InvalidAddressReason> reason(MxRecipientCheck check, String address) {
    return check.check(EmailAddress.parse(address)).map(SendResult.InvalidAddress::reason);
  }

  @Test
  @DisplayName("C30: a domain with MX records passes; without MX its A or AAAA record is the mail server (RFC 5321 5.1)")
  void mxOrAddressPasses() {
    MxRecipientCheck check = check().build();
    assertThat(reason(check, "alice@mail.test")).isEmpty();
    assertThat(reason(check, "bob@aonly.test")).isEmpty();
    assertThat(reason(check, "carol@v6only.test")).isEmpty();
    assertThat(check.failOpenCount()).isZero();
  }

  @Test
  @DisplayName("C30: NXDOMAIN refuses with DOMAIN_NOT_FOUND; a null MX (RFC 7505) or neither MX nor A/AAAA with NO_MAIL_SERVER")
  void definitiveAnswersRefuse() {
    MxRecipientCheck check = check().build();
    Optional<SendResult.InvalidAddress> missing = check.check(EmailAddress.parse("alice@nope.test"));
    assertThat(missing).get().extracting(SendResult.InvalidAddress::reason).isEqualTo(InvalidAddressReason.DOMAIN_NOT_FOUND);
    assertThat(missing.get().message()).doesNotContain("alice").doesNotContain("nope.test");
    assertThat(reason(check, "alice@nullmx.test")).contains(InvalidAddressReason.NO_MAIL_SERVER);
    assertThat(reason(check, "alice@txtonly.test")).contains(InvalidAddressReason.NO_MAIL_SERVER);
    assertThat(check.failOpenCount()).isZero();
  }

  @Test
  @DisplayName("C30: a server that never answers fails open within about the timeout, counted every time, logged once per domain and cause")
  void silentServerFailsOpen() throws Exception {
    try (DnsPeers.Silent silent = new DnsPeers.Silent()) {
      MxRecipientCheck check = MxRecipientCheck.builder().resolver("127.0.0.1", silent.port())
          .timeout(Duration.ofMillis(300)).build();
      assertThat(reason(check, "warm-up@warm-up.test")).isEmpty(); // loads classes outside the measured calls
      String log = captureStandardError(() -> {
        for (int i = 0; i < 3; i++) {
          long start = System.nanoTime();
          assertThat(reason(check, "alice@mail.test")).isEmpty();
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1300));
        }
        assertThat(reason(check, "bob@aonly.test")).isEmpty();
      });
      assertThat(check.failOpenCount()).isEqualTo(5);
      assertThat(log.lines().filter(l -> l.contains("failed open"))).hasSize(2)
          .anySatisfy(l -> assertThat(l).contains("mail.test").contains("timeout"))
          .anySatisfy(l -> assertThat(l).contains("aonly.test"));
    }
  }

  @Test
  @DisplayName("C30: SERVFAIL and REFUSED fail open and are not cached")
  void servfailAndRefusedFailOpen() throws Exception {
    try (DnsPeers.ServFail servfail = new DnsPeers.ServFail()) {
      MxRecipientCheck check = MxRecipientCheck.builder().resolver("127.0.0.1", servfail.port()).build();
      assertThat(reason(check, "alice@mail.test")).isEmpty();
      assertThat(reason(check, "alice@mail.test")).isEmpty();
      assertThat(check.failOpenCount()).isEqualTo(2);
      assertThat(check.lookupCount()).isEqualTo(2);
      assertThat(servfail.answered.get()).isEqualTo(2);
    }
    // dnsmasq without upstream servers answers REFUSED outside .test
    MxRecipientCheck check = check().build();
    assertThat(reason(check, "alice@example.invalid")).isEmpty();
    assertThat(check.failOpenCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("C30: answers are cached with the record's TTL (300 s here), negative ones too, within the bounds")
  void cachesWithTtl() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    MxRecipientCheck check = check().clock(clock).build();
    assertThat(reason(check, "alice@mail.test")).isEmpty();
    assertThat(reason(check, "alice@nope.test")).contains(InvalidAddressReason.DOMAIN_NOT_FOUND);
    assertThat(check.lookupCount()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(59));
    assertThat(reason(check, "bob@mail.test")).isEmpty();
    assertThat(reason(check, "bob@nope.test")).contains(InvalidAddressReason.DOMAIN_NOT_FOUND);
    assertThat(check.lookupCount()).as("both answers cached").isEqualTo(2);

    // dnsmasq sends no SOA with NXDOMAIN: the negative answer lives minCacheTtl (1 minute)
    clock.advance(Duration.ofSeconds(2));
    assertThat(reason(check, "bob@nope.test")).contains(InvalidAddressReason.DOMAIN_NOT_FOUND);
    assertThat(check.lookupCount()).isEqualTo(3);
    assertThat(reason(check, "bob@mail.test")).isEmpty();
    assertThat(check.lookupCount()).as("MX answer still cached (TTL 300 s)").isEqualTo(3);

    clock.advance(Duration.ofSeconds(300 - 61 + 1));
    assertThat(reason(check, "bob@mail.test")).isEmpty();
    assertThat(check.lookupCount()).as("MX answer expired after its TTL").isEqualTo(4);
  }

  @Test
  @DisplayName("C30: a TTL above maxCacheTtl is clamped to it")
  void ttlClampedToMaximum() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    MxRecipientCheck check = check().clock(clock).minCacheTtl(Duration.ofSeconds(10))
        .maxCacheTtl(Duration.ofSeconds(100)).build();
    assertThat(reason(check, "alice@nullmx.test")).contains(InvalidAddressReason.NO_MAIL_SERVER);
    clock.advance(Duration.ofSeconds(99));
    assertThat(reason(check, "alice@nullmx.test")).contains(InvalidAddressReason.NO_MAIL_SERVER);
    assertThat(check.lookupCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(reason(check, "alice@nullmx.test")).contains(InvalidAddressReason.NO_MAIL_SERVER);
    assertThat(check.lookupCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("Disposable domains are refused only when switched on, subdomains included, without a DNS lookup")
  void disposableDomains() throws Exception {
    try (DnsPeers.Silent silent = new DnsPeers.Silent()) {
      MxRecipientCheck off = MxRecipientCheck.builder().resolver("127.0.0.1", silent.port())
          .timeout(Duration.ofMillis(100)).build();
      assertThat(reason(off, "alice@mailinator.com")).isEmpty();

      MxRecipientCheck on = MxRecipientCheck.builder().resolver("127.0.0.1", silent.port())
          .timeout(Duration.ofMillis(100)).refuseDisposableDomains(true).build();
      assertThat(reason(on, "alice@mailinator.com")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
      assertThat(reason(on, "alice@eu.mailinator.com")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
      assertThat(reason(on, "alice@yopmail.com")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
      assertThat(on.lookupCount()).isZero();
      assertThat(reason(on, "alice@mailinator.com.test")).isEmpty(); // not a subdomain: DNS, which fails open
      assertThat(on.lookupCount()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("The app replaces the disposable list from a file or adds to it")
  void disposableListReplacedOrExtended(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("mine.txt");
    Files.writeString(file, "# our own list\nthrowaway.test\n\nTempBox.TEST.\n", StandardCharsets.UTF_8);
    MxRecipientCheck replaced = check().refuseDisposableDomains(true).disposableDomains(file).build();
    assertThat(reason(replaced, "a@throwaway.test")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
    assertThat(reason(replaced, "a@x.tempbox.test")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
    assertThat(reason(replaced, "a@mail.test")).isEmpty();
    assertThat(reason(replaced, "a@mailinator.com")).as("bundled list replaced")
        .isNotEqualTo(Optional.of(InvalidAddressReason.DISPOSABLE_DOMAIN));

    MxRecipientCheck added = check().refuseDisposableDomains(true).addDisposableDomains(List.of("aonly.test")).build();
    assertThat(reason(added, "a@aonly.test")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
    assertThat(reason(added, "a@mailinator.com")).contains(InvalidAddressReason.DISPOSABLE_DOMAIN);
  }

  @Test
  @DisplayName("The builder names the field it refuses")
  void builderValidates() {
    assertThatThrownBy(() -> MxRecipientCheck.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> MxRecipientCheck.builder().timeout(Duration.ofMinutes(1))).hasMessageContaining("timeout");
    assertThatThrownBy(() -> MxRecipientCheck.builder().resolver("127.0.0.1", 0)).hasMessageContaining("port");
    assertThatThrownBy(() -> MxRecipientCheck.builder().maxCacheSize(0)).hasMessageContaining("maxCacheSize");
    assertThatThrownBy(() -> MxRecipientCheck.builder().minCacheTtl(Duration.ofHours(2)).build())
        .hasMessageContaining("minCacheTtl").hasMessageContaining("maxCacheTtl");
    assertThatThrownBy(() -> MxRecipientCheck.builder().addDisposableDomains(List.of("x.test")).build())
        .hasMessageContaining("refuseDisposableDomains");
    assertThat(MxRecipientCheck.builder().timeout(Duration.ofSeconds(9)).timeout(Duration.ofSeconds(3)).build().toString())
        .as("last call wins").contains("timeout=3000ms");
  }

  private static String captureStandardError(ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
