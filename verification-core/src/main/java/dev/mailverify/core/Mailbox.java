package dev.mailverify.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A sender with an optional display name, such as {@code Roamio <noreply@roamio.com>}: the From of
 * a mail, set by the application ({@code DEFAULT_FROM_EMAIL}, {@code SmtpSettings.Builder.from},
 * {@code VerificationCodeService.Builder.from}). Recipients are {@link EmailAddress}es.
 *
 * <p>The address is validated like an {@link EmailAddress} (C18), with one difference: its domain
 * may be a single label such as {@code localhost} or {@code mailhog}, because local test servers
 * (GreenMail, MailHog, aiosmtpd, a Docker service) are commonly addressed that way and the
 * address is the application's own configuration, not a user's input. A recipient's domain
 * always needs a dot, so a user can still not ask for a code at {@code user@localhost}. A public
 * server refuses a dotless sender at {@code MAIL FROM}: the send fails with
 * {@code SENDER_REJECTED}, never silently.
 *
 * <p>The display name may be in any language (transports encode it per RFC 2047) but must not
 * contain CR, LF or other control characters (contract C19).
 *
 * @param address the normalized address
 * @param displayName the display name, or {@code null} for none
 */
public record Mailbox(String address, @Nullable String displayName) {

  /**
   * Validates the parts.
   *
   * @param address an address; normalized here (the domain may be a single label such as
   *     {@code localhost})
   * @param displayName a display name or {@code null}
   * @throws InvalidAddressException if the address is invalid; the message says which rule it
   *     broke, without the address
   * @throws HeaderInjectionException if the display name contains a control character
   */
  public Mailbox {
    address = EmailAddress.normalizeSender(Objects.requireNonNull(address, "address"));
    if (displayName != null) {
      displayName = displayName.strip();
      if (containsControl(displayName)) {
        throw new HeaderInjectionException("displayName");
      }
      if (displayName.isEmpty()) {
        displayName = null;
      }
    }
  }

  /**
   * Parses {@code "Display Name <user@example.com>"}, {@code "\"Name\" <user@example.com>"} or a
   * bare address.
   *
   * @param text the mailbox text; not null
   * @return the mailbox
   * @throws InvalidAddressException if the address part is invalid or the brackets do not match
   * @throws HeaderInjectionException if the text contains CR, LF or another control character
   */
  public static Mailbox parse(String text) {
    Objects.requireNonNull(text, "mailbox");
    if (containsControl(text)) {
      throw new HeaderInjectionException("mailbox");
    }
    String s = text.strip();
    int lt = s.lastIndexOf('<');
    if (lt < 0) {
      if (s.indexOf('>') >= 0) {
        throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "mailbox has '>' without '<'");
      }
      return new Mailbox(s, null);
    }
    if (!s.endsWith(">")) {
      throw new InvalidAddressException(InvalidAddressReason.SYNTAX, "mailbox must end with '>' after '<'");
    }
    String address = s.substring(lt + 1, s.length() - 1);
    String name = s.substring(0, lt).strip();
    if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
      name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return new Mailbox(address, name.isEmpty() ? null : name);
  }

  static boolean containsControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        return true;
      }
    }
    return false;
  }

  /** Returns {@code Name <address>} or the bare address. */
  @Override
  public String toString() {
    return displayName == null ? address : displayName + " <" + address + ">";
  }
}
