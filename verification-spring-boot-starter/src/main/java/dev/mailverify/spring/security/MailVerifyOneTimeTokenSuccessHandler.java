package dev.mailverify.spring.security;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Mails the sign-in link of Spring Security's one-time-token login through the application's
 * mailverify transport, rendered by its {@link TemplateRenderer} as a {@link VerificationType#LOGIN}
 * mail: with the bundled Mustache templates an HTML mail with a button and a text part, in English
 * or Simplified Chinese. The token is the mail's code (it can also be pasted on the sign-in page)
 * and the link its button. The link is built from the configured base URL
 * ({@code mailverify.templates.base-url}), never from request headers (C21), and opens Spring
 * Security's submit page ({@code GET /login/ott?token=...}), which consumes nothing until the user
 * submits (C32). The browser is sent to {@code sentUrl} whether or not mail went out, so the answer
 * does not tell which addresses have accounts; a request refused by the rate limits mails nothing.
 */
public final class MailVerifyOneTimeTokenSuccessHandler implements OneTimeTokenGenerationSuccessHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerifyOneTimeTokenSuccessHandler.class);

  private final MailTransport transport;
  private final TemplateRenderer renderer;
  private final String baseUrl;
  private final String sentUrl;
  private final Clock clock;
  private final Locale defaultLocale;
  private final @Nullable String appName;

  private MailVerifyOneTimeTokenSuccessHandler(Builder b) {
    this.transport = b.transport;
    this.renderer = b.renderer;
    this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    this.sentUrl = b.sentUrl;
    this.clock = b.clock;
    this.defaultLocale = b.defaultLocale;
    this.appName = b.appName;
  }

  /**
   * Starts a builder. Defaults: {@link TemplateRenderer#plainText()}, sent page {@code /ott/sent},
   * the system clock, English, no application name.
   *
   * @param transport sends the mail; not null
   * @param baseUrl the application's public address, such as {@code https://example.com}; not null
   * @return a new builder
   */
  public static Builder builder(MailTransport transport, String baseUrl) {
    return new Builder(transport, baseUrl);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken token)
      throws IOException {
    if (!MailVerifyOneTimeTokenService.isRateLimited(token)) {
      String link = baseUrl + "/login/ott?token=" + URLEncoder.encode(token.getTokenValue(), StandardCharsets.US_ASCII);
      Instant now = clock.instant();
      Duration validity = Duration.between(now, token.getExpiresAt());
      if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
        validity = Duration.ofMinutes(1);
      }
      Locale locale = request.getHeader("Accept-Language") != null ? request.getLocale() : defaultLocale;
      EmailAddress to = EmailAddress.parse(token.getUsername());
      try {
        RenderedMail mail = renderer.render(TemplateContext.builder(VerificationType.LOGIN, token.getTokenValue(), to)
            .locale(locale).validity(validity).appName(appName).link(link).build());
        EmailMessage message = EmailMessage.builder(to)
            .subject(mail.subject())
            .text(mail.text())
            .html(mail.html())
            .code(token.getTokenValue())
            .date(now)
            .notAfter(token.getExpiresAt())
            .build();
        transport.send(message);
      } catch (DeliveryException e) {
        // the browser gets the same answer; the failure is logged with its category and hint, never the link
        LOG.warn("mailverify: the sign-in link to {} was not delivered: {} ({})", to.masked(), e.category(), e.hint());
      } catch (MailVerifyException e) {
        LOG.warn("mailverify: the sign-in link to {} was not rendered: {}", to.masked(), e.getClass().getSimpleName());
      }
    }
    response.sendRedirect(request.getContextPath() + sentUrl);
  }

  @Override
  public String toString() {
    return "MailVerifyOneTimeTokenSuccessHandler[baseUrl=" + baseUrl + ", renderer=" + renderer + ", transport="
        + transport + "]";
  }

  /** Configures a {@link MailVerifyOneTimeTokenSuccessHandler}; every setter rejects null; the last call wins. */
  public static final class Builder {
    private final MailTransport transport;
    private final String baseUrl;
    private TemplateRenderer renderer = TemplateRenderer.plainText();
    private String sentUrl = "/ott/sent";
    private Clock clock = Clock.systemUTC();
    private Locale defaultLocale = Locale.ENGLISH;
    private @Nullable String appName;

    private Builder(MailTransport transport, String baseUrl) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /**
     * Sets the renderer of the mail (the starter passes the application's {@code TemplateRenderer} bean).
     *
     * @param value the renderer; not null
     * @return this builder
     */
    public Builder renderer(TemplateRenderer value) {
      renderer = Objects.requireNonNull(value, "renderer");
      return this;
    }

    /**
     * Sets where the browser goes after asking.
     *
     * @param value a path in the application, such as {@code /ott/sent}; not null
     * @return this builder
     */
    public Builder sentUrl(String value) {
      sentUrl = Objects.requireNonNull(value, "sentUrl");
      return this;
    }

    /**
     * Sets the time, to say how long the link works.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the mail's language when the request has no {@code Accept-Language} header.
     *
     * @param value the locale; not null
     * @return this builder
     */
    public Builder defaultLocale(Locale value) {
      defaultLocale = Objects.requireNonNull(value, "defaultLocale");
      return this;
    }

    /**
     * Sets the application's name shown in the mail.
     *
     * @param value the name, or {@code null} for none
     * @return this builder
     */
    public Builder appName(@Nullable String value) {
      appName = value;
      return this;
    }

    /**
     * Builds the handler.
     *
     * @return the handler
     */
    public MailVerifyOneTimeTokenSuccessHandler build() {
      return new MailVerifyOneTimeTokenSuccessHandler(this);
    }
  }
}
