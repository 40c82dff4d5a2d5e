package dev.mailverify.smtp.spi;

import dev.mailverify.smtp.DiagnosticStep;
import dev.mailverify.smtp.DkimSigner;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks the DNS records of the sender's (From) domain that decide whether mail lands in the inbox:
 * the part of {@link dev.mailverify.smtp.SmtpDiagnostics} that needs a DNS library, plugged in so
 * that an application which only sends mail carries none. {@code verification-dns} implements it
 * ({@code dev.mailverify.dns.SenderDomainCheck}); wire it in with
 * {@link dev.mailverify.smtp.SmtpDiagnostics.Builder#senderCheck(SenderCheck)}.
 *
 * <p>The diagnostics turn each {@link Finding} into a report line: {@link Finding.Status#PASSED} and
 * {@link Finding.Status#SKIPPED} become steps of the report, {@link Finding.Status#WARNING} a ⚠
 * line with the hint. A sender check never fails the report (mail may still arrive, perhaps in
 * spam). An implementation should not throw for DNS trouble (C30: that is a warning saying the
 * record could not be checked); if it throws anyway, the report carries one warning naming the
 * exception's type, never its message.
 */
@FunctionalInterface
public interface SenderCheck {

  /**
   * Checks the sender's records.
   *
   * @param sender the From domain, the SMTP host and the DKIM signer in use; not null
   * @return the findings in the order they are to be shown (SPF, DMARC, DKIM, MX for the built-in
   *     check); never null
   */
  List<Finding> check(Sender sender);

  /**
   * What a sender check looks at: the From address's domain, the SMTP server mail goes through
   * (providers document the SPF {@code include:} their servers need) and, when mail is signed,
   * the DKIM signer whose public key must be published.
   *
   * @param domain the From address's domain, lower case, such as {@code example.com}
   * @param smtpHost the SMTP host, such as {@code smtp.qq.com}
   * @param dkimSigner the signer of the transport, or {@code null} when mail is not signed
   */
  record Sender(String domain, String smtpHost, @Nullable DkimSigner dkimSigner) {
    /**
     * Validates the sender.
     *
     * @param domain the From address's domain, such as {@code example.com}
     * @param smtpHost the SMTP host, such as {@code smtp.qq.com}
     * @param dkimSigner the signer of the transport, or {@code null} when mail is not signed
     * @throws NullPointerException if the domain or the host is null
     * @throws IllegalArgumentException if the domain or the host is blank
     */
    public Sender {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(smtpHost, "smtpHost");
      if (domain.isBlank() || smtpHost.isBlank()) {
        throw new IllegalArgumentException("domain and smtpHost must not be blank");
      }
    }

    /**
     * Returns the DKIM signer, if mail is signed.
     *
     * @return the signer, or empty
     */
    public Optional<DkimSigner> dkim() {
      return Optional.ofNullable(dkimSigner);
    }
  }

  /**
   * One finding: a record of the sender's domain, whether it is in order, what was seen and, for a
   * warning, which record to add or change.
   *
   * @param kind which record: {@link DiagnosticStep.Kind#SPF}, {@link DiagnosticStep.Kind#DMARC},
   *     {@link DiagnosticStep.Kind#DKIM} or {@link DiagnosticStep.Kind#SENDER_MX}
   * @param status in order, worth a warning, or not checked
   * @param detail what was seen, such as the SPF record and its count of DNS lookups
   * @param hint for a warning, what to do; otherwise usually {@code null}
   */
  record Finding(DiagnosticStep.Kind kind, Status status, String detail, @Nullable String hint) {
    private static final Set<DiagnosticStep.Kind> SENDER_KINDS = EnumSet.of(DiagnosticStep.Kind.SPF,
        DiagnosticStep.Kind.DMARC, DiagnosticStep.Kind.DKIM, DiagnosticStep.Kind.SENDER_MX);

    /**
     * Validates the finding.
     *
     * @param kind which record: SPF, DMARC, DKIM or SENDER_MX
     * @param status in order, worth a warning, or not checked
     * @param detail what was seen
     * @param hint for a warning, what to do; otherwise usually {@code null}
     * @throws NullPointerException if kind, status or detail is null
     * @throws IllegalArgumentException if the kind is an SMTP step (RESOLVE ... SEND), not a sender record
     */
    public Finding {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
      if (!SENDER_KINDS.contains(kind)) {
        throw new IllegalArgumentException("kind must be one of " + SENDER_KINDS + ", was " + kind);
      }
    }

    /** How a finding came out. */
    public enum Status {
      /** In order: a passed step of the report. */
      PASSED,
      /** Missing, wrong, or could not be checked: a ⚠ line with the hint. Mail may land in spam. */
      WARNING,
      /** Not checked because it does not apply (DKIM without signing): a skipped step. */
      SKIPPED
    }
  }
}
