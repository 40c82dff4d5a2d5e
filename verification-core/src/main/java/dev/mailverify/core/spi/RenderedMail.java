package dev.mailverify.core.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TemplateRenderer} produced: subject, plain-text body and optional HTML body.
 * {@link #toString()} shows only sizes, since the bodies hold the code.
 *
 * @param subject the subject, not blank
 * @param text the plain-text body, not empty
 * @param html the HTML body, or {@code null}
 */
public record RenderedMail(String subject, String text, @Nullable String html) {
  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException if subject is blank or text is empty
   *
   * @param subject the subject, not blank
   * @param text the plain-text body, not empty
   * @param html the HTML body, or {@code null}
   */
  public RenderedMail {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("text must not be empty");
    }
  }

  /** Shows sizes only. */
  @Override
  public String toString() {
    return "RenderedMail[subject=" + subject.length() + " chars, text=" + text.length() + " chars, html="
        + (html == null ? "none" : html.length() + " chars") + "]";
  }
}
