package dev.mailverify.examples;

import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.spi.MailTransport;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The demo's command line: {@code serve} (the default) runs the sign-up web app, {@code console}
 * runs the flow in the terminal.
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:java                          # web app on :8080
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.args="console"    # terminal flow
 * </pre>
 */
@Command(name = "mailverify-demo", mixinStandardHelpOptions = true,
    description = "mailverify demos: the seed's sign-up flow.",
    subcommands = {DemoApp.Serve.class, DemoApp.Console.class})
public final class DemoApp implements Callable<Integer> {

  /**
   * Runs a command and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args; // no command: serve
    System.exit(new CommandLine(new DemoApp()).execute(effective));
  }

  /** Options without a subcommand: show the usage. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** Runs the web app until interrupted. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the sign-up web app (console transport unless USE_REAL_EMAIL=1).")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--port", description = "Port to listen on (default: $PORT or 8080).")
    Integer port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws Exception {
      int p = port != null ? port : Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
      MailTransport transport = MailTransport.console();
      VerificationCodeService service = VerificationCodeService.builder()
          .transport(transport)
          .renderer(MustacheTemplateRenderer.builder().build()) // HTML + text, en and zh
          .appName("Roamio")
          .build();
      try (DemoServer server = DemoServer.start(service, new UserDirectory(), Clock.systemUTC(),
          new InetSocketAddress(bind, p))) {
        System.out.println("mailverify demo listening on http://" + bind + ":" + server.port() + "/  (Ctrl+C stops)");
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
    @Parameters(arity = "0..1", defaultValue = "you@example.com", description = "The address (default: ${DEFAULT-VALUE}).")
    String email;

    @Override
    public Integer call() throws Exception {
      return ConsoleDemo.run(new String[] {email},
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
    }
  }
}
