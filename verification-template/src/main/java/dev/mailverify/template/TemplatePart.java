package dev.mailverify.template;

/** The three parts of a mail, each its own template. */
enum TemplatePart {
  /** The subject line: one line, plain text, never the code. */
  SUBJECT("subject"),
  /** The plain-text body. */
  TEXT("txt"),
  /** The HTML body; every value is HTML-escaped. */
  HTML("html");

  private final String suffix;

  TemplatePart(String suffix) {
    this.suffix = suffix;
  }

  /**
   * Returns the file name of this part of a template: {@code <base>.<locale>.<suffix>.mustache}.
   *
   * @param base the type name, or {@code generic}
   * @param localeTag a BCP 47 tag such as {@code zh-CN}
   * @return the file name
   */
  String fileName(String base, String localeTag) {
    return base + "." + localeTag + "." + suffix + ".mustache";
  }
}
