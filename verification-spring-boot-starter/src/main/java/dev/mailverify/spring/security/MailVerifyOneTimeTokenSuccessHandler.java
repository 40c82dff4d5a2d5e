package dev.mailverify.spring.security;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Mails the sign-in link of Spring Security's one-time-token login through the application's
 * mailverify transport. The link is built from the configured base URL
 * ({@code mailverify.templates.base-url}), never from request headers (C21), and opens Spring
 * Security's submit page ({@code GET /login/ott?token=...}), which consumes nothing until the user
 * submits (C32). The browser is sent to {@code sentUrl} whether or not mail went out, so the answer
 * does not tell which addresses have accounts; a request refused by the rate limits mails nothing.
 */
public final class MailVerifyOneTimeTokenSuccessHandler implements OneTimeTokenGenerationSuccessHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerifyOneTimeTokenSuccessHandler.class);

  private final MailTransport transport;
  private final String baseUrl;
  private final String sentUrl;
  private final Clock clock;

  /**
   * Creates the handler.
   *
   * @param transport sends the mail; not null
   * @param baseUrl the application's public address, such as {@code https://example.com}; not null
   * @param sentUrl where the browser goes after asking, such as {@code /ott/sent}; not null
   * @param clock the time, to say how long the link works; not null
   */
  public MailVerifyOneTimeTokenSuccessHandler(MailTransport transport, String baseUrl, String sentUrl, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    String base = Objects.requireNonNull(baseUrl, "baseUrl");
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.sentUrl = Objects.requireNonNull(sentUrl, "sentUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken token)
      throws IOException {
    if (!MailVerifyOneTimeTokenService.isRateLimited(token)) {
      String link = baseUrl + "/login/ott?token=" + URLEncoder.encode(token.getTokenValue(), StandardCharsets.US_ASCII);
      long minutes = Math.max(1, Duration.between(clock.instant(), token.getExpiresAt()).toMinutes());
      EmailAddress to = EmailAddress.parse(token.getUsername());
      EmailMessage message = EmailMessage.builder(to)
          .subject("Your sign-in link")
          .text("Open this link to sign in:\n\n" + link + "\n\nIt works once, for " + minutes + " minutes. If you did"
              + " not ask to sign in, ignore this mail.\n")
          .build();
      try {
        transport.send(message);
      } catch (DeliveryException e) {
        // the browser gets the same answer; the failure is logged with its category and hint, never the link
        LOG.warn("mailverify: the sign-in link to {} was not delivered: {} ({})", to.masked(), e.category(), e.hint());
      }
    }
    response.sendRedirect(request.getContextPath() + sentUrl);
  }
}
