package dev.mailverify.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The independent DKIM verifier of the tests: Debian's dkimpy ({@code python3-dkim}) run by
 * {@code src/test/resources/dkim_verify.py}, with the public key served by its {@code dnsfunc}
 * hook. Skips (or in CI fails) when it is not installed.
 */
final class DkimPy {
  private static volatile Optional<String> missing;

  private DkimPy() {}

  /** Verification outcome and dkimpy's log. */
  record Result(boolean passed, String output) {}

  static void requireAvailable() {
    Optional<String> problem = missing;
    if (problem == null) {
      problem = findProblem();
      missing = problem;
    }
    problem.ifPresent(p -> ServerRequirement.missing("The DKIM test (verified by dkimpy)", p, "python3-dkim"));
  }

  private static Optional<String> findProblem() {
    try {
      Process p = new ProcessBuilder(AiosmtpdServer.PYTHON, "-c", "import dkim").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        String[] lines = out.strip().split("\\R");
        return Optional.of(AiosmtpdServer.PYTHON + " to import dkim (" + lines[lines.length - 1] + ")");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(AiosmtpdServer.PYTHON + " to start (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(AiosmtpdServer.PYTHON + " to start (interrupted)");
    }
  }

  /**
   * Verifies many signed messages with one interpreter start; the output has a PASS or FAIL line
   * per message, in order.
   */
  static Result verifyAll(List<byte[]> signedMessages, String recordName, String record)
      throws IOException, InterruptedException {
    requireAvailable();
    Path dir = Files.createTempDirectory("mailverify-dkimpy");
    Path messages = Files.createDirectory(dir.resolve("messages"));
    try {
      Path script = dir.resolve("dkim_verify.py");
      try (InputStream in = DkimPy.class.getResourceAsStream("/dkim_verify.py")) {
        Files.copy(Objects.requireNonNull(in, "dkim_verify.py on the test class path"), script);
      }
      for (int i = 0; i < signedMessages.size(); i++) {
        Files.write(messages.resolve(String.format("message-%04d.eml", i)), signedMessages.get(i));
      }
      Path recordFile = Files.writeString(dir.resolve("record.txt"), record, StandardCharsets.US_ASCII);
      Process p = new ProcessBuilder(List.of(AiosmtpdServer.PYTHON, script.toString(), messages.toString(),
          recordName, recordFile.toString())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("dkimpy did not finish: " + out);
      }
      long passes = out.lines().filter(l -> l.startsWith("PASS ")).count();
      return new Result(p.exitValue() == 0 && passes == signedMessages.size(), out);
    } finally {
      for (Path d : List.of(messages, dir)) {
        try (var files = Files.list(d)) {
          for (Path f : files.toList()) {
            if (!Files.isDirectory(f)) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
      Files.deleteIfExists(messages);
      Files.deleteIfExists(dir);
    }
  }

  /** Verifies a signed message with the public key record published at the record name. */
  static Result verify(byte[] signedMessage, String recordName, String record) throws IOException, InterruptedException {
    requireAvailable();
    Path dir = Files.createTempDirectory("mailverify-dkimpy");
    try {
      Path script = dir.resolve("dkim_verify.py");
      try (InputStream in = DkimPy.class.getResourceAsStream("/dkim_verify.py")) {
        Files.copy(Objects.requireNonNull(in, "dkim_verify.py on the test class path"), script);
      }
      Path message = Files.write(dir.resolve("message.eml"), signedMessage);
      Path recordFile = Files.writeString(dir.resolve("record.txt"), record, StandardCharsets.US_ASCII);
      Process p = new ProcessBuilder(List.of(AiosmtpdServer.PYTHON, script.toString(), message.toString(),
          recordName, recordFile.toString())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("dkimpy did not finish: " + out);
      }
      return new Result(p.exitValue() == 0 && out.startsWith("PASS"), out);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
