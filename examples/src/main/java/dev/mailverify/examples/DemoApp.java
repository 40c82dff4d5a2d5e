package dev.mailverify.examples;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.FailureDescription;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.dns.SenderDomainCheck;
import dev.mailverify.smtp.DiagnosticReport;
import dev.mailverify.smtp.EnvironmentSource;
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
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * The demo's command line. Every command reads the seed's variables ({@code USE_REAL_EMAIL},
 * {@code EMAIL_HOST}, ...) from the environment and from {@code .env} in the working directory
 * (or {@code --env-file}); the environment wins.
 *
 * <ul>
 *   <li>{@code serve} (the default): the sign-up web app; console transport unless
 *       {@code USE_REAL_EMAIL=1}; sends asynchronously, checks the recipient's domain (MX) and
 *       keeps codes in memory unless {@code SEND_ASYNC}, {@code CHECK_MX} or {@code STORE} say
 *       otherwise (see {@link DemoBackend}); Ctrl+C sends what is queued before it exits;
 *   <li>{@code console}: the flow in the terminal, no mail account needed;
 *   <li>{@code sendtestmail <address>}: prints the effective SMTP settings (password masked) and
 *       sends one test mail; exit 0 on success, 1 with the failure's description on failure: the
 *       category, the server's reply, the reason (a certificate's names, the refused address) and
 *       the hint;
 *   <li>{@code doctor [--to <address>]}: the SMTP diagnostics, one line per step and a ⚠ line per
 *       settings warning; exit 0 when all steps pass.
 * </ul>
 *
 * <p>{@code serve}, {@code doctor} and {@code sendtestmail} first say where the variables came from
 * (which {@code .env} file was read, or that none was found and where it was looked for). A
 * configuration mistake (a busy port, {@code PORT=80a}, {@code EMAIL_PORT=58x}) is one {@code ✘}
 * line saying what to fix.
 *
 * <p>Each runs in its own JVM, with the app's log lines (slf4j-simple) on the terminal:
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:exec                          # serve
 * ./mvnw -q -pl examples -am compile exec:exec -Dexec.args="doctor"
 * </pre>
 */
@Command(name = "mailverify-demo", mixinStandardHelpOptions = true,
    description = "mailverify demos: the seed's sign-up flow and its SMTP commands.",
    subcommands = {DemoApp.Serve.class, DemoApp.Console.class, DemoApp.SendTestMail.class, DemoApp.Doctor.class})
public final class DemoApp implements Callable<Integer> {
  private final EnvironmentSource defaultEnvironment;
  private final String defaultOrigin;
  private final PrintStream out;

  // inherited: "doctor --env-file F" works as "--env-file F doctor" does
  @Option(names = "--env-file", scope = ScopeType.INHERIT,
      description = "A .env file to read (must exist); default: ./.env if present.")
  @Nullable Path envFile;

  DemoApp(EnvironmentSource defaultEnvironment, String defaultOrigin, PrintStream out) {
    this.defaultEnvironment = defaultEnvironment;
    this.defaultOrigin = defaultOrigin;
    this.out = out;
  }

  /**
   * Runs a command and exits with its code. No arguments runs {@code serve}.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    Path dotenv = Path.of(".env").toAbsolutePath();
    EnvironmentSource environment;
    try {
      environment = EnvironmentSource.system().orElse(EnvironmentSource.dotenvIfPresent(dotenv));
    } catch (SmtpConfigurationException e) {
      System.out.println("✘ " + e.getMessage());
      System.exit(1);
      return;
    }
    System.exit(run(args, environment, origin(dotenv), System.out));
  }

  /** Says where the variables come from: the environment and the .env file, or that none was found. */
  static String origin(Path dotenv) {
    Path file = dotenv.toAbsolutePath();
    return Files.isRegularFile(file) ? "the environment, then " + file
        : "the environment only: no .env file found at " + file + " (looked in the working directory;"
            + " --env-file reads another)";
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
    return run(args, environment, "the given variables (no .env file read)", out);
  }

