package dev.mailverify.spring;

import dev.mailverify.smtp.SmtpSettings;
import java.nio.file.Path;

/** Adds a PEM file of CA certificates to SMTP settings. */
final class TrustedCertificates {
  private TrustedCertificates() {}

  static void apply(SmtpSettings.Builder builder, Path pemFile) {
    builder.trustedCertificatesPem(pemFile);
  }
}
