package dev.mailverify.examples;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.dns.MxRecipientCheck;
import dev.mailverify.redis.RedisCodeStore;
import dev.mailverify.redis.RedisRateLimiter;
import dev.mailverify.smtp.EnvironmentSource;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's verification service as the environment describes it, and everything it opened:
 *
 * <ul>
 *   <li>{@code SEND_ASYNC} (default {@code 1}): sends through {@code MailTransport.async(...)}, so a
 *       send answers once the mail is queued and the audit log shows the final {@code DELIVER}
 *       outcome; {@code 0} sends synchronously;
 *   <li>{@code STORE}: see {@link StoreSetting}; a shared store needs {@code MAILVERIFY_SECRET};
 *   <li>{@code CHECK_MX} (default {@code 1}): refuses addresses whose domain does not exist or takes
 *       no mail ({@link MxRecipientCheck}; fails open when DNS does not answer); {@code 0} turns it
 *       off; {@code DNS_SERVER=host:port} asks that resolver instead of the system's.
 * </ul>
 *
 * <p>{@link #close()} drains the send queue first (queued mails still go out, within 10 seconds),
 * then closes the store.
 */
final class DemoBackend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoBackend.class);
  /** How long {@link #close()} waits for queued mails. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final VerificationCodeService service;
  private final StoreSetting store;
  private final @Nullable AsyncMailTransport async;
  private final @Nullable MxRecipientCheck mxCheck;
  /** Closed in this order: the transport (drains), then the store and limiter. */
  private final List<AutoCloseable> resources;

  private DemoBackend(VerificationCodeService service, StoreSetting store, @Nullable AsyncMailTransport async,
      @Nullable MxRecipientCheck mxCheck, List<AutoCloseable> resources) {
    this.service = service;
    this.store = store;
    this.async = async;
    this.mxCheck = mxCheck;
    this.resources = resources;
  }

  /**
   * Builds the service from the environment. Every setting is read and checked before anything is
   * opened; what was opened is closed again if a later step fails.
   *
   * @param env the variables ({@code STORE}, {@code MAILVERIFY_SECRET}, {@code SEND_ASYNC},
   *     {@code CHECK_MX}, {@code DNS_SERVER})
   * @param transport the transport that really sends (console, SMTP, an outbox in tests); owned
   *     from now on: {@link #close()} closes it
   * @return the backend
   * @throws DemoConfigurationException if a variable has a value the demo cannot use
   * @throws dev.mailverify.core.StoreUnavailableException if the shared store does not answer
   */
  static DemoBackend open(EnvironmentSource env, MailTransport transport) {
    return open(env, transport, null);
  }

  private static @Nullable URI linkBase(@Nullable String publicUrl, @Nullable URI defaultPublicUrl) {
    URI base = defaultPublicUrl;
    if (publicUrl != null && !publicUrl.isBlank()) {
      try {
        base = new URI(publicUrl.strip());
      } catch (URISyntaxException e) {
        throw new DemoConfigurationException("PUBLIC_URL must be an absolute URL such as https://demo.example.com,"
            + " was '" + publicUrl + "'");
      }
    }
    if (base == null) {
      return null;
    }
    String s = base.toString();
    URI link = URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/verify");
    try {
      VerificationPolicy.builder().linkBaseUrl(link);
    } catch (IllegalArgumentException e) {
      throw new DemoConfigurationException("PUBLIC_URL: " + e.getMessage());
    }
    return link;
  }

  /**
   * Builds the service from the environment, like {@link #open(EnvironmentSource, MailTransport)},
   * and sends a one-click link beside each code (C32) to {@code PUBLIC_URL/verify}, where
   * {@code PUBLIC_URL} (the address users reach the demo at, such as {@code https://demo.example.com})
   * comes from the environment or else from {@code defaultPublicUrl}. With neither, mails carry
   * the code only.
   *
   * @param env the variables, {@code PUBLIC_URL} included
   * @param transport the transport that really sends; owned from now on
   * @param defaultPublicUrl the demo's own address when {@code PUBLIC_URL} is not set, or null
   * @return the backend
   * @throws DemoConfigurationException if a variable has a value the demo cannot use
   */
  static DemoBackend open(EnvironmentSource env, MailTransport transport, @Nullable URI defaultPublicUrl) {
    Objects.requireNonNull(transport, "transport");
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(transport);
    try {
      StoreSetting store = StoreSetting.parse(env.get(StoreSetting.VARIABLE));
      Optional<byte[]> secret = DemoSecret.parse(env.get(DemoSecret.VARIABLE));
      if (store.shared() && secret.isEmpty()) {
        throw DemoSecret.missingFor(store);
      }
      boolean sendAsync = flag(env, "SEND_ASYNC");
      boolean checkMx = flag(env, "CHECK_MX");
      Optional<DnsServer> dnsServer = DnsServer.parse(env.get(DnsServer.VARIABLE));

      VerificationCodeService.Builder builder = VerificationCodeService.builder()
          .renderer(MustacheTemplateRenderer.builder().build()) // HTML + text, en and zh
          .appName("Roamio");
      secret.ifPresent(builder::secret);
      URI linkBase = linkBase(env.get("PUBLIC_URL"), defaultPublicUrl);
      if (linkBase != null) {
        builder.defaultPolicy(VerificationPolicy.builder().linkBaseUrl(linkBase).build());
        String site = linkBase.toString().substring(0, linkBase.toString().length() - "/verify".length());
        builder.revertLinkBaseUrl(URI.create(site + "/account/revert")); // C33: the notice's "this wasn't me" page
        LOG.info("links: each mail carries a link to {} beside the code (a GET shows a button; only its POST"
            + " verifies)", linkBase);
      }

      AsyncMailTransport async = null;
      if (sendAsync) {
        async = MailTransport.async(transport).capacity(100).workers(2).drainTimeout(DRAIN_TIMEOUT).build();
        resources.set(0, async); // closes the delegate after draining
        builder.transport(async);
        LOG.info("sending: asynchronously ({}); the audit log shows each mail's DELIVER outcome (SEND_ASYNC=0"
            + " sends synchronously)", async);
      } else {
        builder.transport(transport);
        LOG.info("sending: synchronously through {} (SEND_ASYNC=1, the default, queues instead)", transport);
      }

      MxRecipientCheck mxCheck = null;
      if (checkMx) {
        MxRecipientCheck.Builder mx = MxRecipientCheck.builder();
        dnsServer.ifPresent(d -> mx.resolver(d.host(), d.port()));
        mxCheck = mx.build();
        builder.recipientCheck(mxCheck);
        LOG.info("recipient check: {} (CHECK_MX=0 turns it off)", mxCheck);
      } else {
        LOG.info("recipient check: off (CHECK_MX=0)");
      }

      if (store instanceof StoreSetting.Redis redis) {
        RedisCodeStore codes = RedisCodeStore.builder(redis.uri()).build();
        resources.add(codes);
        RedisRateLimiter limits = RedisRateLimiter.builder(redis.uri()).build();
        resources.add(limits);
        builder.store(codes).rateLimiter(limits);
      } else if (store instanceof StoreSetting.Jdbc jdbc) {
        JdbcBackend sql = JdbcBackend.open(jdbc, Clock.systemUTC());
        resources.add(sql);
        builder.store(sql.store()).rateLimiter(sql.limiter());
      }
      LOG.info("store: {}{}", store.describe(), store.shared() ? " (secret from " + DemoSecret.VARIABLE + ")" : "");
      return new DemoBackend(builder.build(), store, async, mxCheck, List.copyOf(resources));
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * Reads an on/off variable that is on unless set to 0, false, off or no.
   *
   * @throws DemoConfigurationException for any other value
   */
  static boolean flag(EnvironmentSource env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return true;
    }
    switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "1", "true", "on", "yes":
        return true;
      case "0", "false", "off", "no":
        return false;
      default:
        throw new DemoConfigurationException(name + " must be 1 (on, the default) or 0 (off)");
    }
  }

  /** {@code DNS_SERVER}: a resolver's {@code host:port} (port 53 when omitted; {@code [::1]:53} for IPv6). */
  record DnsServer(String host, int port) {
    static final String VARIABLE = "DNS_SERVER";

    static Optional<DnsServer> parse(@Nullable String value) {
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
      String v = value.strip();
      String host;
      String port = null;
      if (v.startsWith("[")) {
        int close = v.indexOf(']');
        if (close < 0) {
          throw invalid();
        }
        host = v.substring(1, close);
        if (close + 1 < v.length()) {
          if (v.charAt(close + 1) != ':') {
            throw invalid();
          }
          port = v.substring(close + 2);
        }
      } else {
        int colon = v.lastIndexOf(':');
        if (colon >= 0 && v.indexOf(':') != colon) {
          host = v; // a bare IPv6 address
        } else if (colon >= 0) {
          host = v.substring(0, colon);
          port = v.substring(colon + 1);
        } else {
          host = v;
        }
      }
      int p = 53;
      if (port != null) {
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          throw invalid();
        }
      }
      if (host.isBlank() || p < 1 || p > 65535) {
        throw invalid();
      }
      return Optional.of(new DnsServer(host, p));
    }

    private static DemoConfigurationException invalid() {
      return new DemoConfigurationException(VARIABLE + " must be host:port of a DNS resolver, such as 127.0.0.1:53"
          + " or [::1]:5353 (port 1-65535; 53 when omitted)");
    }
  }

  /**
   * Returns the service.
   *
   * @return the service
   */
  VerificationCodeService service() {
    return service;
  }

  /**
   * Returns the store setting in use.
   *
   * @return the store
   */
  StoreSetting store() {
    return store;
  }

  /**
   * Returns the asynchronous transport, when sending is asynchronous.
   *
   * @return the transport, or empty with {@code SEND_ASYNC=0}
   */
  Optional<AsyncMailTransport> async() {
    return Optional.ofNullable(async);
  }

  /**
   * Returns the MX check, when on.
   *
   * @return the check, or empty with {@code CHECK_MX=0}
   */
  Optional<MxRecipientCheck> mxCheck() {
    return Optional.ofNullable(mxCheck);
  }

  /** Drains the send queue (bounded by {@link #DRAIN_TIMEOUT}), then closes the store. */
  @Override
  public void close() {
    if (async != null) {
      LOG.info("closing: sending the {} queued mail(s), waiting at most {}", async.queuedCount(), DRAIN_TIMEOUT);
    }
    closeAll(resources);
    LOG.info("closed");
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r, e.toString());
      }
    }
  }
}
