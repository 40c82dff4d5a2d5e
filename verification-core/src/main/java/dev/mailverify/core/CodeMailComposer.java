package dev.mailverify.core;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Renders the mail that carries a code, with the service's sender, application name and locale. */
final class CodeMailComposer {
  private final TemplateRenderer renderer;
  private final @Nullable Mailbox from;
  private final @Nullable String appName;
  private final Locale defaultLocale;

  CodeMailComposer(TemplateRenderer renderer, @Nullable Mailbox from, @Nullable String appName,
      Locale defaultLocale) {
    this.renderer = renderer;
    this.from = from;
    this.appName = appName;
    this.defaultLocale = defaultLocale;
  }

  /**
   * Renders the mail for a code.
   *
   * @throws RuntimeException whatever the renderer or the message's header checks throw
   */
  EmailMessage compose(SendRequest request, EmailAddress address, String code, @Nullable String link,
      Duration ttl, Instant now, Instant expiresAt) {
    Locale requested = request.locale();
    Locale locale = requested != null ? requested : defaultLocale;
    RenderedMail mail = renderer.render(TemplateContext.builder(request.type(), code, address)
        .locale(locale).validity(ttl).appName(appName).values(request.templateValues()).link(link).build());
    return EmailMessage.builder(address)
        .from(from)
        .subject(mail.subject())
        .text(mail.text())
        .html(mail.html())
        .code(code)
        .date(now)
        .notAfter(expiresAt)
        .build();
  }
}
