package dev.mailverify.examples;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.dns.MxRecipientCheck;
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
import java.util.concurrent.TimeUnit;

/**
 * Debian's dnsmasq on 127.0.0.1 and a free port, answering only from its own configuration for
 * names under {@code .test} and {@code .invalid} (anything unknown there is NXDOMAIN) and REFUSED
 * for the rest: the demo's MX check is tested without the internet. (The same approach as
 * verification-dns's DnsmasqServer.)
 */
final class Dnsmasq implements AutoCloseable {
  private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");

  private final Process process;
  private final int port;

  private Dnsmasq(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Dnsmasq start(List<String> config) throws IOException {
    if (!Files.isExecutable(DNSMASQ)) {
      TestServers.missing("The demo's MX check test needs " + DNSMASQ + "; install it with: apt-get install"
          + " dnsmasq-base");
    }
    Path dir = Files.createTempDirectory("demo-dnsmasq");
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        port = s.getLocalPort();
      }
      List<String> lines = new ArrayList<>(List.of("no-resolv", "no-hosts", "port=" + port,
          "listen-address=127.0.0.1", "bind-interfaces", "local=/test/", "local=/invalid/", "local-ttl=300",
          "pid-file="));
      lines.addAll(config);
      Path conf = dir.resolve("dnsmasq.conf");
      Files.write(conf, lines, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(DNSMASQ.toString(), "--conf-file=" + conf, "--keep-in-foreground",
          "--log-facility=-").redirectErrorStream(true).redirectOutput(dir.resolve("log-" + attempt).toFile()).start();
      if (ready(p, port)) {
        return new Dnsmasq(p, port);
      }
      p.destroy();
    }
    throw new IOException("dnsmasq did not start; see the logs in " + dir);
  }

  /** Ready once it gives a definitive answer (NXDOMAIN) for a name of its own. */
  private static boolean ready(Process p, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      MxRecipientCheck probe = MxRecipientCheck.builder().resolver("127.0.0.1", port)
          .timeout(Duration.ofMillis(200)).build();
      if (probe.check(EmailAddress.parse("probe@probe.test")).isPresent()) {
        return true; // its own 200 ms timeout paces the loop
      }
    }
    return false;
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
