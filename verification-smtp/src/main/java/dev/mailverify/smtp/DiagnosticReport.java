package dev.mailverify.smtp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The result of {@link SmtpDiagnostics#check(SmtpSettings)}: every step in the order it ran, each
 * passed, failed or skipped. Printable: {@link #toString()} gives a header line and one line per
 * step with ✔ or ✘. Never contains the password.
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
 */
public record DiagnosticReport(String target, List<DiagnosticStep> steps) {

  /**
   * Copies the steps.
   *
   * @throws NullPointerException when an argument is null
   */
  public DiagnosticReport {
    Objects.requireNonNull(target, "target");
    steps = List.copyOf(steps);
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
   * Returns the lines to print: a header, then one line per step.
   *
   * @return the lines, without line breaks
   */
  public List<String> lines() {
    String header = "SMTP check of " + target + ": " + (passed() ? "all steps passed" : "FAILED at "
        + firstFailure().map(s -> s.kind().label()).orElse("?")) + " (" + elapsed().toMillis() + " ms)";
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(header),
        steps.stream().map(DiagnosticStep::toLine)).collect(Collectors.toList());
  }

  /** The {@link #lines()} joined with line breaks. */
  @Override
  public String toString() {
    return String.join(System.lineSeparator(), lines());
  }
}
