package dev.mailverify.dns;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test whose real peer (dnsmasq) is not installed, with one line naming the Debian
 * package, or fails it when {@code MAILVERIFY_REQUIRE_SERVERS=1} (CI): the same rule as
 * verification-smtp's tests.
 */
final class ServerRequirement {
  /** The variable that turns a missing server into a failure (set in CI). */
  static final String REQUIRE_SERVERS = "MAILVERIFY_REQUIRE_SERVERS";
  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private ServerRequirement() {}

  static void missing(String what, String problem, String aptPackages) {
    String message = what + " needs " + problem + ". Install it with: apt-get install " + aptPackages;
    if ("1".equals(System.getenv(REQUIRE_SERVERS))) {
      Assertions.fail(message + " (required: " + REQUIRE_SERVERS + "=1)");
    }
    message += " (skipped; " + REQUIRE_SERVERS + "=1 makes this a failure)";
    if (ANNOUNCED.add(aptPackages)) {
      @SuppressWarnings("resource") // never close: it is the process's file descriptor 2
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("[mailverify] SKIPPED: " + message);
    }
    Assumptions.abort(message);
  }
}
