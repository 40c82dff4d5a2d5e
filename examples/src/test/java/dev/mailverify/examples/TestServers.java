package dev.mailverify.examples;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real servers the demo's tests use (Redis, PostgreSQL on 127.0.0.1, Debian's dnsmasq): a
 * missing one skips the test with one line saying which and how to start it, or fails it when
 * {@code MAILVERIFY_REQUIRE_SERVERS=1} (CI), as in verification-smtp's AiosmtpdStartTlsTest.
 */
final class TestServers {
  static final String REQUIRE_SERVERS = "MAILVERIFY_REQUIRE_SERVERS";
  static final String REDIS_URI = "redis://127.0.0.1:6379";
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private TestServers() {}

  static void requireRedis() {
    requirePort(6379, "Redis on 127.0.0.1:6379", "redis-server --daemonize yes --bind 127.0.0.1 --port 6379"
        + " --save \"\" --appendonly no (Debian: apt-get install redis-server)");
  }

  static void requirePostgres() {
    requirePort(5432, "PostgreSQL on 127.0.0.1:5432 (database test, user postgres, trust auth)",
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (Debian: apt-get install postgresql)");
  }

  private static void requirePort(int port, String what, String howToStart) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (IOException e) {
      missing("The demo's test on " + what + " found nothing listening; start it with: " + howToStart);
    }
  }

  /** Skips, or fails under {@code MAILVERIFY_REQUIRE_SERVERS=1}, saying why once on the console. */
  static void missing(String message) {
    if ("1".equals(System.getenv(REQUIRE_SERVERS))) {
      Assertions.fail(message + " (required: " + REQUIRE_SERVERS + "=1)");
    }
    String line = message + " (skipped; " + REQUIRE_SERVERS + "=1 makes this a failure)";
    if (ANNOUNCED.add(message)) {
      @SuppressWarnings("resource") // never close: it is the process's file descriptor 2
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("[mailverify] SKIPPED: " + line);
    }
    Assumptions.abort(line);
  }
}
