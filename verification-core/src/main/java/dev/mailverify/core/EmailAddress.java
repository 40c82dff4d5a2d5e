package dev.mailverify.core;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated, normalized e-mail address (contract C18).
 *
 * <p>{@link #parse(String)} trims spaces, converts an internationalized domain to ASCII
 * (punycode) and lower-cases it, and refuses anything mailverify will not send to: control
 * characters (CR, LF, ...), spaces, a non-ASCII or quoted local part, a local part over 64
 * characters, an address over 254 characters, a domain without a dot or with an invalid label.
 * The check happens before any I/O, so a refused address never reaches a store or a server.
 *
 * <p>These are the rules for <em>recipients</em>, the addresses users type. A sender the
 * application configures ({@link Mailbox}, such as {@code DEFAULT_FROM_EMAIL}) follows the same
 * rules except that its domain may be a single label such as {@code localhost}, for local test
 * servers; a recipient's domain always needs a dot.
 *
 * <p>{@link #address()} is the form mail is sent to (the local part as typed, the domain
 * lower-cased). {@link #key()} is the fully lower-cased form that codes, tokens and rate limits
 * are keyed on, so that {@code User@Example.COM} and {@code user@example.com} share one bucket
 * (C12). {@link #toString()} and {@link #masked()} never show the whole address.
 *
 * <p>Immutable and thread-safe; two addresses are equal when their {@link #address()} forms are
 * equal. The only way to get one is {@link #parse(String)}, so every instance is valid.
 */
public final class EmailAddress {

  /** Longest input looked at before it is refused unread. */
  private static final int MAX_INPUT = 512;

  private final String address;
  private final String key;

  private EmailAddress(String address) {
    this.address = address;
    this.key = address.toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the normalized address mail is sent to: the local part as typed, the domain
   * lower-cased and in ASCII.
   *
   * @return the address
   */
  public String address() {
    return address;
  }

  /**
   * Returns the fully lower-cased form that codes, tokens and rate limits are keyed on.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * Returns the domain: lower-cased, internationalized names in ASCII (punycode), for example
   * {@code qq.com} or {@code xn--fiqs8s.example}. Recipient checks (MX lookups) use it.
   *
   * @return the domain
   */
  public String domain() {
    return address.substring(address.lastIndexOf('@') + 1);
  }

  /**
   * Returns the local part (before the {@code @}) as typed.
   *
   * @return the local part
   */
  public String localPart() {
    return address.substring(0, address.lastIndexOf('@'));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmailAddress other && address.equals(other.address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  /**
   * Parses and normalizes user input.
   *
   * @param raw what the user typed; not null
   * @return the normalized address
   * @throws InvalidAddressException naming the broken rule, never echoing the input
   * @throws NullPointerException if {@code raw} is null
   */
  public static EmailAddress parse(String raw) {
    return new EmailAddress(normalize(Objects.requireNonNull(raw, "email"), Domain.PUBLIC));
  }

  /**
   * Normalizes a sender's address: the recipient rules, except that a single-label domain such as
   * {@code localhost} is allowed (see {@link Mailbox}).
   */
  static String normalizeSender(String raw) {
    return normalize(raw, Domain.PUBLIC_OR_SINGLE_LABEL);
  }

  /** Which domains an address may have. */
  private enum Domain {
    /** A name with at least one dot: what a user's mailbox on the internet has (recipients). */
    PUBLIC,
    /** Also a single label such as {@code localhost}: a local test server (configured senders). */
    PUBLIC_OR_SINGLE_LABEL
  }

  /**
   * Tells whether {@link #parse(String)} would accept the input.
   *
   * @param raw the input, may be {@code null}
   * @return {@code true} if it is a valid address
   */
  public static boolean isValid(@org.jspecify.annotations.Nullable String raw) {
    if (raw == null) {
      return false;
    }
    try {
      normalize(raw, Domain.PUBLIC);
      return true;
    } catch (InvalidAddressException e) {
      return false;
    }
  }

  /**
   * Returns the address masked for logs: {@code a***@qq.com} (contract C16).
   *
   * @return the masked address
   */
  public String masked() {
    return mask(address);
  }

  /**
   * Masks any address-like string for logs, keeping the first character and the domain.
   *
   * @param address an address; not null
   * @return the masked form, for example {@code a***@qq.com}
   */
  public static String mask(String address) {
    int at = address.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return address.charAt(0) + "***" + address.substring(at);
  }

  /** Returns the masked address; the whole address never appears in logs by accident. */
  @Override
  public String toString() {
    return masked();
  }

  private static String normalize(String raw, Domain rule) {
    if (raw.length() > MAX_INPUT) {
      throw new InvalidAddressException(InvalidAddressReason.TOO_LONG, "address longer than 254 characters");
    }
    // Control characters are refused anywhere, even at the ends: a trailing CR LF is an attack
    // signature, not white space to trim.
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        throw new InvalidAddressException(InvalidAddressReason.CONTROL_CHARACTER, "address contains a control character (CR, LF, ...)");
      }
    }
    String s = raw.strip();
    if (s.isEmpty()) {
      throw new InvalidAddressException(InvalidAddressReason.EMPTY, "address is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "address contains white space");
      }
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "address has no @");
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    checkLocal(local);
    String asciiDomain = checkDomain(domain, rule);
    String address = local + "@" + asciiDomain;
    if (address.length() > 254) {
      throw new InvalidAddressException(InvalidAddressReason.TOO_LONG, "address longer than 254 characters");
    }
    return address;
  }

  private static void checkLocal(String local) {
    if (local.isEmpty()) {
      throw new InvalidAddressException(InvalidAddressReason.EMPTY, "local part is empty");
    }
    if (local.length() > 64) {
      throw new InvalidAddressException(InvalidAddressReason.TOO_LONG, "local part longer than 64 characters");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c >= 0x80) {
        throw new InvalidAddressException(InvalidAddressReason.NON_ASCII_LOCAL_PART, "local part contains non-ASCII characters");
      }
      if (!isAtext(c) && c != '.') {
        throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "local part contains a character that is not allowed");
      }
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "local part has a misplaced dot");
    }
  }

  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }

  private static String checkDomain(String domain, Domain rule) {
    if (domain.isEmpty()) {
      throw new InvalidAddressException(InvalidAddressReason.EMPTY, "domain is empty");
    }
    if (domain.length() > 253 * 4) {
      throw new InvalidAddressException(InvalidAddressReason.TOO_LONG, "domain too long");
    }
    String ascii;
    if (isLdh(domain)) {
      ascii = domain.toLowerCase(Locale.ROOT); // already ASCII: the labels are checked below
    } else {
      try {
        ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain is not a valid (internationalized) host name");
      }
    }
    if (ascii.length() > 253) {
      throw new InvalidAddressException(InvalidAddressReason.TOO_LONG, "domain longer than 253 characters");
    }
    if (ascii.indexOf('.') < 0 && rule == Domain.PUBLIC) {
      throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain needs at least one dot");
    }
    int start = 0;
    int lastLabel = 0;
    while (start <= ascii.length()) { // label by label, without splitting into new strings
      int end = ascii.indexOf('.', start);
      if (end < 0) {
        end = ascii.length();
      }
      int length = end - start;
      if (length == 0 || length > 63) {
        throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain has an empty or over-long label");
      }
      if (ascii.charAt(start) == '-' || ascii.charAt(end - 1) == '-') {
        throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain label starts or ends with a hyphen");
      }
      for (int i = start; i < end; i++) {
        char c = ascii.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain contains a character that is not allowed");
        }
      }
      lastLabel = start;
      start = end + 1;
    }
    if (allDigits(ascii, lastLabel)) {
      throw new InvalidAddressException(InvalidAddressReason.INVALID_DOMAIN, "domain must be a host name, not an IP address");
    }
    return ascii;
  }

  /** Letters, digits, hyphens and dots only: a domain IDN conversion would leave as it is. */
  private static boolean isLdh(String domain) {
    for (int i = 0; i < domain.length(); i++) {
      char c = domain.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} from {@code from} to its end is digits only. */
  private static boolean allDigits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
