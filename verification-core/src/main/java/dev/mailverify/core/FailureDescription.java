package dev.mailverify.core;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything a person needs to understand one delivery failure, made once where the failure is
 * classified (the SMTP transport, a queue) and shown the same way wherever it is reported: the
 * {@link DeliveryException}'s message, the {@code DELIVER} and {@code SEND} audit lines, the
 * {@link VerificationEvent}, {@code doctor} and {@code sendtestmail}.
 *
 * <p>It holds the {@link #category()}, whether the failure is {@link #isTransient() transient},
 * the SMTP {@link #replyCode() reply code} and {@link #serverReply() text} that decided it (when
 * the server sent one), the underlying {@link #reason()} (the names a certificate holds and the
 * name that was expected, the refused address, the host that did not resolve) and the
 * {@link #hint()}. None of them ever contains a password, a code or a token (C16): the transport
 * scrubs them before they get here. {@link #toString()} is the one line every surface prints.
 *
 * <pre>{@code
 * FailureDescription d = failure.description();
 * log.warn("mail failed: {}", d);   // AUTHENTICATION (permanent), reply 535 "535 5.7.8 ...", reason: ...; hint: ...
 * }</pre>
 *
 * <p>Immutable and thread-safe. Get one from {@link DeliveryException#description()}.
 */
public final class FailureDescription {
  private static final int MAX_TEXT = 512;
  /** Something shaped like an address in a server's reply. */
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private final DeliveryException.Category category;
  private final boolean transientFailure;
  private final int replyCode;
  private final @Nullable String serverReply;
  private final @Nullable String reason;
  private final String hint;

  FailureDescription(DeliveryException.Category category, boolean transientFailure, int replyCode,
      @Nullable String serverReply, @Nullable String reason, String hint) {
    this.category = Objects.requireNonNull(category, "category");
    this.transientFailure = transientFailure;
    this.replyCode = replyCode > 0 ? replyCode : -1;
    this.serverReply = oneLine(serverReply);
    this.reason = oneLine(reason);
    this.hint = Objects.requireNonNull(oneLine(hint), "hint");
  }

  /** Blank to null; line breaks and other control characters to spaces (no log injection); bounded. */
  static @Nullable String oneLine(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_TEXT + 3));
    for (int i = 0; i < text.length() && sb.length() < MAX_TEXT; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    String s = sb.toString().strip();
    return text.strip().length() > MAX_TEXT ? s + "..." : s;
  }

  /**
   * Returns what kind of failure it is.
   *
   * @return the category, never {@code null}
   */
  public DeliveryException.Category category() {
    return category;
  }

  /**
   * Returns whether retrying later with the same message may succeed.
   *
   * @return {@code true} for a transient failure
   */
  public boolean isTransient() {
    return transientFailure;
  }

  /**
   * Returns the SMTP reply code that decided the failure, when the server sent one.
   *
   * @return 200-599, or empty (nothing listened, TLS failed, the server never answered)
   */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the server's reply that decided the failure, on one line, passwords scrubbed.
   *
   * @return the reply text, or {@code null} when the server sent none
   */
  public @Nullable String serverReply() {
    return serverReply;
  }

  /**
   * Returns the underlying reason in words: the names a certificate holds and the name that was
   * expected, the certificate path that could not be built, the refused address (masked), the
   * host that did not resolve, the host and port that refused the connection, the timeout that ran
   * out.
   *
   * @return the reason, or {@code null} when the reply says it all
   */
  public @Nullable String reason() {
    return reason;
  }

  /**
   * Returns what a person can do about it.
   *
   * @return the hint, never {@code null}
   */
  public String hint() {
    return hint;
  }

  /**
   * Returns the description with every e-mail address in the server's reply and the reason
   * replaced by its masked form ({@code a***@qq.com}), for logs (C16): servers often quote the
   * refused recipient or the login in their reply.
   *
   * @return a description with the same fields, addresses masked
   */
  public FailureDescription withAddressesMasked() {
    return new FailureDescription(category, transientFailure, replyCode, maskAll(serverReply), maskAll(reason), hint);
  }

  private static @Nullable String maskAll(@Nullable String text) {
    if (text == null) {
      return null;
    }
    Matcher m = ADDRESS.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(EmailAddress.mask(m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Returns the one line every surface shows, for example
   * {@code TLS (permanent), no reply, reason: the certificate names [DNS:mail.example.org], expected
   * 127.0.0.1; hint: ...}: the category, transient or permanent, the reply code and text (or
   * {@code no reply}), the reason when there is one, and the hint.
   *
   * @return one line without line breaks
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(category).append(transientFailure ? " (transient)" : " (permanent)");
    if (serverReply != null) {
      sb.append(", reply ");
      if (replyCode > 0 && !serverReply.startsWith(Integer.toString(replyCode))) {
        sb.append(replyCode).append(' ');
      }
      sb.append('"').append(serverReply).append('"');
    } else if (replyCode > 0) {
      sb.append(", reply ").append(replyCode);
    } else {
      sb.append(", no reply");
    }
    if (reason != null) {
      sb.append(", reason: ").append(reason);
    }
    return sb.append("; hint: ").append(hint).toString();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof FailureDescription o && category == o.category && transientFailure == o.transientFailure
        && replyCode == o.replyCode && Objects.equals(serverReply, o.serverReply) && Objects.equals(reason, o.reason)
        && hint.equals(o.hint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(category, transientFailure, replyCode, serverReply, reason, hint);
  }
}
