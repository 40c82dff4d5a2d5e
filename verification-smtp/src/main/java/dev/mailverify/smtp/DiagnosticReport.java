package dev.mailverify.smtp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The result of {@link SmtpDiagnostics#check(SmtpSettings)}: every step in the order it ran, each
 * passed, failed or skipped, and the warnings about the settings that no step can prove (such as a
 * From the provider will refuse). Printable: {@link #toString()} gives a header line, one line per
 * step with ✔ or ✘, and one line per warning with ⚠. Never contains the password.
 *
 * <pre>{@code
 * DiagnosticReport report = SmtpDiagnostics.check(settings);
 * System.out.println(report);
 * if (!report.passed()) {
 *   report.firstFailure().ifPresent(step -> System.out.println("fix: " + step.hint()));
 * }
 * }</pre>
 *
 * @param target the server checked, such as {@code smtp.qq.com:587 (STARTTLS)}
 * @param steps the steps in the order they ran
 * @param warnings what deserves attention in the settings even when every step passed, such as
 *     {@link SmtpEnvironment#warnings()}; one sentence each
 */
public record DiagnosticReport(String target, List<DiagnosticStep> steps, List<String> warnings) {

  /**
   * Copies the steps and warnings.
   *
   * @throws NullPointerException when an argument is null
   *
   * @param target the server checked, such as {@code smtp.qq.com:587 (STARTTLS)}
   * @param steps the steps in the order they ran
   * @param warnings what deserves attention in the settings even when every step passed, such as {@link SmtpEnvironment#warnings()}; one sentence each
   */
  public DiagnosticReport {
    Objects.requireNonNull(target, "target");
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }

  /**
   * A report without warnings.
   *
   * @param target the server checked
   * @param steps the steps in the order they ran
   */
  public DiagnosticReport(String target, List<DiagnosticStep> steps) {
    this(target, steps, List.of());
  }

  /**
   * Returns this report with warnings added, for example those {@link SmtpEnvironment} computed for
   * the variables the settings came from.
   *
   * @param more the warnings to add; not null
   * @return a new report
   */
  public DiagnosticReport withWarnings(List<String> more) {
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new DiagnosticReport(target, steps, all);
  }

  /**
   * Tells whether no step failed.
   *
   * @return {@code true} when every step passed or was skipped on purpose
   */
  public boolean passed() {
    return steps.stream().noneMatch(DiagnosticStep::failed);
  }

  /**
   * Returns the first failed step, which is where to start fixing.
   *
   * @return the failed step, or empty
   */
  public Optional<DiagnosticStep> firstFailure() {
    return steps.stream().filter(DiagnosticStep::failed).findFirst();
  }

  /**
   * Returns one step by kind.
   *
   * @param kind the step; not null
   * @return the step, or empty when it was not part of this check
   */
  public Optional<DiagnosticStep> step(DiagnosticStep.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return steps.stream().filter(s -> s.kind() == kind).findFirst();
  }

  /**
   * Returns the total time of all steps.
   *
   * @return the sum of the steps' times
   */
  public Duration elapsed() {
    return steps.stream().map(DiagnosticStep::elapsed).reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * Returns the lines to print: a header, then one line per step, then one line per warning.
   *
   * @return the lines, without line breaks
   */
  public List<String> lines() {
    String outcome = passed() ? "all steps passed" : "FAILED at " + firstFailure().map(s -> s.kind().label()).orElse("?");
    if (!warnings.isEmpty()) {
      outcome += ", " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings") + " (⚠ below)";
    }
    String header = "SMTP check of " + target + ": " + outcome + " (" + elapsed().toMillis() + " ms)";
    return java.util.stream.Stream.of(java.util.stream.Stream.of(header), steps.stream().map(DiagnosticStep::toLine),
        warnings.stream().map(w -> "⚠ " + w)).flatMap(x -> x).collect(Collectors.toList());
  }

  /** The {@link #lines()} joined with line breaks. */
  @Override
  public String toString() {
    return String.join(System.lineSeparator(), lines());
  }
}
