package dev.mailverify.examples;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.smtp.DiagnosticReport;
import dev.mailverify.smtp.EnvironmentSource;
import dev.mailverify.smtp.MailTransports;
import dev.mailverify.smtp.SmtpConfigurationException;
import dev.mailverify.smtp.SmtpDiagnostics;
import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The demo's command line. Every command reads the seed's variables ({@code USE_REAL_EMAIL},
 * {@code EMAIL_HOST}, ...) from the environment and from {@code .env} in the working directory
 * (or {@code --env-file}); the environment wins.
 *
 * <ul>
 *   <li>{@code serve} (the default): the sign-up web app; console transport unless
 *       {@code USE_REAL_EMAIL=1};
 *   <li>{@code console}: the flow in the terminal, no mail account needed;
 *   <li>{@code sendtestmail <address>}: prints the effective SMTP settings (password masked) and
 *       sends one test mail; exit 0 on success, 1 with the category and hint on failure;
 *   <li>{@code doctor [--to <address>]}: the SMTP diagnostics, one line per step; exit 0 when
 *       all pass.
 * </ul>
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.args="doctor"
 * </pre>
 */
@Command(name = "mailverify-demo", mixinStandardHelpOptions = true,
    description = "mailverify demos: the seed's sign-up flow and its SMTP commands.",
    subcommands = {DemoApp.Serve.class, DemoApp.Console.class, DemoApp.SendTestMail.class, DemoApp.Doctor.class})
public final class DemoApp implements Callable<Integer> {
  private final EnvironmentSource defaultEnvironment;
  private final PrintStream out;

  @Option(names = "--env-file", description = "A .env file to read (must exist); default: ./.env if present.")
  Path envFile;

  DemoApp(EnvironmentSource defaultEnvironment, PrintStream out) {
    this.defaultEnvironment = defaultEnvironment;
    this.out = out;
  }

  /**
   * Runs a command and exits with its code. No arguments runs {@code serve}.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, EnvironmentSource.system().orElse(EnvironmentSource.dotenvIfPresent(Path.of(".env"))),
        System.out));
  }

  /**
   * Runs a command with the given environment and output.
   *
   * @param args the command line; empty means {@code serve}
   * @param environment where the SMTP variables come from (unless {@code --env-file} is given)
   * @param out where to print
   * @return the exit code
   */
  static int run(String[] args, EnvironmentSource environment, PrintStream out) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    CommandLine cl = new CommandLine(new DemoApp(environment, out));
    PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
    cl.setOut(writer);
    cl.setErr(writer);
    return cl.execute(effective);
  }

  EnvironmentSource environment() {
    return envFile == null ? defaultEnvironment : EnvironmentSource.system().orElse(EnvironmentSource.dotenv(envFile));
  }

  /** Options without a subcommand: show the usage. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  /** Reads the SMTP settings strictly, or prints what is missing. */
  Optional<SmtpSettings> smtpSettings() {
    SmtpEnvironment env = SmtpEnvironment.read(environment());
    try {
      SmtpSettings settings = env.requireSettings();
      out.println("Effective SMTP settings: " + settings);
      return Optional.of(settings);
    } catch (SmtpConfigurationException e) {
      out.println("✘ " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs the web app until interrupted. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the sign-up web app (console transport unless USE_REAL_EMAIL=1).")
  static final class Serve implements Callable<Integer> {
    @ParentCommand
    DemoApp app;

    @Option(names = "--port", description = "Port to listen on (default: $PORT or 8080).")
    Integer port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws Exception {
      int p = port != null ? port : Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
      // console unless USE_REAL_EMAIL=1; a missing variable is reported now, not at the first send
      MailTransport transport = MailTransports.fromEnvironment(app.environment(), MailTransports.Mode.DEVELOPMENT);
      VerificationCodeService service = VerificationCodeService.builder()
          .transport(transport)
          .renderer(MustacheTemplateRenderer.builder().build()) // HTML + text, en and zh
          .appName("Roamio")
          .build();
      try (DemoServer server = DemoServer.start(service, new UserDirectory(), Clock.systemUTC(),
          new InetSocketAddress(bind, p))) {
        app.out.println("mailverify demo listening on http://" + bind + ":" + server.port() + "/  (Ctrl+C stops)");
        new CountDownLatch(1).await();
      } finally {
        transport.close();
      }
      return 0;
    }
  }

  /** Runs the flow in the terminal. */
  @Command(name = "console", mixinStandardHelpOptions = true,
      description = "Run the sign-up flow in the terminal, with no mail account.")
  static final class Console implements Callable<Integer> {
    @ParentCommand
    DemoApp app;

    @Parameters(arity = "0..1", defaultValue = "you@example.com", description = "The address (default: ${DEFAULT-VALUE}).")
    String email;

    @Override
    public Integer call() throws Exception {
      return ConsoleDemo.run(new String[] {email},
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), app.out);
    }
  }

  /** The seed's management command: one real test mail. */
  @Command(name = "sendtestmail", mixinStandardHelpOptions = true,
      description = "Send one test mail through the configured SMTP server and say what happened.")
  static final class SendTestMail implements Callable<Integer> {
    @ParentCommand
    DemoApp app;

    @Parameters(arity = "1", description = "The recipient.")
    String address;

    @Override
    public Integer call() {
      EmailAddress to;
      try {
        to = EmailAddress.parse(address);
      } catch (InvalidAddressException e) {
        app.out.println("✘ not an address mailverify sends to: " + e.reason());
        return 2;
      }
      Optional<SmtpSettings> settings = app.smtpSettings();
      if (settings.isEmpty()) {
        return 1;
      }
      EmailMessage message = EmailMessage.builder(to)
          .subject("mailverify test mail / 测试邮件")
          .text("This is a test mail from mailverify's sendtestmail command. If you can read it, SMTP works.\n\n"
              + "这是 mailverify 的测试邮件。能看到它，说明 SMTP 配置正确。\n")
          .build();
      try (SmtpTransport transport = SmtpTransport.create(settings.get())) {
        transport.send(message);
        app.out.println("✔ sent: the server accepted 1 message for " + to.masked());
        return 0;
      } catch (DeliveryException e) {
        app.out.println("✘ failed: " + e.category() + (e.replyCode().isPresent() ? " (" + e.replyCode().getAsInt()
            + ")" : "") + ": " + e.getMessage());
        app.out.println("  hint: " + e.hint());
        return 1;
      }
    }
  }

  /** The SMTP diagnostics, step by step. */
  @Command(name = "doctor", mixinStandardHelpOptions = true,
      description = "Check DNS, TCP, banner, EHLO, TLS and AUTH against the configured SMTP server.")
  static final class Doctor implements Callable<Integer> {
    @ParentCommand
    DemoApp app;

    @Option(names = "--to", description = "Also send a test message to this address.")
    String to;

    @Override
    public Integer call() {
      EmailAddress recipient = null;
      if (to != null) {
        try {
          recipient = EmailAddress.parse(to);
        } catch (InvalidAddressException e) {
          app.out.println("✘ --to is not an address mailverify sends to: " + e.reason());
          return 2;
        }
      }
      Optional<SmtpSettings> settings = app.smtpSettings();
      if (settings.isEmpty()) {
        return 1;
      }
      DiagnosticReport report = recipient == null ? SmtpDiagnostics.check(settings.get())
          : SmtpDiagnostics.check(settings.get(), recipient);
      app.out.println(report);
      return report.passed() ? 0 : 1;
    }
  }
}
