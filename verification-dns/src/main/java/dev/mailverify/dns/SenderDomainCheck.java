package dev.mailverify.dns;

import dev.mailverify.smtp.DiagnosticStep;
import dev.mailverify.smtp.DkimSigner;
import dev.mailverify.smtp.spi.SenderCheck;
import java.net.InetSocketAddress;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Checks the DNS records of the sender's (From) domain that decide whether mail lands in the inbox
 * or in spam, the "sent but never received" row of the troubleshooting table: SPF, DMARC, DKIM
 * and MX. Each check gives a {@link SenderFinding}: {@code OK}, or a {@code WARNING} with a hint
 * naming the record to add; nothing throws for DNS trouble, which is a warning ("could not check").
 *
 * <ul>
 *   <li>SPF: exactly one {@code v=spf1} TXT record; at most 10 DNS-querying terms (include, a,
 *       mx, ptr, exists, redirect), counted through includes and redirects (RFC 7208 section
 *       4.6.4); no {@code +all}; and, when the SMTP host is a known provider, the provider's
 *       {@code include:} (see {@link #PROVIDER_SPF_INCLUDES}), directly or in an included record.
 *   <li>DMARC: one {@code v=DMARC1} record at {@code _dmarc.<domain>}; policy {@code p=} and
 *       alignment {@code adkim}/{@code aspf} shown.
 *   <li>DKIM (with a {@link DkimSigner}): the TXT record at the selector publishes a public key
 *       that verifies signatures of the signer's private key.
 *   <li>MX: the From domain has a mail server, so that bounces and replies arrive.
 * </ul>
 *
 * <p>It is the {@link SenderCheck} of the SMTP diagnostics ({@code verification-smtp}, an optional
 * dependency of this module that this class needs):
 *
 * <pre>{@code
 * DiagnosticReport report = SmtpDiagnostics.builder(settings)
 *     .senderCheck(SenderDomainCheck.builder().build())
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Every lookup is bounded by the timeout (default 2 seconds). Thread-safe.
 */
public final class SenderDomainCheck implements SenderCheck {
  /**
   * The SPF {@code include:} each provider documents, by SMTP host. Sources: QQ Mail and Tencent
   * Exmail, the help pages on SPF settings of {@code service.mail.qq.com} / {@code exmail.qq.com}
   * (and qq.com's own record, {@code v=spf1 include:spf.mail.qq.com -all}); NetEase 163 / 126,
   * NetEase's enterprise-mail help on SPF ({@code include:spf.163.com}); Gmail / Google Workspace,
   * Google Workspace Admin Help "Set up SPF" ({@code include:_spf.google.com}); Outlook.com and
   * Microsoft 365, Microsoft Learn "Set up SPF to identify valid email sources for your Microsoft
   * 365 domain" ({@code include:spf.protection.outlook.com}).
   */
  public static final Map<String, String> PROVIDER_SPF_INCLUDES = Map.of(
      "smtp.qq.com", "spf.mail.qq.com",
      "smtp.exmail.qq.com", "spf.mail.qq.com",
      "smtp.163.com", "spf.163.com",
      "smtp.126.com", "spf.163.com",
      "smtp.gmail.com", "_spf.google.com",
      "smtp.office365.com", "spf.protection.outlook.com",
      "smtp-mail.outlook.com", "spf.protection.outlook.com");

  private static final int SPF_LOOKUP_LIMIT = 10;
  private static final int SPF_DEPTH_LIMIT = 10;
  private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private final DnsClient dns;
  private final Map<String, String> includes;

  private SenderDomainCheck(Builder b) {
    dns = DnsClient.create(Optional.ofNullable(b.resolver), b.timeout);
    Map<String, String> all = new HashMap<>(PROVIDER_SPF_INCLUDES);
    all.putAll(b.extraIncludes);
    includes = Map.copyOf(all);
  }

  /**
   * Returns a builder: the system's resolver, a 2 second timeout, the {@link #PROVIDER_SPF_INCLUDES}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every check: SPF, DMARC, DKIM (skipped without a signer) and MX.
   *
   * @param fromDomain the From address's domain, such as {@code qq.com} or {@code example.com}
   * @param smtpHost the SMTP server mail is sent through, such as {@code smtp.qq.com}
   * @param signer the DKIM signer the transport uses, or {@code null} when mail is not signed
   * @return four findings in the order SPF, DMARC, DKIM, MX
   */
  public List<SenderFinding> check(String fromDomain, String smtpHost, @Nullable DkimSigner signer) {
    String d = normalize(fromDomain);
    // the MX question first: when DNS does not answer it, every check is skipped after one timeout
    DnsClient.Answer mx = dns.query(d, Type.MX);
    if (mx instanceof DnsClient.Failed failed && unreachable(failed)) {
      String detail = "skipped: DNS did not answer (" + failed.detail() + ")";
      String hint = "check the network or the resolver (" + dns.description() + "), then run the check again";
      List<SenderFinding> skipped = new ArrayList<>();
      for (SenderFinding.Kind kind : SenderFinding.Kind.values()) {
        skipped.add(signer == null && kind == SenderFinding.Kind.DKIM
            ? new SenderFinding(kind, SenderFinding.Status.SKIPPED, "DKIM signing is not configured", null)
            : warn(kind, kind + " " + detail, hint));
      }
      return List.copyOf(skipped);
    }
    return List.of(spf(d, smtpHost), dmarc(d),
        signer == null ? new SenderFinding(SenderFinding.Kind.DKIM, SenderFinding.Status.SKIPPED,
            "DKIM signing is not configured", null) : dkim(signer),
        mx(d, mx));
  }

  /**
   * Runs {@link #check(String, String, DkimSigner)} for the SMTP diagnostics: each finding becomes
   * a {@link SenderCheck.Finding} of the same detail and hint ({@code OK} is
   * {@link SenderCheck.Finding.Status#PASSED}; the MX of the From domain is
   * {@link DiagnosticStep.Kind#SENDER_MX}).
   *
   * @param sender the From domain, the SMTP host and the DKIM signer; not null
   * @return four findings in the order SPF, DMARC, DKIM, MX; never throws for DNS trouble
   */
  @Override
  public List<SenderCheck.Finding> check(SenderCheck.Sender sender) {
    Objects.requireNonNull(sender, "sender");
    List<SenderCheck.Finding> out = new ArrayList<>();
    for (SenderFinding f : check(sender.domain(), sender.smtpHost(), sender.dkim().orElse(null))) {
      DiagnosticStep.Kind kind = switch (f.kind()) {
        case SPF -> DiagnosticStep.Kind.SPF;
        case DMARC -> DiagnosticStep.Kind.DMARC;
        case DKIM -> DiagnosticStep.Kind.DKIM;
        case MX -> DiagnosticStep.Kind.SENDER_MX;
      };
      SenderCheck.Finding.Status status = switch (f.status()) {
        case OK -> SenderCheck.Finding.Status.PASSED;
        case WARNING -> SenderCheck.Finding.Status.WARNING;
        case SKIPPED -> SenderCheck.Finding.Status.SKIPPED;
      };
      out.add(new SenderCheck.Finding(kind, status, f.detail(), f.hint()));
    }
    return List.copyOf(out);
  }

  /** A timeout or a network error: the resolver is not reachable, as opposed to SERVFAIL or REFUSED. */
  private static boolean unreachable(DnsClient.Failed failed) {
    return failed.failure() == DnsClient.Failure.TIMEOUT || failed.failure() == DnsClient.Failure.NETWORK_ERROR;
  }

  /** What a lookup that gave no definitive answer says. */
  private static String notChecked(String what, DnsClient.Failed failed) {
    return unreachable(failed) ? what + " skipped: DNS did not answer (" + failed.detail() + ")"
        : what + " could not be checked: " + failed.failure().label() + " (" + failed.detail() + ")";
  }

  /**
   * Checks the SPF record of a domain, and that it authorises the provider behind the SMTP host.
   *
   * @param domain the From domain
   * @param smtpHost the SMTP host; a host not in the provider table skips the authorisation part
   * @return the finding
   */
  public SenderFinding spf(String domain, String smtpHost) {
    String d = normalize(domain);
    Optional<String> required = Optional.ofNullable(includes.get(normalize(smtpHost)));
    String suggestion = "v=spf1 " + required.map(i -> "include:" + i).orElse("include:<your provider's SPF domain>")
        + " ~all";
    Lookup txt = txt(d);
    if (txt.problem != null) {
      return warn(SenderFinding.Kind.SPF, "SPF " + txt.problem,
          "check that the domain " + d + " exists and run the check again");
    }
    List<String> spf = txt.values.stream().filter(SenderDomainCheck::isSpf).toList();
    if (spf.isEmpty()) {
      return warn(SenderFinding.Kind.SPF, "no SPF record at " + d,
          "add a TXT record at " + d + " with the value: " + suggestion);
    }
    if (spf.size() > 1) {
      return warn(SenderFinding.Kind.SPF, spf.size() + " SPF records at " + d + " (receivers treat this as an error): "
          + String.join(" | ", spf), "merge them into one TXT record, such as: " + suggestion);
    }
    SpfWalk walk = new SpfWalk();
    walk.walk(d, spf.get(0), 0);
    List<String> problems = new ArrayList<>(walk.problems);
    String record = spf.get(0);
    if (walk.lookups > SPF_LOOKUP_LIMIT) {
      problems.add(walk.lookups + " DNS-querying terms (include, a, mx, ptr, exists, redirect) counted through "
          + "includes; the limit is 10 (RFC 7208 section 4.6.4): remove terms or replace some with ip4:/ip6:");
    }
    if (record.toLowerCase(Locale.ROOT).matches(".*(^|\\s)\\+?all(\\s|$).*")) {
      problems.add("'+all' lets every server on the Internet send as " + d + ": end with ~all or -all");
    }
    if (required.isPresent() && !walk.includes.contains(required.get())) {
      problems.add("it does not authorise " + smtpHost + ": add include:" + required.get()
          + " before the final all, for example: " + suggestion);
    }
    String detail = "SPF at " + d + ": " + record + " (" + walk.lookups + " DNS lookups"
        + required.map(r -> walk.includes.contains(r) ? "; authorises " + smtpHost + " via include:" + r : "").orElse("")
        + ")";
    if (problems.isEmpty()) {
      return new SenderFinding(SenderFinding.Kind.SPF, SenderFinding.Status.OK, detail, null);
    }
    return warn(SenderFinding.Kind.SPF, detail, String.join("; ", problems));
  }

  /**
   * Checks the DMARC record at {@code _dmarc.<domain>}.
   *
   * @param domain the From domain
   * @return the finding, with the policy and alignment in its detail
   */
  public SenderFinding dmarc(String domain) {
    String d = normalize(domain);
    String name = "_dmarc." + d;
    String suggestion = "add a TXT record at " + name + " with the value: v=DMARC1; p=none; rua=mailto:dmarc@" + d
        + " (watch the reports, then move to p=quarantine)";
    Lookup txt = txt(name);
    if (txt.problem != null) {
      return txt.nxdomain ? warn(SenderFinding.Kind.DMARC, "no DMARC record at " + name, suggestion)
          : warn(SenderFinding.Kind.DMARC, "DMARC " + txt.problem, "run the check again");
    }
    List<String> dmarc = txt.values.stream().filter(v -> v.strip().regionMatches(true, 0, "v=DMARC1", 0, 8)).toList();
    if (dmarc.isEmpty()) {
      return warn(SenderFinding.Kind.DMARC, "no DMARC record at " + name, suggestion);
    }
    if (dmarc.size() > 1) {
      return warn(SenderFinding.Kind.DMARC, dmarc.size() + " DMARC records at " + name + " (receivers ignore them all)",
          "keep one TXT record at " + name);
    }
    Map<String, String> tags = tags(dmarc.get(0));
    String p = tags.get("p");
    String adkim = tags.getOrDefault("adkim", "r");
    String aspf = tags.getOrDefault("aspf", "r");
    String detail = "DMARC at " + name + ": policy p=" + (p == null ? "(missing)" : p)
        + (tags.containsKey("sp") ? ", sp=" + tags.get("sp") : "")
        + ", DKIM alignment adkim=" + adkim + (adkim.equals("s") ? " (strict)" : " (relaxed)")
        + ", SPF alignment aspf=" + aspf + (aspf.equals("s") ? " (strict)" : " (relaxed)")
        + ("none".equals(p) ? "; p=none only monitors" : "");
    if (p == null || !Set.of("none", "quarantine", "reject").contains(p)) {
      return warn(SenderFinding.Kind.DMARC, detail, "the record needs a policy p=none, p=quarantine or p=reject");
    }
    return new SenderFinding(SenderFinding.Kind.DMARC, SenderFinding.Status.OK, detail, null);
  }

  /**
   * Checks that the signer's public key is published at its selector and matches its private key.
   *
   * @param signer the DKIM signer the transport uses
   * @return the finding
   */
  public SenderFinding dkim(DkimSigner signer) {
    Objects.requireNonNull(signer, "signer");
    String name = signer.recordName();
    String publish = signer.publicKeyRecord()
        .map(r -> "publish a TXT record at " + name + " with the value: " + r)
        .orElse("publish a TXT record at " + name + " with the value: v=DKIM1; k=ed25519; p=<base64 of the raw "
            + "32-byte public key: openssl pkey -in key.pem -pubout -outform DER | tail -c 32 | base64>");
    Lookup txt = txt(name);
    if (txt.problem != null) {
      return txt.nxdomain ? warn(SenderFinding.Kind.DKIM, "no DKIM key at " + name, publish)
          : warn(SenderFinding.Kind.DKIM, "DKIM " + txt.problem, "run the check again");
    }
    List<String> keys = txt.values.stream().filter(v -> tags(v).containsKey("p")).toList();
    if (keys.isEmpty()) {
      return warn(SenderFinding.Kind.DKIM, "no DKIM key at " + name, publish);
    }
    Map<String, String> tags = tags(keys.get(0));
    String k = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
    // present: keys holds only records with a p= tag
    String p = tags.getOrDefault("p", "").replaceAll("\\s", "");
    if (p.isEmpty()) {
      return warn(SenderFinding.Kind.DKIM, "the DKIM key at " + name + " is revoked (empty p=)", publish);
    }
    Optional<PublicKey> key = publicKey(k, p);
    if (key.isEmpty()) {
      return warn(SenderFinding.Kind.DKIM, "the DKIM record at " + name + " holds no valid " + k + " key", publish);
    }
    if (!signer.matches(key.get())) {
      return warn(SenderFinding.Kind.DKIM, "the DKIM key at " + name + " does not match the private key the mail is "
          + "signed with", publish);
    }
    return new SenderFinding(SenderFinding.Kind.DKIM, SenderFinding.Status.OK,
        "DKIM key at " + name + " (k=" + k + ") matches the " + signer.algorithm() + " signing key", null);
  }

  /**
   * Checks that the From domain has a mail server for bounces and replies.
   *
   * @param domain the From domain
   * @return the finding
   */
  public SenderFinding mx(String domain) {
    String d = normalize(domain);
    return mx(d, dns.query(d, Type.MX));
  }

  private SenderFinding mx(String d, DnsClient.Answer answer) {
    if (answer instanceof DnsClient.Failed failed) {
      return warn(SenderFinding.Kind.MX, notChecked("MX", failed), "run the check again");
    }
    if (answer instanceof DnsClient.NxDomain) {
      return warn(SenderFinding.Kind.MX, "the domain " + d + " does not exist in DNS",
          "send from a domain you own, with MX, SPF and DMARC records");
    }
    List<Record> records = ((DnsClient.Records) answer).records();
    if (records.isEmpty()) {
      return warn(SenderFinding.Kind.MX, "no MX record at " + d + ": bounces and replies have nowhere to go",
          "add an MX record at " + d + " pointing to the mail server that receives its mail");
    }
    if (MxRecipientCheck.isNullMx(records)) {
      return warn(SenderFinding.Kind.MX, d + " publishes a null MX (RFC 7505): it receives no mail, so bounces and "
          + "replies are lost and some receivers refuse such senders", "send from a domain that receives mail");
    }
    String list = records.stream().map(r -> (MXRecord) r)
        .sorted((a, b) -> Integer.compare(a.getPriority(), b.getPriority()))
        .map(r -> r.getPriority() + " " + r.getTarget().toString(true)).collect(Collectors.joining(", "));
    return new SenderFinding(SenderFinding.Kind.MX, SenderFinding.Status.OK, "MX of " + d + ": " + list, null);
  }

  @Override
  public String toString() {
    return "SenderDomainCheck[resolver=" + dns.description() + ", timeout=" + dns.timeout().toMillis() + "ms]";
  }

  private static SenderFinding warn(SenderFinding.Kind kind, String detail, String hint) {
    return new SenderFinding(kind, SenderFinding.Status.WARNING, detail, hint);
  }

  private static boolean isSpf(String txt) {
    String s = txt.strip().toLowerCase(Locale.ROOT);
    return s.equals("v=spf1") || s.startsWith("v=spf1 ");
  }

  /** TXT values (each record's strings joined), or why there are none. */
  private static final class Lookup {
    final List<String> values;
    final @Nullable String problem;
    final boolean nxdomain;

    Lookup(List<String> values, @Nullable String problem, boolean nxdomain) {
      this.values = values;
      this.problem = problem;
      this.nxdomain = nxdomain;
    }
  }

  private Lookup txt(String name) {
    DnsClient.Answer answer = dns.query(name, Type.TXT);
    if (answer instanceof DnsClient.Failed failed) {
      return new Lookup(List.of(), notChecked("", failed).strip(), false);
    }
    if (answer instanceof DnsClient.NxDomain) {
      return new Lookup(List.of(), "not found: " + name + " does not exist", true);
    }
    List<String> values = new ArrayList<>();
    for (Record r : ((DnsClient.Records) answer).records()) {
      values.add(String.join("", ((TXTRecord) r).getStrings()));
    }
    return new Lookup(values, null, false);
  }

  /** Counts SPF's DNS-querying terms through includes and redirects, and collects the includes. */
  private final class SpfWalk {
    int lookups;
    final Set<String> includes = new HashSet<>();
    final Set<String> visited = new HashSet<>();
    final List<String> problems = new ArrayList<>();

    void walk(String domain, String record, int depth) {
      visited.add(domain);
      for (String raw : record.strip().split("\\s+")) {
        String term = raw.toLowerCase(Locale.ROOT);
        if (term.startsWith("v=")) {
          continue;
        }
        if (!term.isEmpty() && "+-~?".indexOf(term.charAt(0)) >= 0) {
          term = term.substring(1);
        }
        String mechanism = term.split("[:=/]", 2)[0];
        String target = term.contains(":") || term.contains("=") ? term.split("[:=]", 2)[1] : "";
        switch (mechanism) {
          case "include", "redirect" -> {
            lookups++;
            includes.add(target);
            follow(target, depth);
          }
          case "a", "mx", "ptr", "exists" -> lookups++;
          default -> { }
        }
      }
    }

    private void follow(String target, int depth) {
      if (target.isEmpty() || target.contains("%") || visited.contains(target) || depth >= SPF_DEPTH_LIMIT) {
        return;
      }
      Lookup txt = txt(target);
      if (txt.problem != null) {
        problems.add("the included record " + target + " could not be read (" + txt.problem + ")");
        return;
      }
      List<String> spf = txt.values.stream().filter(SenderDomainCheck::isSpf).toList();
      if (spf.size() != 1) {
        problems.add("the included domain " + target + " has " + spf.size() + " SPF records instead of one");
        return;
      }
      walk(target, spf.get(0), depth + 1);
    }
  }

  private static Map<String, String> tags(String record) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String part : record.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        tags.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
      }
    }
    return tags;
  }

  private static Optional<PublicKey> publicKey(String k, String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      if (k.equals("rsa")) {
        return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(bytes)));
      }
      if (k.equals("ed25519") && bytes.length == 32) {
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(bytes, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
      }
      return Optional.empty();
    } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static String normalize(String domain) {
    String d = Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /**
   * Configures a {@link SenderDomainCheck}. Each setter validates its argument at once; calling a
   * setter twice keeps the last value.
   */
  public static final class Builder {
    private @Nullable InetSocketAddress resolver;
    private Duration timeout = Duration.ofSeconds(2);
    private final Map<String, String> extraIncludes = new HashMap<>();

    private Builder() {}

    /**
     * Asks this DNS resolver instead of the system's.
     *
     * @param host the resolver's address
     * @param port its port, usually 53
     * @return this builder
     * @throws IllegalArgumentException if the host is blank or the port outside 1-65535
     */
    public Builder resolver(String host, int port) {
      resolver = DnsClient.address(host, port);
      return this;
    }

    /**
     * Sets the bound of every DNS lookup.
     *
     * @param value more than 0 and at most 30 seconds; default 2 seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration value) {
      Objects.requireNonNull(value, "timeout");
      if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException("timeout must be more than 0 and at most 30 seconds, was " + value);
      }
      timeout = value;
      return this;
    }

    /**
     * Adds (or replaces) the SPF include a provider documents, for an SMTP host not in
     * {@link #PROVIDER_SPF_INCLUDES}.
     *
     * @param smtpHost the SMTP host, such as {@code smtp.example.net}
     * @param include the domain of its {@code include:}, such as {@code spf.example.net}
     * @return this builder
     * @throws IllegalArgumentException if either is blank
     */
    public Builder providerSpfInclude(String smtpHost, String include) {
      String host = normalize(smtpHost);
      String inc = normalize(include);
      if (inc.startsWith("include:")) {
        inc = inc.substring(8);
      }
      if (host.isEmpty() || inc.isEmpty()) {
        throw new IllegalArgumentException("providerSpfInclude needs a host and an include domain");
      }
      extraIncludes.put(host, inc);
      return this;
    }

    /**
     * Builds the check.
     *
     * @return the check
     */
    public SenderDomainCheck build() {
      return new SenderDomainCheck(this);
    }
  }
}
