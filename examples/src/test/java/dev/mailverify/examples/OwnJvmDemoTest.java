package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it (exec:exec): its own JVM, the app's SLF4J lines on the terminal
 * in a readable format, and what the user types reaching the console demo.
 */
class OwnJvmDemoTest {

  private static Process start(List<String> args, String... env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-classpath", System.getProperty("java.class.path"),
        DemoApp.class.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("EMAIL_") || k.equals("USE_REAL_EMAIL")
        || k.equals("DEFAULT_FROM_EMAIL"));
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
      assertThat(out).containsPattern("\\[WARN\\] MailTransports - ")
          .contains("USE_REAL_EMAIL=1: real mail is ON, but the SMTP configuration needs attention")
          .contains("EMAIL_HOST_PASSWORD is not set")
          .contains("✘ port " + busy.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }
}
