package dev.mailverify.core;

/**
 * Thrown when a header value (subject, display name or extra header) contains CR, LF or another
 * control character (contract C19). Such a value could smuggle extra headers or recipients into
 * the mail, so it is refused rather than folded or stripped.
 *
 * <p>The message names the field, never the offending value.
 */
public final class HeaderInjectionException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /** The refused field. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the header or field that held the control character, for example {@code "subject"}
   */
  public HeaderInjectionException(String field) {
    super(field + " must not contain CR, LF or other control characters (header injection refused)");
    this.field = field;
  }

  /**
   * Returns the refused field.
   *
   * @return the field name, never {@code null}
   */
  public String field() {
    return field;
  }
}
