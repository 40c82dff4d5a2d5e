package dev.mailverify.core;

/**
 * Why an address was refused, for a controller to switch on and show its own (localised) message.
 * Carried by {@link SendResult.InvalidAddress#reason()} and {@link InvalidAddressException#reason()},
 * next to a human-readable English message. New constants may be added in later versions: keep a
 * {@code default} branch.
 */
public enum InvalidAddressReason {
  /** Nothing was typed, or the local part or the domain is empty. */
  EMPTY,
  /** Not of the form {@code local@domain}: no {@code @}, white space, a misplaced dot, a character that is not allowed. */
  SYNTAX,
  /** Longer than 254 characters in all, 64 in the local part, or 253 in the domain. */
  TOO_LONG,
  /** A CR, LF or other control character anywhere (a header-injection attempt; C18, C19). */
  CONTROL_CHARACTER,
  /** Non-ASCII characters before the {@code @} (SMTPUTF8 mailboxes are not supported; C18). */
  NON_ASCII_LOCAL_PART,
  /** The domain is not a valid host name: no dot, an IP address, a bad label or IDN form. */
  INVALID_DOMAIN,
  /** A recipient check found that the domain does not exist (DNS NXDOMAIN; C30). */
  DOMAIN_NOT_FOUND,
  /** A recipient check found that the domain accepts no mail: a null MX (RFC 7505), or neither MX nor A/AAAA records. */
  NO_MAIL_SERVER,
  /** A recipient check found a disposable (throw-away) mail domain. */
  DISPOSABLE_DOMAIN,
  /**
   * The domain looks like a typo of a major provider's ({@code gmial.com} for {@code gmail.com}) and
   * a recipient check refused it as disposable: typo domains are on disposable lists, but the user
   * most likely mistyped. {@link SendResult.InvalidAddress#suggestion()} holds the address meant and
   * the message asks "did you mean ...?" (see {@link TypoSuggestions}).
   */
  LIKELY_TYPO
}
