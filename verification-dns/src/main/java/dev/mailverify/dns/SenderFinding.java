package dev.mailverify.dns;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finding of a {@link SenderDomainCheck}: a DNS record of the sender's domain that helps mail
 * arrive, whether it is in order, what was seen and, when not, which record to add or change.
 * A finding never stops anything: mail may still be sent, it may just land in spam.
 *
 * @param kind which record
 * @param status in order, worth a warning, or not checked
 * @param detail what was seen, such as the SPF record and its count of DNS lookups
 * @param hint for a warning, what to do (the record to add, with its name and value); otherwise
 *     {@code null}
 */
public record SenderFinding(Kind kind, Status status, String detail, @Nullable String hint) {

  /** The records checked. */
  public enum Kind {
    /** SPF: the TXT {@code v=spf1} record of the From domain authorises the sending server. */
    SPF,
    /** DMARC: the TXT record at {@code _dmarc.<domain>}, its policy and alignment. */
    DMARC,
    /** DKIM: the public key at {@code <selector>._domainkey.<domain>} matches the signing key. */
    DKIM,
    /** MX of the From domain: where bounces and replies go. */
    MX
  }

  /** How a finding came out. */
  public enum Status {
    /** In order. */
    OK,
    /** Missing or wrong, or could not be checked: see the hint. Mail may land in spam. */
    WARNING,
    /** Not checked because it does not apply (for example DKIM without signing). */
    SKIPPED
  }

  /**
   * Validates the finding.
   *
   * @throws NullPointerException when kind, status or detail is null
   *
   * @param kind which record
   * @param status in order, worth a warning, or not checked
   * @param detail what was seen, such as the SPF record and its count of DNS lookups
   * @param hint for a warning, what to do (the record to add, with its name and value); otherwise {@code null}
   */
  public SenderFinding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }
}
