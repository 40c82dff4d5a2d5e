package dev.mailverify.spring;

import dev.mailverify.smtp.DiagnosticReport;
import dev.mailverify.smtp.DiagnosticStep;
import dev.mailverify.smtp.SmtpDiagnostics;
import dev.mailverify.smtp.SmtpSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code doctor} of the examples as an actuator endpoint, {@code /actuator/mailverify}: it runs
 * {@link SmtpDiagnostics} on the application's own SMTP settings (however they were configured:
 * {@code mailverify.smtp.*}, the seed's variables or {@code spring.mail.*}) and answers what it
 * found, step by step, with the hint of a failed step. Read-only (a GET runs the checks and sends no
 * mail), off unless exposed ({@code management.endpoints.web.exposure.include=mailverify}), and it
 * never shows a password: the settings are described by their server, login name, From, DKIM selector
 * and timeouts. Each call connects to the server, bounded by the SMTP timeouts.
 */
@Endpoint(id = "mailverify")
public class MailVerifyDoctorEndpoint {
  private final @Nullable SmtpSettings settings;
  private final Supplier<String> wiring;

  /**
   * Creates the endpoint.
   *
   * @param settings the application's SMTP settings, or null when mail does not go through SMTP
   * @param wiring describes the chosen store, limiter and transport (the start-up line); not null
   */
  public MailVerifyDoctorEndpoint(@Nullable SmtpSettings settings, Supplier<String> wiring) {
    this.settings = settings;
    this.wiring = Objects.requireNonNull(wiring, "wiring");
  }

  /**
   * Runs the diagnosis.
   *
   * @return {@code passed}, the wiring, the settings (no secret) and the steps
   */
  @ReadOperation
  public Map<String, Object> diagnose() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("wiring", wiring.get());
    if (settings == null) {
      answer.put("passed", false);
      answer.put("problem", "mail does not go through SMTP, so there is no server to check: set mailverify.transport=smtp"
          + " with mailverify.smtp.* (or spring.mail.*, or USE_REAL_EMAIL=1 with EMAIL_*)");
      return answer;
    }
    answer.put("settings", describe(settings));
    DiagnosticReport report = SmtpDiagnostics.check(settings);
    answer.put("passed", report.passed());
    answer.put("server", report.target());
    answer.put("elapsedMs", report.elapsed().toMillis());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (DiagnosticStep step : report.steps()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("step", step.kind().label());
      s.put("status", step.status().name());
      s.put("detail", step.detail());
      step.reply().ifPresent(code -> s.put("reply", code));
      step.hintText().ifPresent(h -> s.put("hint", h));
      steps.add(s);
    }
    answer.put("steps", steps);
    answer.put("warnings", report.warnings());
    return answer;
  }

  private static Map<String, Object> describe(SmtpSettings s) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("host", s.host());
    d.put("port", s.port());
    d.put("security", s.security().name());
    d.put("username", s.username() == null ? "(none: no login)" : s.username());
    d.put("password", s.hasPassword() ? "(set)" : "(not set)");
    d.put("from", s.from().toString());
    d.put("dkim", s.dkim().map(k -> k.selector() + "._domainkey." + k.domain()).orElse("(off)"));
    d.put("trustedCertificates", s.trustedCertificates().isEmpty() ? "(the JDK's)" : s.trustedCertificates().size());
    d.put("connectTimeout", s.connectTimeout().toString());
    d.put("readTimeout", s.readTimeout().toString());
    d.put("writeTimeout", s.writeTimeout().toString());
    return d;
  }
}
