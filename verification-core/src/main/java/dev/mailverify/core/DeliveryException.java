package dev.mailverify.core;

import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A mail could not be delivered to the transport's next hop (an SMTP server, a folder, a queue).
 *
 * <p>Thrown by {@link dev.mailverify.core.MailTransport#send}; the service catches it and
 * answers {@link SendResult.DeliveryFailed}, which keeps it as its cause. Each failure carries a
 * {@link Category}, whether it is transient (worth retrying later with the same code), the SMTP
 * reply code when there is one, the server's reply text when there is one, and a hint in plain
 * words that a person can act on, and the underlying reason (the names a certificate holds, the
 * refused address). None of these ever contain a password, a code or a token.
 *
 * <p>All of it together is the failure's {@link #description()}, made once where the failure is
 * classified; {@link #getMessage()} is {@link #what() what happened} followed by that description,
 * so a log line of the exception alone says everything the audit line, {@code doctor} and
 * {@code sendtestmail} say.
 *
 * <pre>{@code
 * throw DeliveryException.builder(DeliveryException.Category.AUTHENTICATION, "535 rejected")
 *     .replyCode(535)
 *     .build();
 * }</pre>
 */
public class DeliveryException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is, with its usual transience and a default hint. */
  public enum Category {
    /** The server refused the login (SMTP 535, 534, 530 after AUTH). */
    AUTHENTICATION(false, "Check the user name and password. Many providers (QQ Mail, 163, Gmail) require an"
        + " authorization code or app password generated in the mail provider's settings, not the login"
        + " password."),
    /** Nothing listened on the host and port, or a firewall refused the connection. */
    CONNECTION_REFUSED(true, "Nothing accepted the connection. Check host and port, and that the firewall or"
        + " cloud security group allows outbound 587 or 465."),
    /** A connect, read or write did not finish within its timeout. */
    TIMEOUT(true, "The server did not answer in time. Check that the host is reachable from this machine"
        + " (network, DNS, firewall) and that the port matches the security mode."),
    /** The host name did not resolve. */
    UNKNOWN_HOST(false, "The host name does not resolve. Check the spelling of the host and this machine's DNS."),
    /** TLS could not be established: no STARTTLS offered, handshake or certificate failure. */
    TLS(false, "TLS could not be established. Use port 587 with STARTTLS or 465 with implicit TLS, and check"
        + " that the server's certificate matches the host name and is trusted."),
    /** The server refused the recipient (SMTP 550, 551, 553 at RCPT). */
    RECIPIENT_REJECTED(false, "The server refused the recipient. Check that the address exists and its domain"
        + " accepts mail."),
    /** The server refused the sender (SMTP 501 or 553 at MAIL FROM). */
    SENDER_REJECTED(false, "The server refused the sender. Many providers (QQ Mail among them) require the From"
        + " address to be the account you log in with."),
    /** The server is busy or out of resources for now (SMTP 421, 450, 451, 452). */
    SERVER_BUSY(true, "The server is busy or limiting this sender for now. Retry later, and slow down if it"
        + " keeps happening."),
    /** The connection broke before the server accepted the message (dropped mid-DATA, EOF). */
    CONNECTION_LOST(true, "The server closed the connection before accepting the message. Retry later; if it"
        + " keeps happening the server may be limiting this sender or refusing the message size."),
    /** The server refused the message itself, often as spam (SMTP 554, 552). */
    MESSAGE_REJECTED(false, "The server refused the message, often as spam. Publish SPF and DKIM for the"
        + " sender's domain and check the content."),
    /** The transport is misconfigured (missing host or credentials, unusable folder). */
    CONFIGURATION(false, "The transport is misconfigured. Check its settings."),
    /** An asynchronous transport refused the message because its queue is full. */
    QUEUE_FULL(true, "The send queue is full. Retry later or raise the queue capacity."),
    /**
     * The sending account's budget (messages per minute or per rolling day) is used up, see
     * {@link dev.mailverify.core.transport.SenderBudget}. Transient: a
     * {@link dev.mailverify.core.transport.FailoverMailTransport} moves on to its next account.
     */
    SENDER_BUDGET_EXHAUSTED(true, "The sending account reached its budget of messages per minute or per day."
        + " Wait, add a second account behind a failover transport, or raise the budget if the provider allows it."),
    /** The transport has been closed, or closed before a queued mail could be sent. */
    CLOSED(false, "The transport has been closed. Build a new one."),
    /** The code expired before the mail could be sent: the mail waited in a queue or in back-off too long. */
    EXPIRED(false, "The code expired before its mail could be sent. The send queue is too slow for the code's"
        + " lifetime: add workers, a second account, or a longer TTL."),
    /**
     * The outcome is not known and the mail may still arrive: it was on the wire when the transport
     * closed, or it stays in a durable outbox for another instance to send (C27, C31). Its code stays
     * valid and its cooldown stays, so the user is not told to ask again for a mail that may come.
     */
    OUTCOME_UNKNOWN(false, "The transport closed while this mail was on the wire, or left it in the durable"
        + " outbox for the next instance: it may still arrive. Raise the drain timeout to know more often."),
    /**
     * The durable outbox (Redis, the database) did not answer when the mail was handed to it. As with
     * any remote call that timed out, the store may still carry the write out later, so the mail may
     * yet be sent: the verification service keeps its code valid and lifts the cooldown.
     */
    STORE_UNAVAILABLE(true, "The durable outbox did not answer, so the mail was most likely not queued. Check"
        + " that Redis or the database is up; the user can ask again at once."),
    /** Anything else; see the cause. */
    UNKNOWN(false, "See the cause for details.");

    private final boolean transientByDefault;
    private final String defaultHint;

    Category(boolean transientByDefault, String defaultHint) {
      this.transientByDefault = transientByDefault;
      this.defaultHint = defaultHint;
    }

    /**
     * Returns whether failures of this category are usually worth retrying.
     *
     * @return {@code true} for transient categories
     */
    public boolean isTransientByDefault() {
      return transientByDefault;
    }

    /**
     * Returns the hint used when a failure does not supply its own.
     *
     * @return a sentence a person can act on
     */
    public String defaultHint() {
      return defaultHint;
    }
  }

  /** What kind of failure it is. */
  private final Category category;
  /** Whether retrying later may succeed. */
  private final boolean transientFailure;
  /** The SMTP reply code, or -1. */
  private final int replyCode;
  /** The server's reply text, or null. */
  private final @Nullable String serverReply;
  /** What a person can do about it. */
  private final String hint;
  /** How many times the mail was tried before this failure. */
  private final int attempts;
  /** What happened, without the description. */
  private final String what;
  /** The underlying reason, or null. */
  private final @Nullable String reason;
  /** Everything above, as every surface shows it. */
  private final FailureDescription description;

  /**
   * Creates a failure with the category's default transience and hint.
   *
   * @param category what kind of failure
   * @param message what happened; must not contain secrets
   * @param cause the underlying exception, or {@code null}
   */
  public DeliveryException(Category category, String message, @Nullable Throwable cause) {
    this(builder(category, message).cause(cause));
  }

  /**
   * Creates a failure from a builder.
   *
   * @param builder the filled-in builder
   */
  protected DeliveryException(Builder builder) {
    this(builder, new FailureDescription(builder.category, builder.transientFailure, builder.replyCode,
        builder.serverReply, builder.reason, builder.hint));
  }

  private DeliveryException(Builder builder, FailureDescription description) {
    super(builder.message + ": " + description, builder.cause);
    this.category = builder.category;
    this.transientFailure = builder.transientFailure;
    this.replyCode = builder.replyCode;
    this.serverReply = description.serverReply();
    this.hint = description.hint();
    this.attempts = builder.attempts;
    this.what = builder.message;
    this.reason = description.reason();
    this.description = description;
  }

  /**
   * Starts a builder.
   *
   * @param category what kind of failure; not null
   * @param message what happened; must not contain secrets; not null
   * @return a builder with the category's default transience and hint
   */
  public static Builder builder(Category category, String message) {
    return new Builder(category, message);
  }

  /**
   * Returns what kind of failure this is.
   *
   * @return the category, never {@code null}
   */
  public Category category() {
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
   * Returns the SMTP reply code, when the server sent one.
   *
   * @return the reply code, or empty
   */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the server's reply text, when there is one.
   *
   * @return the reply text, or {@code null}
   */
  public @Nullable String serverReply() {
    return serverReply;
  }

  /**
   * Returns the underlying reason in words, when there is more to say than the reply: the names a
   * certificate holds and the name that was expected, the refused address (masked), the host that
   * did not resolve.
   *
   * @return the reason, or {@code null}
   */
  public @Nullable String reason() {
    return reason;
  }

  /**
   * Returns what happened in a few words, without the description (the message is this, a colon
   * and the {@link #description()}).
   *
   * @return for example {@code "the SMTP server refused the login (535 at AUTH)"}
   */
  public String what() {
    return what;
  }

  /**
   * Returns the one description of this failure that every surface shows: category, transient or
   * permanent, the deciding reply, the reason and the hint.
   *
   * @return the description, never {@code null}
   */
  public FailureDescription description() {
    return description;
  }

  /**
   * Returns a sentence that tells a person what to do about this failure.
   *
   * @return the hint, never {@code null}
   */
  public String hint() {
    return hint;
  }

  /**
   * Returns how many times the mail was handed to a next hop before this failure became final: 1
   * for a single try, more after retries, 0 when it was never tried (a full queue, a closed
   * transport).
   *
   * @return 0 or more
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns a copy of this failure that says it is final after the given number of attempts; the
   * original becomes its cause. Used by retrying transports.
   *
   * @param count how many times the mail was tried, 0 or more
   * @return this failure if the count is already {@code count}, otherwise a new one with the same
   *     category, transience, reply code, reply text and hint
   */
  public DeliveryException afterAttempts(int count) {
    if (count == attempts) {
      return this;
    }
    return toBuilder().attempts(count).cause(this).build();
  }

  /**
   * Returns a builder with everything of this failure (what happened, category, transience, reply,
   * reason, hint, attempts) but no cause, to make a variant of it.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return builder(category, what).transientFailure(transientFailure).replyCode(replyCode).serverReply(serverReply)
        .reason(reason).hint(hint).attempts(attempts);
  }

  /** Builds a {@link DeliveryException}; every setter is optional. */
  public static final class Builder {
    private final Category category;
    private final String message;
    private boolean transientFailure;
    private int replyCode = -1;
    private @Nullable String serverReply;
    private @Nullable String reason;
    private String hint;
    private @Nullable Throwable cause;
    private int attempts = 1;

    private Builder(Category category, String message) {
      this.category = Objects.requireNonNull(category, "category");
      this.message = Objects.requireNonNull(message, "message");
      this.transientFailure = category.isTransientByDefault();
      this.hint = category.defaultHint();
    }

    /**
     * Overrides whether the failure is transient.
     *
     * @param value {@code true} if retrying may succeed
     * @return this builder
     */
    public Builder transientFailure(boolean value) {
      this.transientFailure = value;
      return this;
    }

    /**
     * Sets the SMTP reply code.
     *
     * @param code the reply code, 200-599, or a negative value for none
     * @return this builder
     */
    public Builder replyCode(int code) {
      if (code >= 0 && (code < 200 || code > 599)) {
        throw new IllegalArgumentException("replyCode must be 200-599 or negative, was " + code);
      }
      this.replyCode = code;
      return this;
    }

    /**
     * Sets the server's reply text.
     *
     * @param text the text without secrets, or {@code null}
     * @return this builder
     */
    public Builder serverReply(@Nullable String text) {
      this.serverReply = text;
      return this;
    }

    /**
     * Sets the underlying reason: the names a certificate holds and the name that was expected, the
     * refused address (masked), the host that did not resolve.
     *
     * @param text the reason without secrets, or {@code null}
     * @return this builder
     */
    public Builder reason(@Nullable String text) {
      this.reason = text;
      return this;
    }

    /**
     * Replaces the category's default hint.
     *
     * @param text a sentence a person can act on; not null
     * @return this builder
     */
    public Builder hint(String text) {
      this.hint = Objects.requireNonNull(text, "hint");
      return this;
    }

    /**
     * Sets the underlying exception.
     *
     * @param throwable the cause, or {@code null}
     * @return this builder
     */
    public Builder cause(@Nullable Throwable throwable) {
      this.cause = throwable;
      return this;
    }

    /**
     * Sets how many times the mail was tried before this failure became final (default 1).
     *
     * @param count 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder attempts(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("attempts must not be negative, was " + count);
      }
      this.attempts = count;
      return this;
    }

    /**
     * Builds the exception.
     *
     * @return a new exception
     */
    public DeliveryException build() {
      return new DeliveryException(this);
    }
  }
}
