package dev.mailverify.template;

import dev.mailverify.core.MailVerifyException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A template could not be found, compiled or rendered: a configuration problem of the
 * application, never a problem of the user who asked for a code.
 *
 * <p>The message says what to fix in plain words: which template names were tried when none
 * was found ({@link #triedNames()}), or which template and which variable when a template uses a
 * value nobody supplied ({@link #templateName()}, {@link #variable()}). Messages name templates
 * and variables only; they never contain a value, so never the code (contract C16).
 *
 * <p>{@link dev.mailverify.core.VerificationCodeService#sendVerificationCode} lets it through to
 * the caller and sends nothing.
 */
public final class TemplateException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /** The template that failed, or null. */
  private final @Nullable String templateName;
  /** The missing variable, or null. */
  private final @Nullable String variable;
  /** The template names looked up, in order. */
  private final List<String> triedNames;

  TemplateException(String message, @Nullable String templateName, @Nullable String variable,
      List<String> triedNames, @Nullable Throwable cause) {
    super(message, cause);
    this.templateName = templateName;
    this.variable = variable;
    this.triedNames = List.copyOf(triedNames);
  }

  TemplateException(String message, @Nullable String templateName, @Nullable Throwable cause) {
    this(message, templateName, null, List.of(), cause);
  }

  /**
   * Returns the file name of the template at fault, for example
   * {@code login.en.html.mustache}.
   *
   * @return the name, or empty when no template was found at all
   */
  public Optional<String> templateName() {
    return Optional.ofNullable(templateName);
  }

  /**
   * Returns the variable a template used without a value, for example {@code userName}.
   *
   * @return the variable, or empty when the failure is about something else
   */
  public Optional<String> variable() {
    return Optional.ofNullable(variable);
  }

  /**
   * Returns the template names looked up, in order, when none of them was found.
   *
   * @return the names; empty when the failure is not a missing template
   */
  public List<String> triedNames() {
    return triedNames;
  }
}
