package dev.mailverify.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.spi.RecipientCheck;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Refuses a recipient whose domain cannot receive mail, before a code is stored or sent: the
 * "No MX Record Found" row of the troubleshooting table. Plug it into the service with
 * {@code VerificationCodeService.builder().recipientCheck(MxRecipientCheck.builder().build())}.
 *
 * <ul>
 *   <li>MX records: the domain takes mail. A single MX with preference 0 and exchange {@code .}
 *       is a null MX (RFC 7505): {@link InvalidAddressReason#NO_MAIL_SERVER}.
 *   <li>No MX: the A, then the AAAA record is the implicit mail server (RFC 5321 section 5.1);
 *       neither: {@link InvalidAddressReason#NO_MAIL_SERVER}.
 *   <li>NXDOMAIN: {@link InvalidAddressReason#DOMAIN_NOT_FOUND}.
 *   <li>Anything else (timeout, SERVFAIL, REFUSED, a network error): fail open (C30). The send
 *       goes on; the case is logged once per domain and cause within {@link Builder#failOpenLogWindow}
 *       and counted in {@link #failOpenCount()}.
 *   <li>Optionally ({@link Builder#refuseDisposableDomains(boolean)}): a disposable domain, or a
 *       subdomain of one, is {@link InvalidAddressReason#DISPOSABLE_DOMAIN}, without any DNS lookup.
 *       The bundled list holds typo domains of big providers ({@code gmial.com},
 *       {@code hotmial.com}); the service checks its typo suggestions first
 *       ({@link dev.mailverify.core.TypoSuggestions}, on by default), so for those the send answers
 *       {@link InvalidAddressReason#LIKELY_TYPO} with the address meant ("did you mean
 *       li@gmail.com?"), not "use a permanent address". This check itself stays a plain list lookup.
 * </ul>
 *
 * <p>Every lookup is bounded by {@link Builder#timeout(Duration)} (default 2 seconds; a check
 * makes at most three: MX, A, AAAA). Definitive answers, positive and negative, are cached for the
 * record's TTL (for a negative answer, the SOA's negative TTL) clamped to
 * [{@link Builder#minCacheTtl}, {@link Builder#maxCacheTtl}]; fail-open answers are not cached.
 * Thread-safe; one instance is meant to serve the whole application.
 */
public final class MxRecipientCheck implements RecipientCheck {
  private static final Logger LOG = LoggerFactory.getLogger(MxRecipientCheck.class);

  private final DnsClient dns;
  private final Duration minTtl;
  private final Duration maxTtl;
  private final @Nullable DisposableDomains disposable;
  private final Cache<String, Verdict> cache;
  private final Cache<String, Boolean> failOpenLogged;
  private final LongAdder failOpenCount = new LongAdder();
  private final LongAdder lookups = new LongAdder();

  /** A cached, definitive answer for a domain. */
  private record Verdict(Optional<SendResult.InvalidAddress> refusal, Duration ttl) {}

  private MxRecipientCheck(Builder b) {
    dns = DnsClient.create(Optional.ofNullable(b.resolver), b.timeout);
    minTtl = b.minCacheTtl;
    maxTtl = b.maxCacheTtl;
    disposable = b.refuseDisposable ? b.disposableList() : null;
    Clock clock = b.clock;
    Ticker ticker = () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
    cache = Caffeine.newBuilder().ticker(ticker).maximumSize(b.maxCacheSize)
        .expireAfter(Expiry.<String, Verdict>creating((domain, verdict) -> verdict.ttl())).build();
    failOpenLogged = Caffeine.newBuilder().ticker(ticker).maximumSize(10_000)
        .expireAfterWrite(b.failOpenLogWindow).build();
  }

  /**
   * Returns a builder with the defaults: the system's resolver, 2 second timeout, cache TTL
   * bounds 1 minute to 1 hour, 10,000 cached domains, disposable domains allowed.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<SendResult.InvalidAddress> check(EmailAddress address) {
    Objects.requireNonNull(address, "address");
    String domain = address.domain();
    if (disposable != null && disposable.contains(domain)) {
      return Optional.of(new SendResult.InvalidAddress(InvalidAddressReason.DISPOSABLE_DOMAIN,
          "The address uses a disposable (throw-away) mail domain; please use a permanent address."));
    }
    Verdict cached = cache.getIfPresent(domain);
    if (cached != null) {
      return cached.refusal();
    }
    Optional<Verdict> verdict = lookUp(domain);
    verdict.ifPresent(v -> cache.put(domain, v));
    return verdict.flatMap(Verdict::refusal);
  }

  private Optional<Verdict> lookUp(String domain) {
    lookups.increment();
    DnsClient.Answer mx = dns.query(domain, Type.MX);
    if (mx instanceof DnsClient.Failed failed) {
      return failOpen(domain, "MX", failed);
    }
    if (mx instanceof DnsClient.NxDomain nx) {
      return Optional.of(refuse(InvalidAddressReason.DOMAIN_NOT_FOUND,
          "The address's domain does not exist (DNS: no such domain).", nx.ttl()));
    }
    DnsClient.Records records = (DnsClient.Records) mx;
    if (!records.records().isEmpty()) {
      if (isNullMx(records.records())) {
        return Optional.of(refuse(InvalidAddressReason.NO_MAIL_SERVER,
            "The address's domain accepts no mail (it publishes a null MX record, RFC 7505).", records.ttl()));
      }
      return Optional.of(new Verdict(Optional.empty(), clamp(records.ttl())));
    }
    // no MX: the domain itself is the mail server if it has an address (RFC 5321 section 5.1)
    Optional<Duration> ttl = records.ttl();
    for (int type : new int[] {Type.A, Type.AAAA}) {
      DnsClient.Answer address = dns.query(domain, type);
      if (address instanceof DnsClient.Failed failed) {
        return failOpen(domain, Type.string(type), failed);
      }
      if (address instanceof DnsClient.NxDomain nx) {
        return Optional.of(refuse(InvalidAddressReason.DOMAIN_NOT_FOUND,
            "The address's domain does not exist (DNS: no such domain).", nx.ttl()));
      }
      DnsClient.Records found = (DnsClient.Records) address;
      if (!found.records().isEmpty()) {
        return Optional.of(new Verdict(Optional.empty(), clamp(found.ttl())));
      }
      ttl = min(ttl, found.ttl());
    }
    return Optional.of(refuse(InvalidAddressReason.NO_MAIL_SERVER,
        "The address's domain has no mail server (DNS: neither MX nor A/AAAA records).", ttl));
  }

  /** RFC 7505 section 3: a single MX record with preference 0 and an empty (root) exchange. */
  static boolean isNullMx(List<Record> mx) {
    return mx.size() == 1 && mx.get(0) instanceof MXRecord r && r.getPriority() == 0
        && r.getTarget().equals(Name.root);
  }

  private Verdict refuse(InvalidAddressReason reason, String message, Optional<Duration> ttl) {
    return new Verdict(Optional.of(new SendResult.InvalidAddress(reason, message)), clamp(ttl));
  }

  private Optional<Verdict> failOpen(String domain, String type, DnsClient.Failed failed) {
    failOpenCount.increment();
    String key = domain + '\u0000' + failed.failure();
    if (failOpenLogged.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
      LOG.warn("MX check for domain {} failed open ({} lookup: {}; {}): sending anyway (C30); "
          + "further {} failures for this domain are not logged for a while", domain, type,
          failed.failure().label(), failed.detail(), failed.failure().label());
    }
    return Optional.empty();
  }

  private Duration clamp(Optional<Duration> ttl) {
    Duration t = ttl.orElse(minTtl);
    if (t.compareTo(minTtl) < 0) {
      return minTtl;
    }
    return t.compareTo(maxTtl) > 0 ? maxTtl : t;
  }

  private static Optional<Duration> min(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
  }

  /**
   * Returns how many checks failed open (timeout, SERVFAIL, REFUSED, network error) since this
   * check was built: a figure for metrics and health checks.
   *
   * @return the count, every call included (logging is throttled, counting is not)
   */
  public long failOpenCount() {
    return failOpenCount.sum();
  }

  /**
   * Returns how many checks went to DNS (cache misses) since this check was built.
   *
   * @return the count
   */
  public long lookupCount() {
    return lookups.sum();
  }

  @Override
  public String toString() {
    return "MxRecipientCheck[resolver=" + dns.description() + ", timeout=" + dns.timeout().toMillis()
        + "ms, cacheTtl=" + minTtl + ".." + maxTtl + ", disposable="
        + (disposable == null ? "allowed" : disposable.size() + " domains refused") + "]";
  }

  /**
   * Configures an {@link MxRecipientCheck}. Each setter validates its argument at once; calling
   * a setter twice keeps the last value; {@link #build()} checks the settings together.
   */
  public static final class Builder {
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private @Nullable InetSocketAddress resolver;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration minCacheTtl = Duration.ofMinutes(1);
    private Duration maxCacheTtl = Duration.ofHours(1);
    private long maxCacheSize = 10_000;
    private Duration failOpenLogWindow = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();
    private boolean refuseDisposable;
    private @Nullable DisposableDomains disposableDomains;
    private List<String> addedDisposable = List.of();

    private Builder() {}

    /**
     * Asks this DNS resolver instead of the system's (from {@code /etc/resolv.conf} or the OS).
     *
     * @param host the resolver's address, such as {@code 127.0.0.1} or {@code 223.5.5.5}
     * @param port its port, usually 53
     * @return this builder
     * @throws IllegalArgumentException if the host is blank or the port outside 1-65535
     */
    public Builder resolver(String host, int port) {
      resolver = DnsClient.address(host, port);
      return this;
    }

    /**
     * Sets the bound of every DNS lookup (C30).
     *
     * @param value more than 0 and at most 30 seconds; default 2 seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration value) {
      timeout = positive(value, "timeout");
      if (value.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException("timeout must be at most 30 seconds, was " + value);
      }
      return this;
    }

    /**
     * Sets the shortest time an answer stays cached, whatever its TTL (also the time for a
     * negative answer without an SOA record).
     *
     * @param value more than 0; default 1 minute
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder minCacheTtl(Duration value) {
      minCacheTtl = positive(value, "minCacheTtl");
      return this;
    }

    /**
     * Sets the longest time an answer stays cached, whatever its TTL.
     *
     * @param value more than 0 and at least {@link #minCacheTtl}; default 1 hour
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxCacheTtl(Duration value) {
      maxCacheTtl = positive(value, "maxCacheTtl");
      return this;
    }

    /**
     * Sets how many domains the cache holds at most.
     *
     * @param value 1 or more; default 10,000
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxCacheSize(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxCacheSize must be at least 1, was " + value);
      }
      maxCacheSize = value;
      return this;
    }

    /**
     * Sets how long a fail-open case is logged only once for the same domain and cause.
     *
     * @param value more than 0; default 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder failOpenLogWindow(Duration value) {
      failOpenLogWindow = positive(value, "failOpenLogWindow");
      return this;
    }

    /**
     * Sets the clock that ages cache entries and the log window (tests move a fake one).
     *
     * @param value the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Refuses disposable domains ({@link InvalidAddressReason#DISPOSABLE_DOMAIN}), with the
     * bundled list unless {@link #disposableDomains(Path)} replaces it.
     *
     * @param value {@code true} to refuse; default {@code false}
     * @return this builder
     */
    public Builder refuseDisposableDomains(boolean value) {
      refuseDisposable = value;
      return this;
    }

    /**
     * Replaces the bundled disposable-domain list with one read from a file (see
     * {@link DisposableDomains#fromFile(Path)}). Takes effect with
     * {@link #refuseDisposableDomains(boolean) refuseDisposableDomains(true)}.
     *
     * @param file the list
     * @return this builder
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if a line is not a domain
     */
    public Builder disposableDomains(Path file) {
      disposableDomains = DisposableDomains.fromFile(file);
      return this;
    }

    /**
     * Replaces the bundled disposable-domain list. Takes effect with
     * {@link #refuseDisposableDomains(boolean) refuseDisposableDomains(true)}.
     *
     * @param list the list
     * @return this builder
     */
    public Builder disposableDomains(DisposableDomains list) {
      disposableDomains = Objects.requireNonNull(list, "disposableDomains");
      return this;
    }

    /**
     * Adds domains to the list in use (the bundled one, or the one set by
     * {@link #disposableDomains}). A second call replaces the domains added by the first.
     *
     * @param domains the domains to add
     * @return this builder
     * @throws IllegalArgumentException if an entry is not a domain name
     */
    public Builder addDisposableDomains(Collection<String> domains) {
      DisposableDomains.of(domains); // validates now
      addedDisposable = List.copyOf(domains);
      return this;
    }

    private DisposableDomains disposableList() {
      DisposableDomains base = disposableDomains != null ? disposableDomains : DisposableDomains.bundled();
      return addedDisposable.isEmpty() ? base : base.plus(addedDisposable);
    }

    /**
     * Builds the check.
     *
     * @return the check
     * @throws IllegalArgumentException if {@code minCacheTtl} is longer than {@code maxCacheTtl},
     *     or a disposable-domain list was given without {@code refuseDisposableDomains(true)}
     */
    public MxRecipientCheck build() {
      if (minCacheTtl.compareTo(maxCacheTtl) > 0) {
        throw new IllegalArgumentException("minCacheTtl (" + minCacheTtl + ") must not exceed maxCacheTtl ("
            + maxCacheTtl + ")");
      }
      if (!refuseDisposable && (disposableDomains != null || !addedDisposable.isEmpty())) {
        throw new IllegalArgumentException("disposableDomains / addDisposableDomains are set but "
            + "refuseDisposableDomains is false: call refuseDisposableDomains(true) to use them");
      }
      return new MxRecipientCheck(this);
    }

    private static Duration positive(Duration value, String field) {
      Objects.requireNonNull(value, field);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be positive, was " + value);
      }
      return value;
    }
  }
}
