package dev.mailverify.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One DNS question at a time on dnsjava, each bounded by the timeout (C30): the shared lookup
 * behind {@link MxRecipientCheck} and {@link SenderDomainCheck}. Thread-safe.
 */
final class DnsClient {
  /** Why a lookup gave no definitive answer. */
  enum Failure {
    TIMEOUT("timeout"),
    SERVFAIL("SERVFAIL"),
    REFUSED("REFUSED"),
    NETWORK_ERROR("network error"),
    OTHER("unexpected answer");

    private final String label;

    Failure(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** The answer to one question. */
  sealed interface Answer permits Records, NxDomain, Failed {}

  /**
   * NOERROR: the records of the asked type (empty: the name exists without them), and how long
   * the answer may be cached (the smallest record TTL, or the SOA's negative TTL).
   */
  record Records(List<Record> records, Optional<Duration> ttl) implements Answer {}

  /** NXDOMAIN: the name does not exist. */
  record NxDomain(Optional<Duration> ttl) implements Answer {}

  /** No definitive answer. */
  record Failed(Failure failure, String detail) implements Answer {}

  private final Resolver resolver;
  private final Duration timeout;
  private final String description;

  private DnsClient(Resolver resolver, Duration timeout, String description) {
    this.resolver = resolver;
    this.timeout = timeout;
    this.description = description;
  }

  /**
   * Creates a client.
   *
   * @param server the resolver to ask, or empty for the system's (resolv.conf and the like)
   * @param timeout the bound of every lookup
   */
  static DnsClient create(Optional<InetSocketAddress> server, Duration timeout) {
    Resolver resolver;
    String description;
    if (server.isPresent()) {
      resolver = new SimpleResolver(server.get());
      description = server.get().getHostString() + ":" + server.get().getPort();
    } else {
      resolver = new ExtendedResolver();
      description = "the system's resolver";
    }
    resolver.setTimeout(timeout);
    return new DnsClient(resolver, timeout, description);
  }

  String description() {
    return description;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Asks one question. Never throws for DNS or network trouble: that is a {@link Failed} answer.
   *
   * @param domain the name, with or without the final dot
   * @param type a dnsjava {@link Type} constant
   */
  Answer query(String domain, int type) {
    Name name;
    try {
      name = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
    } catch (TextParseException e) {
      return new Failed(Failure.OTHER, "not a DNS name");
    }
    Message question = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    CompletableFuture<Message> future = resolver.sendAsync(question).toCompletableFuture();
    Message response;
    try {
      // the resolver has the same timeout; this bound also covers retries and TCP fallback
      response = future.get(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Failed(Failure.TIMEOUT, "no answer within " + timeout.toMillis() + " ms from " + description);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new Failed(Failure.NETWORK_ERROR, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof SocketTimeoutException || isTimeout(cause)) {
        return new Failed(Failure.TIMEOUT, "no answer within " + timeout.toMillis() + " ms from " + description);
      }
      return new Failed(Failure.NETWORK_ERROR, cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + " (" + description + ")");
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR) {
      List<Record> records = new ArrayList<>();
      long ttl = Long.MAX_VALUE;
      for (Record r : response.getSection(Section.ANSWER)) {
        if (r.getType() == type) {
          records.add(r);
          ttl = Math.min(ttl, r.getTTL());
        }
      }
      return new Records(List.copyOf(records),
          records.isEmpty() ? negativeTtl(response) : Optional.of(Duration.ofSeconds(ttl)));
    }
    if (rcode == Rcode.NXDOMAIN) {
      return new NxDomain(negativeTtl(response));
    }
    if (rcode == Rcode.SERVFAIL) {
      return new Failed(Failure.SERVFAIL, "SERVFAIL from " + description);
    }
    if (rcode == Rcode.REFUSED) {
      return new Failed(Failure.REFUSED, "REFUSED from " + description);
    }
    return new Failed(Failure.OTHER, Rcode.string(rcode) + " from " + description);
  }

  private static boolean isTimeout(Throwable cause) {
    // dnsjava reports its own deadline as an IOException saying "Timed out ..."
    return cause instanceof IOException && cause.getMessage() != null
        && cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out");
  }

  /** RFC 2308 section 5: the smaller of the SOA record's TTL and its MINIMUM field. */
  private static Optional<Duration> negativeTtl(Message response) {
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return Optional.of(Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum())));
      }
    }
    return Optional.empty();
  }

  static InetSocketAddress address(String host, int port) {
    Objects.requireNonNull(host, "resolver host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("resolver host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("resolver port must be 1-65535, was " + port);
    }
    return new InetSocketAddress(host, port);
  }
}
