package dev.mailverify.bench.smtp;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.MailTransport;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * mailverify's own {@link SmtpTransport} from {@code verification-smtp}, configured as an
 * application would: the endpoint's host, port and security (implicit TLS with the sink's
 * certificate in a trust store, identity check on), the benchmark sender, and a pool of
 * {@code concurrency} connections ({@code maxConnections}), the setting its documentation asks for.
 * Everything else is the transport's default; any tuning lives inside the transport.
 */
final class MailverifySmtp implements Contender {

  /** The name on the command line and in reports. */
  static final String NAME = "mailverify-smtp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "mailverify SmtpTransport (verification-smtp), pooled connections, maxConnections = concurrency";
  }

  @Override
  public MailTransport open(SmtpEndpoint endpoint, int concurrency) {
    SmtpSettings settings = SmtpSettings.builder()
        .host(endpoint.host())
        .port(endpoint.port())
        .security(endpoint.security() == SmtpEndpoint.Security.PLAIN ? SmtpSecurity.PLAIN : SmtpSecurity.IMPLICIT_TLS)
        .trustedCertificates(certificates(endpoint.trustStore()))
        .from(BenchServices.FROM)
        .maxConnections(concurrency)
        .build();
    return SmtpTransport.create(settings);
  }

  /** The trusted certificate entries of a key store, or none for the JDK's default trust. */
  private static List<X509Certificate> certificates(@Nullable KeyStore store) {
    if (store == null) {
      return List.of();
    }
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) instanceof X509Certificate c) {
          out.add(c);
        }
      }
      return out;
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("cannot read the trust store: " + e.getMessage(), e);
    }
  }
}
