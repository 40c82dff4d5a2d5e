package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.HeaderInjectionException;
import dev.mailverify.core.Mailbox;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One mail for a {@link dev.mailverify.core.MailTransport}: sender, recipient, subject, a plain-text body, an optional
 * HTML body and extra headers. Validated when built: the recipient follows C18, and a CR, LF or
 * other control character in the subject, a display name or a header value is refused (C19).
 *
 * <p>{@link #code()} is the verification code the mail carries, so that test transports such as
 * {@link dev.mailverify.core.transport.InMemoryOutbox} can hand it back without parsing the body.
 * A transport must not put it anywhere but the body it was rendered into. {@link #toString()}
 * shows neither bodies, subject nor code (C16).
 */
public final class EmailMessage {
  private final @Nullable Mailbox from;
  private final EmailAddress to;
  private final String subject;
  private final String text;
  private final @Nullable String html;
  private final Map<String, String> headers;
  private final @Nullable String code;
  private final String messageId;
  private final @Nullable Instant date;
  private final @Nullable Instant notAfter;

  private static final Pattern MESSAGE_ID = Pattern.compile("<[!-;=?-~]{1,240}@[!-;=?-~&&[^\\[\\]]]{1,240}>");
  private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
  private static final Set<String> RESERVED = Set.of("from", "to", "cc", "bcc", "subject", "date",
      "message-id", "mime-version", "reply-to", "sender", "return-path");

  /** Takes the builder's values, which its setters have checked. */
  private EmailMessage(@Nullable Mailbox from,
      EmailAddress to,
      String subject,
      String text,
      @Nullable String html,
      Map<String, String> headers,
      @Nullable String code,
      String messageId,
      @Nullable Instant date,
      @Nullable Instant notAfter) {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.from = from;
    this.to = to;
    this.subject = subject;
    this.text = text;
    this.html = html;
    this.headers = headers;
    this.code = code;
    this.messageId = messageId;
    this.date = date;
    this.notAfter = notAfter;
  }

  /** Refuses CR, LF and other control characters in a header value (C19). */
  private static void checkHeaderValue(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        throw new HeaderInjectionException(field);
      }
    }
  }

  /**
   * Starts a builder.
   *
   * @param to the recipient; not null
   * @return a new builder
   */
  public static Builder builder(EmailAddress to) {
    return new Builder(to);
  }

  /**
   * Returns the HTML body, if any.
   *
   * @return the HTML body
   */
  public Optional<String> htmlBody() {
    return Optional.ofNullable(html);
  }

  /** Shows the masked recipient and sizes only: never the subject, bodies or code (C16). */
  @Override
  public String toString() {
    return "EmailMessage[from=" + from + ", to=" + to.masked() + ", subject=" + subject.length()
        + " chars, text=" + text.length() + " chars, html=" + (html == null ? "none" : html.length() + " chars")
        + ", headers=" + headers.keySet() + ", messageId=" + messageId + "]";
  }

  /**
   * Builds an {@link EmailMessage}. Like every builder in the library, each setter checks its
   * argument at once and throws naming the setting (a control character in the subject or a header
   * value is a {@link HeaderInjectionException}); a setter may be called again, the last call wins
   * (for {@code header}, per name). {@link #build()} only requires that subject and text were set.
   */
  public static final class Builder {
    private @Nullable Mailbox from;
    private final EmailAddress to;
    private @Nullable String subject;
    private @Nullable String text;
    private @Nullable String html;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable String code;
    private @Nullable String messageId;
    private @Nullable Instant date;
    private @Nullable Instant notAfter;

    private Builder(EmailAddress to) {
      this.to = Objects.requireNonNull(to, "to");
    }

    /**
     * Sets the sender.
     *
     * @param value the sender, or {@code null} for the transport's
     * @return this builder
     */
    public Builder from(@Nullable Mailbox value) {
      from = value;
      return this;
    }

    /**
     * Sets the subject.
     *
     * @param value the subject, 1-998 characters, not blank, any language; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code subject} when blank or longer than 998 characters
     * @throws HeaderInjectionException when it contains CR, LF or another control character (C19)
     */
    public Builder subject(String value) {
      Objects.requireNonNull(value, "subject");
      if (value.isBlank() || value.length() > 998) {
        throw new IllegalArgumentException("subject must be 1-998 characters and not blank, was "
            + (value.isBlank() ? "blank" : value.length() + " characters"));
      }
      checkHeaderValue(value, "subject");
      subject = value;
      return this;
    }

    /**
     * Sets the plain-text body.
     *
     * @param value the text, not empty; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code text} when empty
     */
    public Builder text(String value) {
      Objects.requireNonNull(value, "text");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("text must not be empty");
      }
      text = value;
      return this;
    }

    /**
     * Sets the HTML body.
     *
     * @param value the HTML, or {@code null} for none
     * @return this builder
     */
    public Builder html(@Nullable String value) {
      html = value;
      return this;
    }

    /**
     * Adds a header.
     *
     * @param name the header name, printable ASCII without ':' or space, not one the transport
     *     sets (From, To, Subject, Date, Message-ID, MIME-Version, Content-*, ...); not null
     * @param value the value, without control characters; not null
     * @return this builder
     * @throws IllegalArgumentException naming the header when the name is invalid or reserved
     * @throws HeaderInjectionException when the value contains CR, LF or another control character
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header name must be 1-76 printable ASCII characters without ':' or space");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED.contains(lower) || lower.startsWith("content-")) {
        throw new IllegalArgumentException("header " + name + " is set by the transport and cannot be overridden");
      }
      checkHeaderValue(value, "header " + name);
      headers.put(name, value);
      return this;
    }

    /**
     * Records the verification code the body carries, for test transports.
     *
     * @param value the code, or {@code null}
     * @return this builder
     */
    public Builder code(@Nullable String value) {
      code = value;
      return this;
    }

    /**
     * Sets the Message-ID. Without one, {@link #build()} makes a random one, once, so that every
     * retry of the same message carries the same Message-ID and a receiver can drop a duplicate.
     *
     * @param value an RFC 5322 msg-id in angle brackets, for example {@code <abc@example.com>}
     * @return this builder
     * @throws IllegalArgumentException if the value is not of that form
     */
    public Builder messageId(String value) {
      Objects.requireNonNull(value, "messageId");
      if (!MESSAGE_ID.matcher(value).matches()) {
        throw new IllegalArgumentException("messageId must look like <left@right> in printable ASCII without"
            + " spaces, at most 483 characters");
      }
      messageId = value;
      return this;
    }

    /**
     * Sets the Date header's instant. The service sets the time it issued the code, so that every
     * retry sends the same bytes; without one a transport uses the time of sending.
     *
     * @param value the instant, or {@code null}
     * @return this builder
     */
    public Builder date(@Nullable Instant value) {
      date = value;
      return this;
    }

    /**
     * Sets the instant after which sending this mail is pointless (the service sets the code's
     * expiry). Queueing and retrying transports give up at this instant (C25).
     *
     * @param value the instant, or {@code null} for no limit
     * @return this builder
     */
    public Builder notAfter(@Nullable Instant value) {
      notAfter = value;
      return this;
    }

    /**
     * Builds the message. Each call makes a new Message-ID unless one was set.
     *
     * @return the message
     * @throws NullPointerException naming {@code subject} or {@code text} when it was not set
     */
    public EmailMessage build() {
      return new EmailMessage(from, to, Objects.requireNonNull(subject, "subject"),
          Objects.requireNonNull(text, "text"), html, headers, code,
          messageId != null ? messageId : MimeWriter.newMessageId(from), date, notAfter);
    }
  }

  /**
   * Returns the sender, or {@code null} for the transport's configured sender.
   *
   * @return the sender, or {@code null} for the transport's configured sender
   */
  public @Nullable Mailbox from() {
    return from;
  }

  /**
   * Returns the recipient.
   *
   * @return the recipient
   */
  public EmailAddress to() {
    return to;
  }

  /**
   * Returns the subject, any language, 1-998 characters, no control characters.
   *
   * @return the subject, any language, 1-998 characters, no control characters
   */
  public String subject() {
    return subject;
  }

  /**
   * Returns the plain-text body, not empty.
   *
   * @return the plain-text body, not empty
   */
  public String text() {
    return text;
  }

  /**
   * Returns the HTML body, or {@code null} for a plain-text mail.
   *
   * @return the HTML body, or {@code null} for a plain-text mail
   */
  public @Nullable String html() {
    return html;
  }

  /**
   * Returns extra headers (for example {@code List-Unsubscribe}); names are ASCII tokens, values have no control characters; From, To, Subject, Date, Message-ID, MIME-Version and Content-* are reserved.
   *
   * @return extra headers (for example {@code List-Unsubscribe}); names are ASCII tokens, values have no control characters; From, To, Subject, Date, Message-ID, MIME-Version and Content-* are reserved
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Returns the verification code this mail carries, or {@code null}.
   *
   * @return the verification code this mail carries, or {@code null}
   */
  public @Nullable String code() {
    return code;
  }

  /**
   * Returns the Message-ID, angle brackets included; the same for every retry of this message.
   *
   * @return the Message-ID, never {@code null}
   */
  public String messageId() {
    return messageId;
  }

  /**
   * Returns the instant for the Date header, or {@code null} for the time of sending.
   *
   * @return the date, or {@code null}
   */
  public @Nullable Instant date() {
    return date;
  }

  /**
   * Returns the instant after which the mail must not be sent or retried (the code's expiry), or
   * {@code null} for no limit.
   *
   * @return the deadline, or {@code null}
   */
  public @Nullable Instant notAfter() {
    return notAfter;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof EmailMessage o
        && java.util.Objects.equals(from, o.from)
        && java.util.Objects.equals(to, o.to)
        && java.util.Objects.equals(subject, o.subject)
        && java.util.Objects.equals(text, o.text)
        && java.util.Objects.equals(html, o.html)
        && java.util.Objects.equals(headers, o.headers)
        && java.util.Objects.equals(code, o.code)
        && messageId.equals(o.messageId)
        && java.util.Objects.equals(date, o.date)
        && java.util.Objects.equals(notAfter, o.notAfter);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(from, to, subject, text, html, headers, code, messageId, date, notAfter);
  }
}
