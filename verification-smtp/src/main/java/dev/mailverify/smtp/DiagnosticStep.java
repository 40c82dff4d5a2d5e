package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * One step of an {@link SmtpDiagnostics} check: what was tried, whether it passed, how long it took,
 * what was seen and, on failure, what to do. Never contains the password.
 *
 * @param kind which step
 * @param status passed, failed or skipped
 * @param elapsed the time the step took
 * @param detail what was seen: the addresses, the banner, the extensions, the certificate, the
 *     server's reply, or why the step was skipped
 * @param category on failure, the delivery failure category; otherwise {@code null}
 * @param replyCode on failure, the SMTP reply code when there is one; otherwise -1
 * @param hint on failure, what to do; otherwise {@code null}
 */
public record DiagnosticStep(Kind kind, Status status, Duration elapsed, String detail,
    DeliveryException.@Nullable Category category, int replyCode, @Nullable String hint) {

  /** The steps, in the order of the seed's manual checks. */
  public enum Kind {
    /** Resolve the host name (DNS). */
    RESOLVE("resolve host"),
    /** Open the TCP connection. */
    CONNECT("TCP connect"),
    /** Read the server's 220 greeting. */
    BANNER("220 banner"),
    /** Say EHLO and list the extensions. */
    EHLO("EHLO"),
    /** STARTTLS, or the implicit TLS handshake: certificate subject and expiry. */
    TLS("TLS"),
    /** Log in with the configured account. */
    AUTH("AUTH"),
    /** Send a test message. */
    SEND("test send"),
    /** The From domain's SPF record (a warning, never a failure, when missing or wrong). */
    SPF("sender SPF"),
    /** The From domain's DMARC record at {@code _dmarc.<domain>}. */
    DMARC("sender DMARC"),
    /** The DKIM public key at the signer's selector, when signing is configured. */
    DKIM("sender DKIM"),
    /** The From domain's MX record, where bounces go. */
    SENDER_MX("sender MX");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /**
     * Returns the step's name for people.
     *
     * @return for example {@code "TCP connect"}
     */
    public String label() {
      return label;
    }
  }

  /** The outcome of a step. */
  public enum Status {
    /** The step worked. */
    PASSED,
    /** The step failed; see the hint. */
    FAILED,
    /** The step did not run (an earlier one failed, or it does not apply). */
    SKIPPED
  }

  /**
   * Validates the step.
   *
   * @throws NullPointerException when kind, status, elapsed or detail is null
   *
   * @param kind which step
   * @param status passed, failed or skipped
   * @param elapsed the time the step took
   * @param detail what was seen: the addresses, the banner, the extensions, the certificate, the server's reply, or why the step was skipped
   * @param category on failure, the delivery failure category; otherwise {@code null}
   * @param replyCode on failure, the SMTP reply code when there is one; otherwise -1
   * @param hint on failure, what to do; otherwise {@code null}
   */
  public DiagnosticStep {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Tells whether the step failed.
   *
   * @return {@code true} for {@link Status#FAILED}
   */
  public boolean failed() {
    return status == Status.FAILED;
  }

  /**
   * Returns the reply code on failure.
   *
   * @return the SMTP reply code, or empty
   */
  public OptionalInt reply() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the hint on failure.
   *
   * @return the hint, or empty
   */
  public Optional<String> hintText() {
    return Optional.ofNullable(hint);
  }

  /**
   * Formats the step as one line: a mark ({@code ✔}, {@code ✘} or {@code -}), the step, the time
   * and what was seen; on failure what was seen is the failure's whole description (category, the
   * deciding reply, the reason and the hint), or the category and hint follow it.
   *
   * @return one line without a line break
   */
  public String toLine() {
    String mark = status == Status.PASSED ? "✔" : status == Status.FAILED ? "✘" : "-";
    StringBuilder sb = new StringBuilder();
    sb.append(mark).append(' ').append(String.format("%-13s", kind.label()));
    if (status != Status.SKIPPED) {
      sb.append(String.format("%6d ms  ", elapsed.toMillis()));
    } else {
      sb.append("           ");
    }
    sb.append(detail.replace('\r', ' ').replace('\n', ' '));
    if (status == Status.FAILED && (hint == null || !detail.contains(hint))) {
      // a failure's detail is normally its whole description, hint included; a step built by hand
      // may carry the category and hint alone
      if (category != null) {
        sb.append(" [").append(category).append(']');
      }
      if (hint != null) {
        sb.append(" -> ").append(hint);
      }
    }
    return sb.toString();
  }

  /** Same as {@link #toLine()}. */
  @Override
  public String toString() {
    return toLine();
  }
}
