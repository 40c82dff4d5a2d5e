package dev.mailverify.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.dns.SenderFinding.Kind;
import dev.mailverify.dns.SenderFinding.Status;
import dev.mailverify.smtp.DkimSigner;
import dev.mailverify.smtp.SmtpPreset;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sender DNS checks against a real dnsmasq on 127.0.0.1 serving SPF, DMARC, DKIM and MX records. */
class SenderDomainCheckTest {
  private static final String PROVIDER = "smtp.provider.test";
  private static DnsmasqServer dns;
  private static KeyPair rsa;
  private static KeyPair ed25519;

  @BeforeEach
  void server() throws Exception {
    DnsmasqServer.requireAvailable();
    if (dns == null) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      rsa = g.generateKeyPair();
      ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      KeyPair other = g.generateKeyPair();
      dns = DnsmasqServer.start(List.of(
          "mx-host=good.test,mx1.good.test,10",
          "host-record=mx1.good.test,127.0.0.2",
          "txt-record=good.test,\"v=spf1 include:spf.provider.test ~all\"",
          "txt-record=spf.provider.test,\"v=spf1 ip4:192.0.2.0/24 include:spf2.provider.test -all\"",
          "txt-record=spf2.provider.test,\"v=spf1 ip4:198.51.100.0/24 -all\"",
          "txt-record=_dmarc.good.test,\"v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@good.test\"",
          txt("s2026._domainkey.good.test", DkimKeys.record(rsa.getPublic())),
          txt("ed._domainkey.good.test", DkimKeys.record(ed25519.getPublic())),
          txt("old._domainkey.good.test", DkimKeys.record(other.getPublic())),
          "txt-record=revoked._domainkey.good.test,\"v=DKIM1; k=rsa; p=\"",
          "host-record=bare.test,127.0.0.3",
          "txt-record=two.test,\"v=spf1 include:spf.provider.test -all\"",
          "txt-record=two.test,\"v=spf1 mx -all\"",
          "txt-record=many.test,\"v=spf1 a mx ptr exists:x.many.test include:n1.many.test -all\"",
          "txt-record=n1.many.test,\"v=spf1 a mx include:n2.many.test -all\"",
          "txt-record=n2.many.test,\"v=spf1 a a:a1.test a:a2.test a:a3.test mx redirect=n3.many.test\"",
          "txt-record=n3.many.test,\"v=spf1 -all\"",
          "txt-record=open.test,\"v=spf1 +all\"",
          "txt-record=_dmarc.open.test,\"v=DMARC1; p=none\"",
          "mx-host=open.test,.,0"));
    }
  }

  /** A TXT record line, cut into strings of at most 200 characters (a DNS string holds 255). */
  private static String txt(String name, String value) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < value.length(); i += 200) {
      parts.add("\"" + value.substring(i, Math.min(value.length(), i + 200)) + "\"");
    }
    return "txt-record=" + name + "," + String.join(",", parts);
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
      dns = null;
    }
  }

  private static SenderDomainCheck check() {
    return SenderDomainCheck.builder().resolver("127.0.0.1", dns.port()).timeout(Duration.ofSeconds(2))
        .providerSpfInclude(PROVIDER, "include:spf.provider.test").build();
  }

  private static DkimSigner signer(KeyPair pair, String selector) {
    return DkimSigner.builder().domain("good.test").selector(selector).privateKeyPem(DkimKeys.pem(pair)).build();
  }

  @Test
  @DisplayName("A domain with one SPF record authorising the provider, DMARC, the matching DKIM key and MX gets four OKs")
  void goodDomain() {
    List<SenderFinding> findings = check().check("good.test", PROVIDER, signer(rsa, "s2026"));
    assertThat(findings).extracting(SenderFinding::kind).containsExactly(Kind.SPF, Kind.DMARC, Kind.DKIM, Kind.MX);
    assertThat(findings).allSatisfy(f -> assertThat(f.status()).as(f.toString()).isEqualTo(Status.OK));
    assertThat(findings.get(0).detail()).contains("v=spf1 include:spf.provider.test ~all").contains("2 DNS lookups")
        .contains("authorises " + PROVIDER);
    assertThat(findings.get(1).detail()).contains("p=reject").contains("adkim=s (strict)").contains("aspf=r (relaxed)");
    assertThat(findings.get(3).detail()).contains("10 mx1.good.test");
    assertThat(check().dkim(signer(ed25519, "ed")).status()).isEqualTo(Status.OK);
  }

  @Test
  @DisplayName("A bare domain gets warnings whose hints name the record to add, never an error")
  void bareDomain() {
    List<SenderFinding> findings = check().check("bare.test", "smtp.qq.com", null);
    assertThat(findings).extracting(SenderFinding::status)
        .containsExactly(Status.WARNING, Status.WARNING, Status.SKIPPED, Status.WARNING);
    assertThat(findings.get(0).hint()).contains("TXT record at bare.test").contains("v=spf1 include:spf.mail.qq.com ~all");
    assertThat(findings.get(1).hint()).contains("_dmarc.bare.test").contains("v=DMARC1; p=none");
    assertThat(findings.get(3).hint()).contains("MX record at bare.test");
  }

  @Test
  @DisplayName("SPF: two records, more than 10 lookups through includes and redirects, +all, a missing provider include")
  void spfProblems() {
    SenderDomainCheck check = check();
    SenderFinding two = check.spf("two.test", PROVIDER);
    assertThat(two.status()).isEqualTo(Status.WARNING);
    assertThat(two.detail()).contains("2 SPF records");

    // 5 here (a mx ptr exists include), 3 in n1 (a mx include), 6 in n2 (a, a: three times, mx, redirect)
    SenderFinding many = check.spf("many.test", "smtp.unknown.test");
    assertThat(many.status()).isEqualTo(Status.WARNING);
    assertThat(many.hint()).contains("14 DNS-querying terms").contains("limit is 10");

    SenderFinding open = check.spf("open.test", PROVIDER);
    assertThat(open.hint()).contains("+all").contains("include:spf.provider.test");

    SenderFinding unauthorised = check.spf("many.test", PROVIDER);
    assertThat(unauthorised.hint()).contains("does not authorise " + PROVIDER);
  }

  @Test
  @DisplayName("DMARC p=none is shown as monitoring; a null MX From domain is a warning")
  void dmarcNoneAndNullMx() {
    SenderFinding dmarc = check().dmarc("open.test");
    assertThat(dmarc.status()).isEqualTo(Status.OK);
    assertThat(dmarc.detail()).contains("p=none only monitors");
    SenderFinding mx = check().mx("open.test");
    assertThat(mx.status()).isEqualTo(Status.WARNING);
    assertThat(mx.detail()).contains("null MX");
    assertThat(check().mx("nope.test").detail()).contains("does not exist");
  }

  @Test
  @DisplayName("DKIM: a missing, revoked or different published key is a warning with the record to publish")
  void dkimProblems() {
    DkimSigner signer = signer(rsa, "old");
    SenderFinding mismatch = check().dkim(signer);
    assertThat(mismatch.status()).isEqualTo(Status.WARNING);
    assertThat(mismatch.detail()).contains("does not match");
    assertThat(mismatch.hint()).contains("old._domainkey.good.test").contains(signer.publicKeyRecord().orElseThrow());
    assertThat(check().dkim(signer(rsa, "missing")).detail()).contains("no DKIM key at missing._domainkey.good.test");
    assertThat(check().dkim(signer(rsa, "revoked")).detail()).contains("revoked");
    assertThat(check().dkim(signer(ed25519, "missing")).hint()).contains("k=ed25519");
  }

  @Test
  @DisplayName("C30: a DNS server that never answers gives 'skipped: DNS did not answer' warnings after one timeout, never an exception")
  void silentServer() throws IOException {
    try (DnsPeers.Silent silent = new DnsPeers.Silent()) {
      SenderDomainCheck check = SenderDomainCheck.builder().resolver("127.0.0.1", silent.port())
          .timeout(Duration.ofMillis(200)).build();
      long start = System.nanoTime();
      List<SenderFinding> findings = check.check("good.test", PROVIDER, signer(rsa, "s2026"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(findings).extracting(SenderFinding::kind).containsExactly(Kind.SPF, Kind.DMARC, Kind.DKIM, Kind.MX);
      assertThat(findings).allSatisfy(f -> {
        assertThat(f.status()).isEqualTo(Status.WARNING);
        assertThat(f.detail()).contains("skipped: DNS did not answer");
      });
      assertThat(took).as("one timeout, not one per record").isLessThan(Duration.ofMillis(800));
      assertThat(check.mx("good.test").detail()).startsWith("MX skipped: DNS did not answer (").contains("127.0.0.1");
    }
  }

  @Test
  @DisplayName("The provider table covers the presets' SMTP hosts")
  void providerTable() {
    for (SmtpPreset preset : SmtpPreset.values()) {
      assertThat(SenderDomainCheck.PROVIDER_SPF_INCLUDES).as(preset.name()).containsKey(preset.host());
    }
    assertThat(SenderDomainCheck.PROVIDER_SPF_INCLUDES.get("smtp.qq.com")).isEqualTo("spf.mail.qq.com");
  }
}