  /**
   * Runs a command with the given environment, described for the user, and output.
   *
   * @param args the command line; empty means {@code serve}
   * @param environment where the SMTP variables come from (unless {@code --env-file} is given)
   * @param origin where {@code environment} read its variables, said by {@code doctor},
   *     {@code sendtestmail} and {@code serve}
   * @param out where to print
   * @return the exit code
   */
  static int run(String[] args, EnvironmentSource environment, String origin, PrintStream out) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    CommandLine cl = new CommandLine(new DemoApp(environment, origin, out));
    PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
    cl.setOut(writer);
    cl.setErr(writer);
    // a configuration mistake is one line that says what to fix, not a stack trace
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof MailVerifyException) {
        out.println("✘ " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cl.execute(effective);
  }

  EnvironmentSource environment() {
    return envFile == null ? defaultEnvironment : EnvironmentSource.system().orElse(EnvironmentSource.dotenv(envFile));
  }

  /** Where the variables come from, in words. */
  String origin() {
    return envFile == null ? defaultOrigin : "the environment, then " + envFile.toAbsolutePath();
  }

  /** Options without a subcommand: show the usage. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  /**
   * Reads the SMTP variables, saying where they came from, and prints the effective settings or
   * what is missing.
   *
   * @return the variables read, when they give complete settings
   */
  Optional<SmtpEnvironment> smtpEnvironment() {
    out.println("Settings read from " + origin());
    SmtpEnvironment env = SmtpEnvironment.read(environment());
    try {
      SmtpSettings settings = env.requireSettings();
      out.println("Effective SMTP settings: " + settings);
      return Optional.of(env);
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
    @Nullable Integer port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws Exception {
      OptionalInt p = port != null ? checkPort(port, "--port") : portFromEnvironment(app.environment().get("PORT"));
      if (p.isEmpty()) {
        return 2;
      }
      app.out.println("Settings read from " + app.origin());
      // console unless USE_REAL_EMAIL=1; a missing variable is reported now, not at the first send
      MailTransport transport = SmtpEnvironment.createTransport(app.environment(), SmtpEnvironment.Mode.DEVELOPMENT);
      // STORE, MAILVERIFY_SECRET, SEND_ASYNC, CHECK_MX, DNS_SERVER; a bad value is one ✘ line
      // links in mails point here unless PUBLIC_URL says where users reach the demo (C32)
      java.net.URI self = p.getAsInt() > 0 ? java.net.URI.create("http://localhost:" + p.getAsInt()) : null;
      DemoBackend backend = DemoBackend.open(app.environment(), transport, self);
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      // Ctrl+C: stop taking requests, send what is queued (bounded), close the store, then exit
      Thread hook = new Thread(() -> {
        stop.countDown();
        try {
          stopped.await(DemoBackend.DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "demo-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      // the page starts with an address the MX check accepts: with real mail, the sender's own mailbox
      String suggested = transport.defaultSender().map(m -> m.address())
          .filter(a -> a.substring(a.indexOf('@') + 1).contains(".")).orElse(DemoServer.DEFAULT_EMAIL);
      DemoServer.Options options = new DemoServer.Options(suggested, backend.mxCheck().isPresent());
      try (backend; DemoServer server = DemoServer.start(backend.service(), new UserDirectory(), Clock.systemUTC(),
          new InetSocketAddress(bind, p.getAsInt()), options)) {
        app.out.println("mailverify demo listening on http://" + bind + ":" + server.port() + "/  (Ctrl+C stops)");
        stop.await();
        app.out.println("stopping: no new requests; queued mails are still sent");
      } catch (BindException e) {
        int next = p.getAsInt() == 65535 ? 8081 : p.getAsInt() + 1;
        app.out.println("✘ port " + p.getAsInt() + " on " + bind + " is already in use (is the demo already running?):"
            + " stop that program, or pick another port, for example PORT=" + next + " (or --port " + next + ")");
        return 1;
      } finally {
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook is running and has just been released
        }
      }
      return 0;
    }

    private OptionalInt portFromEnvironment(@Nullable String value) {
      if (value == null || value.isBlank()) {
        return OptionalInt.of(8080);
      }
      try {
        return checkPort(Integer.parseInt(value.strip()), "PORT");
      } catch (NumberFormatException e) {
        return checkPort(-1, "PORT");
      }
    }

    private OptionalInt checkPort(int value, String name) {
      if (value >= 0 && value <= 65535) {
        return OptionalInt.of(value);
      }
      app.out.println("✘ " + name + " must be a port number 0-65535 (0 picks a free one), such as 8080");
      return OptionalInt.empty();
    }
  }

  /** Runs the flow in the terminal. */
  @Command(name = "console", mixinStandardHelpOptions = true,
      description = "Run the sign-up flow in the terminal, with no mail account.")
  static final class Console implements Callable<Integer> {
    @ParentCommand
    DemoApp app;

    @Parameters(arity = "0..1", defaultValue = DemoServer.DEFAULT_EMAIL, description = "The address (default: ${DEFAULT-VALUE}).")
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
      Optional<SmtpEnvironment> env = app.smtpEnvironment();
      if (env.isEmpty()) {
        return 1;
      }
      env.get().warnings().forEach(w -> app.out.println("⚠ " + w));
      SmtpSettings settings = env.get().requireSettings();
      EmailMessage message = EmailMessage.builder(to)
          .subject("mailverify test mail / 测试邮件")
          .text("This is a test mail from mailverify's sendtestmail command. If you can read it, SMTP works.\n\n"
              + "这是 mailverify 的测试邮件。能看到它，说明 SMTP 配置正确。\n")
          .build();
      try (SmtpTransport transport = SmtpTransport.create(settings)) {
        transport.send(message);
        app.out.println("✔ sent: the server accepted 1 message for " + to.masked());
        return 0;
      } catch (DeliveryException e) {
        // the failure's one description (issue 23), field by field: the same values the exception's
        // message, doctor and the DELIVER audit line show
        FailureDescription d = e.description();
        app.out.println("✘ failed: " + d.category() + (d.replyCode().isPresent() ? " (" + d.replyCode().getAsInt()
            + ")" : "") + ": " + e.what() + (d.isTransient() ? " (transient: retrying later may work)" : ""));
        String reply = d.serverReply();
        if (reply != null) {
          app.out.println("  server said: " + reply);
        }
        String reason = d.reason();
        if (reason != null) {
          app.out.println("  reason: " + reason);
        }
        app.out.println("  hint: " + d.hint());
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
      Optional<SmtpEnvironment> env = app.smtpEnvironment();
      if (env.isEmpty()) {
        return 1;
      }
      SmtpSettings settings = env.get().requireSettings();
      // the sender's DNS checks (SPF, DMARC, DKIM key, MX; verification-dns) ask DNS_SERVER when it is
      // set, as serve's MX check does, with and without --to
      Optional<DemoBackend.DnsServer> dns = DemoBackend.DnsServer.parse(app.environment().get(DemoBackend.DnsServer.VARIABLE));
      SenderDomainCheck.Builder senderCheck = SenderDomainCheck.builder();
      dns.ifPresent(d -> senderCheck.resolver(d.host(), d.port()));
      SmtpDiagnostics doctor = SmtpDiagnostics.builder(settings).senderCheck(senderCheck.build()).build();
      DiagnosticReport report = recipient == null ? doctor.run() : doctor.run(recipient);
      report = report.withWarnings(env.get().warnings());
      app.out.println(report);
      return report.passed() ? 0 : 1;
    }
  }
}
