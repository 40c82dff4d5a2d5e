package dev.mailverify.spring;

import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.dns.MxRecipientCheck;
import dev.mailverify.spring.MailVerifyProperties.Recipients;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The recipient check of {@code verification-dns} ({@link MxRecipientCheck}) from
 * {@code mailverify.recipient-check.*}, when that module is on the class path; without it,
 * {@link RecipientCheckChoice} fails start-up naming the dependency.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = RecipientCheckChoice.MX_CHECK)
class MailVerifyRecipientCheckConfiguration {
  static final String PREFIX = MailVerifyProperties.PREFIX + ".recipient-check";

  @Bean(name = RecipientCheckChoice.BEAN)
  @ConditionalOnMissingBean(RecipientCheck.class)
  @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true")
  MxRecipientCheck mailVerifyRecipientCheck(MailVerifyProperties properties, ObjectProvider<Clock> clock) {
    return build(properties.getRecipientCheck(), clock.getIfAvailable(Clock::systemUTC));
  }

  static MxRecipientCheck build(Recipients r, Clock clock) {
    MxRecipientCheck.Builder b = MxRecipientCheck.builder().clock(clock);
    String server = r.getDnsServer();
    if (server != null && !server.isBlank()) {
      URI uri = parseServer(server);
      PropertySetter.apply(PREFIX + ".dns-server", server,
          s -> b.resolver(stripBrackets(uri.getHost()), uri.getPort() == -1 ? 53 : uri.getPort()));
    }
    PropertySetter.apply(PREFIX + ".timeout", r.getTimeout(), b::timeout);
    PropertySetter.apply(PREFIX + ".min-cache-ttl", r.getMinCacheTtl(), b::minCacheTtl);
    PropertySetter.apply(PREFIX + ".max-cache-ttl", r.getMaxCacheTtl(), b::maxCacheTtl);
    b.refuseDisposableDomains(r.isRefuseDisposableDomains());
    if (r.isRefuseDisposableDomains()) {
      PropertySetter.apply(PREFIX + ".disposable-domains-file", r.getDisposableDomainsFile(), f -> {
        try {
          b.disposableDomains(f);
        } catch (java.io.UncheckedIOException e) {
          throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
        }
      });
      if (!r.getAdditionalDisposableDomains().isEmpty()) {
        PropertySetter.apply(PREFIX + ".additional-disposable-domains", r.getAdditionalDisposableDomains(),
            b::addDisposableDomains);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(PREFIX, "(recipient check)", e.getMessage());
    }
  }

  private static URI parseServer(String server) {
    String name = PREFIX + ".dns-server";
    try {
      URI uri = new URI("dns://" + server.trim());
      if (uri.getHost() == null || uri.getPath() != null && !uri.getPath().isEmpty() || uri.getUserInfo() != null) {
        throw new InvalidConfigurationPropertyValueException(name, server, "expected host or host:port, such as"
            + " 223.5.5.5 or 127.0.0.1:5353 ([::1]:53 for IPv6)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationPropertyValueException(name, server, "expected host or host:port, such as"
          + " 223.5.5.5 or 127.0.0.1:5353 ([::1]:53 for IPv6): " + e.getReason());
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host.toLowerCase(Locale.ROOT);
  }
}
