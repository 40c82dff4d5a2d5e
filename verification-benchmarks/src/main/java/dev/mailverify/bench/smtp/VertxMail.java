package dev.mailverify.bench.smtp;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Vert.x mail client ({@code io.vertx:vertx-mail-client}, version from the
 * {@code vertx-stack-depchain} BOM) as an application would use it from blocking code: one client
 * with a pool of {@code connections} connections kept alive, its own pipelining (MAIL, RCPT and DATA
 * of one mail in one write) on, implicit TLS with the sink's certificate and the host name checked.
 * Each sending thread waits for its mail's future. Vert.x writes its own MIME message from the same
 * subject, text and HTML.
 */
final class VertxMail implements Contender {

  /** The name on the command line and in reports. */
  static final String NAME = "vertx-mail";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Vert.x mail client 5 (io.vertx:vertx-mail-client), pooled, keep-alive, pipelining on,"
        + " maxPoolSize = connections";
  }

  @Override
  public MailTransport open(SmtpEndpoint endpoint, int connections) {
    MailConfig config = new MailConfig()
        .setHostname(endpoint.host())
        .setPort(endpoint.port())
        .setStarttls(StartTLSOptions.DISABLED)
        .setLogin(LoginOption.DISABLED)
        .setMaxPoolSize(connections)
        .setKeepAlive(true)
        .setPipelining(true)
        .setOwnHostname("localhost");
    if (endpoint.security() == SmtpEndpoint.Security.IMPLICIT_TLS) {
      try {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(endpoint.trustStore());
        config.setSsl(true).setTrustOptions(TrustOptions.wrap(tmf)).setHostnameVerificationAlgorithm("HTTPS");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot read the trust store: " + e.getMessage(), e);
      }
    }
    Vertx vertx = Vertx.vertx();
    return new Client(vertx, MailClient.create(vertx, config), endpoint, connections);
  }

  private static final class Client implements MailTransport {
    private final Vertx vertx;
    private final MailClient client;
    private final SmtpEndpoint endpoint;
    private final int connections;

    Client(Vertx vertx, MailClient client, SmtpEndpoint endpoint, int connections) {
      this.vertx = vertx;
      this.client = client;
      this.endpoint = endpoint;
      this.connections = connections;
    }

    @Override
    public void send(EmailMessage message) {
      MailMessage m = new MailMessage()
          .setFrom(message.from() != null ? message.from().toString() : BenchServices.FROM)
          .setTo(message.to().address())
          .setSubject(message.subject())
          .setText(message.text());
      if (message.html() != null) {
        m.setHtml(message.html());
      }
      try {
        client.sendMail(m).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw DeliveryException.builder(DeliveryException.Category.UNKNOWN, "Vert.x mail failed: " + e.getCause())
            .cause(e.getCause()).build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DeliveryException.builder(DeliveryException.Category.UNKNOWN, "interrupted").cause(e).build();
      } catch (TimeoutException e) {
        throw DeliveryException.builder(DeliveryException.Category.TIMEOUT, "Vert.x mail took over 60 s").cause(e)
            .build();
      }
    }

    @Override
    public void close() {
      try {
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        System.err.println(NAME + ": closing failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String toString() {
      return NAME + "[" + endpoint + ", " + connections + " connections]";
    }
  }
}
