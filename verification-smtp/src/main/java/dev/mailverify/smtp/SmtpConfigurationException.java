package dev.mailverify.smtp;

import dev.mailverify.core.MailVerifyException;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP configuration is missing or invalid, found at start-up rather than at the first send
 * (contract C26): a required variable is not set in production, a value does not parse, or a
 * {@code .env} file cannot be read.
 *
 * <p>The message names every variable at fault and what it should hold, never its value, so it is
 * safe to log. {@link #variables()} lists the names for programs.
 */
public final class SmtpConfigurationException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /** Serializable copy of the names. */
  private final String[] variables;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the variables; must not contain values
   * @param variables the variables at fault, possibly empty; not null
   */
  public SmtpConfigurationException(String message, List<String> variables) {
    super(message);
    this.variables = Objects.requireNonNull(variables, "variables").toArray(new String[0]);
  }

  /**
   * Returns the variables at fault, such as {@code EMAIL_HOST_PASSWORD}.
   *
   * @return the names, possibly empty; never {@code null}
   */
  public List<String> variables() {
    return List.of(variables);
  }
}
