package dev.mailverify.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SMTP server for tests: Debian's aiosmtpd ({@code python3-aiosmtpd}) run by
 * {@code src/test/resources/aiosmtpd_server.py} as a child process on 127.0.0.1, with STARTTLS
 * and AUTH (PLAIN and LOGIN, only inside TLS). Certificates are made at test time with
 * {@code /usr/bin/openssl}; nothing is committed.
 *
 * <p>When aiosmtpd or openssl is missing, {@link #requireAvailable()} skips the calling tests with
 * a message saying how to install them, or fails them when {@code MAILVERIFY_REQUIRE_SERVERS=1}
 * (as in {@code .ci/run}). {@code MAILVERIFY_TEST_PYTHON} names another interpreter that has
 * aiosmtpd (default {@code /usr/bin/python3}).
 */
final class AiosmtpdServer implements AutoCloseable {
  /** Set to 1 to turn a missing server into a test failure instead of a skip. */
  static final String REQUIRE_SERVERS = "MAILVERIFY_REQUIRE_SERVERS";
  /** Debian's interpreter, which sees Debian's packages (a pyenv {@code python3} does not). */
  static final String PYTHON = Optional.ofNullable(System.getenv("MAILVERIFY_TEST_PYTHON")).orElse("/usr/bin/python3");
  static final String OPENSSL = "/usr/bin/openssl";
  private static final Duration START_BOUND = Duration.ofSeconds(30);
  private static final Pattern PORT_LINE = Pattern.compile("PORT (\\d+)\\R");
  private static final Map<String, Pem> CERTIFICATES = new ConcurrentHashMap<>();
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
  private static volatile Optional<String> missing;

  /** A certificate and its private key as PEM files. */
  record Pem(Path certificate, Path key) {}

  private final Process process;
  private final Path dir;
  private final int port;

  private AiosmtpdServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Skips the calling test when aiosmtpd or openssl is missing (a JUnit assumption: the reason is
   * in surefire's XML report and, once per JVM, on the Maven console), or fails it when
   * {@value #REQUIRE_SERVERS}=1. Call it from {@code @BeforeEach}: an assumption in
   * {@code @BeforeAll} makes surefire report "Tests run: 0" instead of the skipped tests.
   */
  static void requireAvailable() {
    Optional<String> problem = missing;
    if (problem == null) {
      problem = findProblem();
      missing = problem;
    }
    if (problem.isEmpty()) {
      return;
    }
    String message = "Real SMTP server tests need Debian's aiosmtpd for " + PYTHON + " and " + OPENSSL + ", but "
        + problem.get() + ". Install them with: apt-get install python3-aiosmtpd openssl";
    if ("1".equals(System.getenv(REQUIRE_SERVERS))) {
      Assertions.fail(message + " (required: " + REQUIRE_SERVERS + "=1)");
    }
    message += " (skipped; " + REQUIRE_SERVERS + "=1 makes this a failure)";
    if (ANNOUNCED.compareAndSet(false, true)) {
      // surefire shows only a count of skipped tests and keeps test output in files; the test JVM's
      // own standard error reaches the Maven console, so the reason is said there, once
      @SuppressWarnings("resource") // never close: it is the process's file descriptor 2
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("[mailverify] SKIPPED: " + message);
    }
    Assumptions.abort(message);
  }

  private static Optional<String> findProblem() {
    try {
      Run python = run(List.of(PYTHON, "-c", "import aiosmtpd.controller, ssl"));
      if (python.exit != 0) {
        String[] lines = python.output.strip().split("\\R");
        return Optional.of(PYTHON + " cannot import aiosmtpd (" + lines[lines.length - 1] + ")");
      }
      Run openssl = run(List.of(OPENSSL, "version"));
      if (openssl.exit != 0) {
        return Optional.of(OPENSSL + " does not run (" + openssl.output.strip() + ")");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("starting it failed (" + e.getMessage() + ")");
    }
  }

  /** A self-signed certificate for {@code localhost} and 127.0.0.1. */
  static Pem localhost() {
    return certificate("localhost", "DNS:localhost,IP:127.0.0.1");
  }

  /** A self-signed certificate for a name the tests never connect to. */
  static Pem otherHost() {
    return certificate("other.example", "DNS:other.example");
  }

  private static Pem certificate(String cn, String subjectAltName) {
    return CERTIFICATES.computeIfAbsent(cn, name -> {
      try {
        Path certDir = Files.createTempDirectory("mailverify-aiosmtpd-cert");
        Pem pem = new Pem(certDir.resolve(name + ".pem"), certDir.resolve(name + ".key"));
        Run openssl = run(List.of(OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=" + name, "-addext", "subjectAltName=" + subjectAltName,
            "-keyout", pem.key.toString(), "-out", pem.certificate.toString()));
        if (openssl.exit != 0) {
          throw new IllegalStateException("openssl req failed: " + openssl.output);
        }
        // deleteOnExit works in reverse order: the folder is registered first, so it is deleted last
        Stream.of(certDir, pem.certificate, pem.key).forEach(p -> p.toFile().deleteOnExit());
        return pem;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a server. */
  static final class Builder {
    private final List<String> args = new ArrayList<>();

    /** Offers STARTTLS with this certificate; without it the server offers none. */
    Builder startTls(Pem pem) {
      args.addAll(List.of("--cert", pem.certificate.toString(), "--key", pem.key.toString()));
      return this;
    }

    /** Refuses MAIL and AUTH (530) until STARTTLS. */
    Builder requireStartTls() {
      args.add("--require-starttls");
      return this;
    }

    /** The only login accepted, with AUTH PLAIN or LOGIN inside TLS. */
    Builder auth(String user, String password) {
      args.addAll(List.of("--user", user, "--password", password));
      return this;
    }

    /** Stops offering an AUTH mechanism, such as LOGIN. */
    Builder withoutAuthMechanism(String mechanism) {
      args.addAll(List.of("--exclude-auth", mechanism));
      return this;
    }

    AiosmtpdServer start() throws IOException {
      requireAvailable();
      Path dir = Files.createTempDirectory("mailverify-aiosmtpd");
      Path script = dir.resolve("aiosmtpd_server.py");
      try (InputStream in = AiosmtpdServer.class.getResourceAsStream("/aiosmtpd_server.py")) {
        Files.copy(Objects.requireNonNull(in, "aiosmtpd_server.py on the test class path"), script);
      }
      List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "--dir", dir.toString()));
      command.addAll(args);
      Path stdout = dir.resolve("stdout.txt");
      Path stderr = dir.resolve("stderr.txt");
      // standard input stays a pipe: closing it stops the server, and so does this JVM's exit
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .start();
      AiosmtpdServer server = null;
      try {
        int port = awaitPort(process, stdout, stderr);
        server = new AiosmtpdServer(process, dir, port);
        awaitConnectable(port);
        return server;
      } finally {
        if (server == null) {
          process.destroyForcibly();
        }
      }
    }

    private static int awaitPort(Process process, Path stdout, Path stderr) throws IOException {
      long deadline = System.nanoTime() + START_BOUND.toNanos();
      while (System.nanoTime() < deadline) {
        Matcher m = PORT_LINE.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
        if (!process.isAlive()) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      throw new IllegalStateException("aiosmtpd did not report its port within " + START_BOUND.toSeconds()
          + " s (alive: " + process.isAlive() + "); its errors: " + Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static void awaitConnectable(int port) throws IOException {
      long deadline = System.nanoTime() + START_BOUND.toNanos();
      while (true) {
        try (Socket probe = new Socket()) {
          probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
          return;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException("aiosmtpd on 127.0.0.1:" + port + " does not accept connections", e);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
      }
    }
  }

  int port() {
    return port;
  }

  /**
   * What the server saw, one line each: {@code STARTTLS}, {@code AUTH tls|plain} (any AUTH
   * command, even a refused one), {@code AUTH-LOGIN accepted|rejected} (a checked login),
   * {@code MAIL tls|plain authenticated=True|False}.
   */
  List<String> events() throws IOException {
    Path log = dir.resolve("events.log");
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  /** The raw messages accepted, in arrival order. */
  List<byte[]> rawMessages() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().matches("message-\\d+\\.eml"))
          .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
          .toList();
    }
    List<byte[]> out = new ArrayList<>();
    for (Path f : files) {
      out.add(Files.readAllBytes(f));
    }
    return out;
  }

  /** The messages accepted, parsed. */
  List<MimeMessage> messages() throws IOException, MessagingException {
    Session session = Session.getInstance(new Properties());
    List<MimeMessage> out = new ArrayList<>();
    for (byte[] raw : rawMessages()) {
      out.add(new MimeMessage(session, new ByteArrayInputStream(raw)));
    }
    return out;
  }

  /** Closes the server's standard input (it stops itself), kills it if it lingers, and deletes its folder. */
  @Override
  public void close() throws IOException {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private record Run(int exit, String output) {}

  /** Runs a short command, bounded, its output (both streams) captured through a file. */
  private static Run run(List<String> command) throws IOException {
    Path out = Files.createTempFile("mailverify-run", ".txt");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "did not finish within 60 s");
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
