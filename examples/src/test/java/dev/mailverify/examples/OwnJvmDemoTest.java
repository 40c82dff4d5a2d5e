package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it (exec:exec): its own JVM, the app's SLF4J lines on the terminal
 * in a readable format, and what the user types reaching the console demo.
 */
class OwnJvmDemoTest {
  private static final List<String> DEMO_VARIABLES = List.of("PORT", "STORE", "MAILVERIFY_SECRET", "SEND_ASYNC",
      "CHECK_MX", "DNS_SERVER");

  private static Process start(List<String> args, String... env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-classpath", System.getProperty("java.class.path"),
        DemoApp.class.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("EMAIL_") || k.equals("USE_REAL_EMAIL")
        || k.equals("DEFAULT_FROM_EMAIL") || DEMO_VARIABLES.contains(k));
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    return pb.start();
  }

  private static String finish(Process p) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("C17 the console demo in its own JVM reads stdin and shows audit lines with time, level and logger")
  void consoleDemoShowsAuditLines() throws Exception {
    Process p = start(List.of("console", "ada@example.com"));
    try (OutputStream in = p.getOutputStream()) {
      in.write("000000\n".getBytes(StandardCharsets.US_ASCII));
    }
    String out = finish(p);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[INFO\\] audit - SEND type=register to=a\\*\\*\\*@example.com")
        .containsPattern("\\[INFO\\] audit - VERIFY .*outcome=(INVALID|VERIFIED)")
        .as("what was typed reached the demo").contains("tries left");
  }

  @Test
  @DisplayName("C26 USE_REAL_EMAIL=1 without user and password: the start-up warning is on the terminal")
  void startUpWarningIsVisible() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      // the transport is made (and the warning logged) before the port is bound; the busy port ends the run
      Process p = start(List.of("serve", "--port", Integer.toString(busy.getLocalPort())), "USE_REAL_EMAIL", "1");
      String out = finish(p);
      assertThat(p.exitValue()).as(out).isEqualTo(1);
      assertThat(out).containsPattern("\\[WARN\\] SmtpEnvironment - ")
          .contains("USE_REAL_EMAIL=1: real mail is ON, but the SMTP configuration needs attention")
          .contains("EMAIL_HOST_PASSWORD is not set")
          .contains("✘ port " + busy.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }

  /** Collects a process's output as it comes, so a test can wait for a line. */
  private static final class Output {
    private final StringBuffer text = new StringBuffer();
    private final Thread reader;

    Output(Process p) {
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (this) {
              text.append(line).append('\n');
              notifyAll();
            }
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "demo-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until the output matches, at most 60 s; returns the first group of the match. */
    synchronized String await(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        Matcher m = pattern.matcher(text);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        assertThat(left).as("waiting for " + pattern + " in:\n" + text).isPositive();
        wait(left);
      }
    }

    String all() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(30));
      return text.toString();
    }
  }

  @Test
  @DisplayName("C27 serve in its own JVM sends asynchronously: a send answers 202 queued and the terminal shows SEND"
      + " QUEUED, then DELIVER DELIVERED once the SMTP server answers; on SIGTERM (Ctrl+C) a mail still queued is"
      + " sent before the demo exits")
  void serveShowsQueuedThenDeliveredAndDrainsOnStop() throws Exception {
    try (HeldSmtpServer smtp = new HeldSmtpServer()) {
      Process p = start(List.of("serve", "--port", "0"), "CHECK_MX", "0", "USE_REAL_EMAIL", "1",
          "EMAIL_HOST", "127.0.0.1", "EMAIL_PORT", Integer.toString(smtp.port()), "EMAIL_USE_TLS", "0",
          "EMAIL_HOST_USER", "demo@held.test", "EMAIL_HOST_PASSWORD", "test-only", "DEFAULT_FROM_EMAIL", "demo@held.test");
      try {
        Output out = new Output(p);
        int port = Integer.parseInt(out.await(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/")));
        out.await(Pattern.compile("\\[INFO\\] DemoBackend - store: in memory"));
        out.await(Pattern.compile("\\[INFO\\] DemoBackend - sending: asynchronously"));
        DemoHttp http = new DemoHttp(port);

        // the SMTP server holds its greeting: the mail waits in the queue
        DemoHttp.Answer first = http.send("ada@one.example");
        assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
        assertThat(first.body()).containsEntry("delivery", "queued").containsEntry("expires_in", 600);
        out.await(Pattern.compile("\\[INFO\\] audit - SEND type=register to=a\\*\\*\\*@one\\.example client=127\\.0\\.0\\.1"
            + " outcome=QUEUED"));
        smtp.release();
        out.await(Pattern.compile("outcome=QUEUED\\n(?s:.*)\\[INFO\\] audit - DELIVER type=register"
            + " to=a\\*\\*\\*@one\\.example client=127\\.0\\.0\\.1 outcome=DELIVERED attempts=1 elapsed=\\d+ms"));
        assertThat(smtp.messages()).hasSize(1);
        assertThat(smtp.messages().get(0)).contains("To: ada@one.example");

        // SIGTERM, as Ctrl+C: the shutdown hook stops the server and drains the queue. (Through the
        // handle: Process.destroy() would also close our end of its output, and we want to read on.)
        p.toHandle().destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.all()).contains("stopping: no new requests; queued mails are still sent")
            .containsPattern("\\[INFO\\] DemoBackend - closing: sending the \\d+ queued mail\\(s\\)")
            .contains("[INFO] DemoBackend - closed");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("C27 Ctrl+C with a mail in the queue: the demo sends it (DELIVER DELIVERED) before it says closed")
  void stopDrainsTheQueue() throws Exception {
    try (HeldSmtpServer smtp = new HeldSmtpServer()) {
      Process p = start(List.of("serve", "--port", "0"), "CHECK_MX", "0", "USE_REAL_EMAIL", "1",
          "EMAIL_HOST", "127.0.0.1", "EMAIL_PORT", Integer.toString(smtp.port()), "EMAIL_USE_TLS", "0",
          "EMAIL_HOST_USER", "demo@held.test", "EMAIL_HOST_PASSWORD", "test-only", "DEFAULT_FROM_EMAIL", "demo@held.test");
      try {
        Output out = new Output(p);
        int port = Integer.parseInt(out.await(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/")));
        assertThat(new DemoHttp(port).send("bob@two.example").status()).isEqualTo(202);
        out.await(Pattern.compile("to=b\\*\\*\\*@two\\.example client=127\\.0\\.0\\.1 outcome=QUEUED"));
        p.toHandle().destroy();
        out.await(Pattern.compile("DemoBackend - closing: sending the 1 queued mail\\(s\\)"));
        smtp.release();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.all()).containsPattern("closing: sending the 1 queued mail\\(s\\), waiting at most PT10S\\n"
            + "(?s:.*)audit - DELIVER type=register to=b\\*\\*\\*@two\\.example client=127\\.0\\.0\\.1 outcome=DELIVERED"
            + "(?s:.*)DemoBackend - closed");
        assertThat(smtp.messages()).hasSize(1);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("a bad STORE, or a shared STORE without MAILVERIFY_SECRET, is one ✘ line and exit 1")
  void badStoreIsOneLine() throws Exception {
    Process bad = start(List.of("serve", "--port", "0"), "STORE", "postgres://u:hunter2@db/x");
    String out = finish(bad);
    assertThat(bad.exitValue()).as(out).isEqualTo(1);
    assertThat(out).containsOnlyOnce("✘ STORE must be memory (the default), redis://host:port")
        .doesNotContain("hunter2").doesNotContain("Exception").doesNotContain("listening");

    Process noSecret = start(List.of("serve", "--port", "0"), "STORE", "redis://:hunter2@127.0.0.1:6379");
    out = finish(noSecret);
    assertThat(noSecret.exitValue()).as(out).isEqualTo(1);
    assertThat(out).containsPattern("✘ STORE is shared \\(Redis at redis://:\\*\\*\\*@127.0.0.1:6379\\), so every instance"
        + " needs the same MAILVERIFY_SECRET \\(C28\\): make one with: openssl rand -base64 32")
        .doesNotContain("hunter2").doesNotContain("Exception");
  }
}
