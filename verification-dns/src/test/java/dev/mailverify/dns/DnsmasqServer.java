package dev.mailverify.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: Debian's dnsmasq ({@code dnsmasq-base}) started on 127.0.0.1 and a
 * free port with a configuration of the test's own, answering only for names under {@code .test}
 * (unknown names there are NXDOMAIN) and REFUSED for anything else ({@code --no-resolv}, no
 * upstream). Records carry a TTL of {@value #TTL} seconds.
 */
final class DnsmasqServer implements AutoCloseable {
  static final String DNSMASQ = "/usr/sbin/dnsmasq";
  static final int TTL = 300;
  private static volatile Optional<String> missing;

  private final Process process;
  private final Path dir;
  private final int port;

  private DnsmasqServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Skips (or in CI fails) the calling test when dnsmasq is not installed. Call from {@code @BeforeEach}. */
  static void requireAvailable() {
    Optional<String> problem = missing;
    if (problem == null) {
      problem = findProblem();
      missing = problem;
    }
    problem.ifPresent(p -> ServerRequirement.missing("The DNS test (a real dnsmasq on 127.0.0.1)", p, "dnsmasq-base"));
  }

  private static Optional<String> findProblem() {
    if (!Files.isExecutable(Path.of(DNSMASQ))) {
      return Optional.of(DNSMASQ + ", which is not installed");
    }
    try {
      Process p = new ProcessBuilder(DNSMASQ, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of(DNSMASQ + " --version to work");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(DNSMASQ + " to start (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(DNSMASQ + " to start (interrupted)");
    }
  }

  /**
   * Starts dnsmasq with these extra configuration lines (dnsmasq.conf syntax, such as
   * {@code mx-host=mail.test,mx1.mail.test,10}).
   */
  static DnsmasqServer start(List<String> config) throws IOException {
    requireAvailable();
    Path dir = Files.createTempDirectory("mailverify-dnsmasq");
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freeUdpPort();
      List<String> lines = new ArrayList<>(List.of("no-resolv", "no-hosts", "port=" + port,
          "listen-address=127.0.0.1", "bind-interfaces", "local=/test/", "local-ttl=" + TTL, "pid-file="));
      lines.addAll(config);
      Path conf = dir.resolve("dnsmasq.conf");
      Files.write(conf, lines, StandardCharsets.UTF_8);
      Path log = dir.resolve("dnsmasq-" + attempt + ".log");
      Process process = new ProcessBuilder(DNSMASQ, "--conf-file=" + conf, "--keep-in-foreground",
          "--log-queries", "--log-facility=-").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      DnsmasqServer server = new DnsmasqServer(process, dir, port);
      if (server.awaitReady(Duration.ofSeconds(10))) {
        return server;
      }
      process.destroy();
      last = new IOException("dnsmasq did not start on port " + port + ": "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    throw last;
  }

  private boolean awaitReady(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    SimpleResolver probe = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    probe.setTimeout(Duration.ofMillis(200));
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        probe.send(Message.newQuery(Record.newRecord(Name.fromConstantString("probe.test."), Type.A, DClass.IN)));
        return true;
      } catch (IOException e) {
        // not listening yet: the probe's own timeout paces the loop
      }
    }
    return false;
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
