package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.EnvironmentSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo's own variables: STORE, MAILVERIFY_SECRET, SEND_ASYNC, CHECK_MX, DNS_SERVER. */
class DemoSettingsTest {
  private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  @DisplayName("STORE: unset, blank and memory are in memory; redis:// and rediss:// are Redis; jdbc: is SQL")
  void storeForms() {
    assertThat(StoreSetting.parse(null)).isInstanceOf(StoreSetting.Memory.class);
    assertThat(StoreSetting.parse("  ")).isInstanceOf(StoreSetting.Memory.class);
    assertThat(StoreSetting.parse("Memory")).isInstanceOf(StoreSetting.Memory.class);
    assertThat(StoreSetting.parse(" redis://127.0.0.1:6379 ")).isEqualTo(new StoreSetting.Redis("redis://127.0.0.1:6379"));
    assertThat(StoreSetting.parse("rediss://:pw@redis.internal:6380/0")).isInstanceOf(StoreSetting.Redis.class);
    assertThat(StoreSetting.parse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
        .isEqualTo(new StoreSetting.Jdbc("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
    assertThat(StoreSetting.parse("jdbc:mariadb://127.0.0.1:3306/test?user=root")).isInstanceOf(StoreSetting.Jdbc.class);
    assertThat(StoreSetting.parse("memory").shared()).isFalse();
    assertThat(StoreSetting.parse("redis://h").shared()).isTrue();
    assertThat(StoreSetting.parse("jdbc:h2:mem:x").shared()).isTrue();
  }

  @Test
  @DisplayName("a bad STORE is one line naming the variable and the accepted forms, without the value")
  void badStore() {
    for (String bad : new String[] {"redis", "postgres://u:hunter2@db/x", "jdbc:", "mem", "redis://"}) {
      assertThatThrownBy(() -> StoreSetting.parse(bad)).as(bad).isInstanceOf(DemoConfigurationException.class)
          .hasMessageStartingWith("STORE must be memory").hasMessageContaining("redis://127.0.0.1:6379")
          .hasMessageContaining("jdbc:postgresql://").hasMessageNotContaining("hunter2").hasMessageNotContaining("\n");
    }
  }

  @Test
  @DisplayName("C16 the start-up description of a store never shows its password")
  void describeMasksPasswords() {
    assertThat(StoreSetting.parse("redis://user:hunter2@127.0.0.1:6379/0").describe())
        .isEqualTo("Redis at redis://user:***@127.0.0.1:6379/0");
    assertThat(StoreSetting.parse("redis://:hunter2@127.0.0.1:6379").describe()).doesNotContain("hunter2");
    assertThat(StoreSetting.parse("redis://hunter2@127.0.0.1").describe()).isEqualTo("Redis at redis://***@127.0.0.1");
    assertThat(StoreSetting.parse("jdbc:postgresql://127.0.0.1/test?user=app&password=hunter2&ssl=true").describe())
        .isEqualTo("SQL database at jdbc:postgresql://127.0.0.1/test?user=app&password=***&ssl=true");
    assertThat(StoreSetting.parse("jdbc:mariadb://app:hunter2@127.0.0.1/test").toString()).doesNotContain("hunter2");
    assertThat(StoreSetting.parse("jdbc:sqlserver://db;user=app;Password=hunter2;encrypt=true").describe())
        .doesNotContain("hunter2").contains("encrypt=true");
  }

  @Test
  @DisplayName("C14 MAILVERIFY_SECRET: base64 or hex of 32+ bytes; anything else says how to make one, never the value")
  void secret() {
    assertThat(DemoSecret.parse(null)).isEmpty();
    assertThat(DemoSecret.parse("")).isEmpty();
    assertThat(DemoSecret.parse(SECRET)).hasValueSatisfying(b -> assertThat(b).hasSize(32));
    byte[] random = new byte[48];
    random[0] = (byte) 0xfb;
    random[1] = (byte) 0xff;
    assertThat(DemoSecret.parse(Base64.getUrlEncoder().encodeToString(random))).hasValueSatisfying(b -> assertThat(b).isEqualTo(random));
    assertThat(DemoSecret.parse(HexFormat.of().formatHex(random))).hasValueSatisfying(b -> assertThat(b).isEqualTo(random));
    assertThatThrownBy(() -> DemoSecret.parse(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("at least 32 bytes").hasMessageContaining("openssl rand -base64 32");
    assertThatThrownBy(() -> DemoSecret.parse("not a secret!")).hasMessageStartingWith("MAILVERIFY_SECRET must be base64 or hex")
        .hasMessageNotContaining("not a secret");
  }

  @Test
  @DisplayName("C28 a shared store without MAILVERIFY_SECRET refuses to start with one line saying how to make one")
  void sharedStoreNeedsSecret() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    for (String store : new String[] {"redis://127.0.0.1:6379", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"}) {
      assertThatThrownBy(() -> DemoBackend.open(EnvironmentSource.of(Map.of("STORE", store)), outbox))
          .as(store).isInstanceOf(DemoConfigurationException.class)
          .hasMessageContaining("MAILVERIFY_SECRET").hasMessageContaining("openssl rand -base64 32")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  @DisplayName("SEND_ASYNC and CHECK_MX are on unless 0; DNS_SERVER is host:port; bad values name the variable")
  void switches() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    try (DemoBackend b = DemoBackend.open(EnvironmentSource.of(Map.of()), outbox)) {
      assertThat(b.async()).isPresent();
      assertThat(b.mxCheck()).isPresent();
      assertThat(b.store()).isInstanceOf(StoreSetting.Memory.class);
    }
    try (DemoBackend b = DemoBackend.open(EnvironmentSource.of(Map.of("SEND_ASYNC", "0", "CHECK_MX", "off",
        "MAILVERIFY_SECRET", SECRET)), outbox)) {
      assertThat(b.async()).isEmpty();
      assertThat(b.mxCheck()).isEmpty();
    }
    try (DemoBackend b = DemoBackend.open(EnvironmentSource.of(Map.of("DNS_SERVER", "127.0.0.1:5353")), outbox)) {
      assertThat(b.mxCheck().orElseThrow().toString()).contains("127.0.0.1").contains("5353");
    }
    assertThat(DemoBackend.DnsServer.parse("10.0.0.2")).contains(new DemoBackend.DnsServer("10.0.0.2", 53));
    assertThat(DemoBackend.DnsServer.parse("[::1]:5353")).contains(new DemoBackend.DnsServer("::1", 5353));
    assertThat(DemoBackend.DnsServer.parse("::1")).contains(new DemoBackend.DnsServer("::1", 53));
    for (String bad : new String[] {"127.0.0.1:0", "127.0.0.1:x", ":53", "[::1"}) {
      assertThatThrownBy(() -> DemoBackend.DnsServer.parse(bad)).as(bad).hasMessageStartingWith("DNS_SERVER must be");
    }
    assertThatThrownBy(() -> DemoBackend.open(EnvironmentSource.of(Map.of("CHECK_MX", "maybe")), outbox))
        .hasMessageStartingWith("CHECK_MX must be 1");
    assertThatThrownBy(() -> DemoBackend.open(EnvironmentSource.of(Map.of("SEND_ASYNC", "2")), outbox))
        .hasMessageStartingWith("SEND_ASYNC must be 1");
  }
}
