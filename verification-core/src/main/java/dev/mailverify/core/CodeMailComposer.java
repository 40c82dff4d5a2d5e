package dev.mailverify.core;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
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
  /** The sender whose domain the Message-ID names: the service's From, else the transport's. */
  private final @Nullable Mailbox idSender;

  CodeMailComposer(TemplateRenderer renderer, @Nullable Mailbox from, @Nullable Mailbox transportSender,
      @Nullable String appName, Locale defaultLocale) {
    this.renderer = renderer;
    this.from = from;
    this.idSender = from != null ? from : transportSender;
    this.appName = appName;
    this.defaultLocale = defaultLocale;
  }

  /**
   * Renders the mail for a code. Its Message-ID is decided here, once, on the domain of the sender
   * the mail will carry (the service's From, else the transport's), so that the SEND and DELIVER
   * events, a file copy, every retry and the bytes on the wire carry this one identifier.
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
        .messageId(MimeWriter.newMessageId(idSender))
        .build();
  }
}
