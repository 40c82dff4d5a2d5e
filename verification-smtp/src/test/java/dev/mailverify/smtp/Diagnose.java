package dev.mailverify.smtp;

import dev.mailverify.core.EmailAddress;

/**
 * {@link SmtpDiagnostics#check} without the sender's DNS checks, for tests of the SMTP steps: tests
 * talk only to 127.0.0.1. The sender checks are a plug-in ({@code SenderCheckSeamTest}); the DNS
 * implementation has its own tests against dnsmasq in verification-dns ({@code SenderDiagnosticsTest}).
 */
final class Diagnose {
  private Diagnose() {}

  static DiagnosticReport check(SmtpSettings settings) {
    return SmtpDiagnostics.check(settings, null, null);
  }

  static DiagnosticReport check(SmtpSettings settings, EmailAddress testRecipient) {
    return SmtpDiagnostics.check(settings, testRecipient, null);
  }
}
