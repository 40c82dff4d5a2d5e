package dev.mailverify.bench.smtp;

import dev.mailverify.bench.CommandLine;
import dev.mailverify.core.spi.EmailMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * SMTP throughput: delivers N realistic verification mails to a sink on 127.0.0.1 with every
 * {@link Contender} (the Jakarta Mail baselines first), at each concurrency, plain and over
 * implicit TLS, all in one run, and reports messages per second, CPU per mail (sending threads,
 * whole client process, server processes) and each send's p50 and p99 as the caller sees them.
 *
 * <p>All contenders run in one JVM, so none may tune Jakarta Mail through global state (a system
 * property such as {@code jakarta.mail.util.StreamProvider}): it would speed up the baselines too.
 * The harness reports any such property set before or during the run.
 *
 * <p>Over TLS a new connection per mail costs a handshake (and, as shipped, a Nagle stall of about
 * 50 ms), so TLS runs send fewer mails by default ({@code --tls-messages}).
 *
 * <p>Usually started by {@code verification-benchmarks/scripts/smtp-sink.sh bench}, which starts
 * Postfix's {@code smtp-sink} and a TLS proxy in front of it and passes their ports and PIDs.
 *
 * <pre>
 * java -cp verification-benchmarks/target/benchmarks.jar dev.mailverify.bench.smtp.SmtpThroughput
 *     --port 2525 [--tls-port 2465 --truststore sink-trust.p12 --truststore-password PW]
 *     [--messages 5000] [--warmup 1000] [--tls-messages 1000] [--tls-warmup 200]
 *     [--concurrency 1,8] [--contenders a,b] [--rounds 1]
 *     [--server-pids 123,456] [--csv results.csv]
 * </pre>
 */
public final class SmtpThroughput {

  private static final Set<String> OPTIONS = Set.of("host", "port", "tls-port", "truststore", "truststore-password",
      "messages", "warmup", "tls-messages", "tls-warmup", "concurrency", "contenders", "rounds", "server-pids", "csv",
      "modes");

  private SmtpThroughput() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if a run cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    String host = cl.get("host", "127.0.0.1");
    List<SmtpEndpoint> endpoints = new ArrayList<>();
    List<String> modes = cl.list("modes", cl.has("tls-port") ? "plain,tls" : "plain");
    if (modes.contains("plain")) {
      endpoints.add(SmtpEndpoint.plain(host, cl.integer("port", 2525)));
    }
    if (modes.contains("tls")) {
      if (!cl.has("tls-port") || !cl.has("truststore")) {
        throw new IllegalArgumentException("--modes tls needs --tls-port and --truststore");
      }
      endpoints.add(SmtpEndpoint.implicitTls(host, cl.integer("tls-port", 2465), Path.of(cl.get("truststore", "")),
          cl.get("truststore-password", "").toCharArray()));
    }
    List<Contender> contenders = new ArrayList<>();
    for (String name : cl.list("contenders", String.join(",", Contenders.all().keySet()))) {
      contenders.add(Contenders.named(name));
    }
    List<Integer> concurrency = cl.list("concurrency", "1,8").stream().map(Integer::parseInt).toList();
    List<Long> serverPids = cl.list("server-pids", "").stream().map(Long::parseLong).toList();
    int messages = cl.integer("messages", 5000);
    int warmup = cl.integer("warmup", 1000);
    Settings settings = new Settings(endpoints, contenders, concurrency, messages, warmup,
        cl.integer("tls-messages", Math.min(messages, 1000)), cl.integer("tls-warmup", Math.min(warmup, 200)),
        cl.integer("rounds", 1), serverPids);

    printEnvironment(System.out, settings);
    List<ThroughputRun.Result> results = run(settings, System.out);
    printSummary(System.out, results);
    if (cl.has("csv")) {
      writeCsv(Path.of(cl.get("csv", "")), results);
    }
    long failed = results.stream().mapToLong(ThroughputRun.Result::failures).sum();
    if (failed > 0) {
      System.out.println("\nFAILED: " + failed + " sends failed; figures above are not comparable.");
      System.exit(1);
    }
  }

  /** What to run. */
  record Settings(List<SmtpEndpoint> endpoints, List<Contender> contenders, List<Integer> concurrency,
      int messages, int warmup, int tlsMessages, int tlsWarmup, int rounds, List<Long> serverPids) {
    Settings {
      if (messages < 1 || tlsMessages < 1 || warmup < 0 || tlsWarmup < 0 || rounds < 1) {
        throw new IllegalArgumentException("need messages >= 1, warmup >= 0, rounds >= 1");
      }
      for (int c : concurrency) {
        if (c < 1 || c > 256) {
          throw new IllegalArgumentException("concurrency must be 1-256, was " + c);
        }
      }
    }
  }

  /**
   * Runs every endpoint, concurrency and contender, {@code rounds} times, contenders interleaved so
   * that a change in the machine's load touches them alike.
   */
  static List<ThroughputRun.Result> run(Settings s, PrintStream out) throws InterruptedException {
    Map<String, String> mailProperties = mailProperties();
    if (!mailProperties.isEmpty()) {
      out.println("NOTE: mail system properties are set " + mailProperties
          + "; the baselines do not run as shipped.");
    }
    List<EmailMessage> plainMails = VerificationMails.generate(s.messages(), 42);
    List<EmailMessage> tlsMails = VerificationMails.generate(s.tlsMessages(), 42);
    List<ThroughputRun.Result> results = new ArrayList<>();
    for (int round = 1; round <= s.rounds(); round++) {
      for (SmtpEndpoint endpoint : s.endpoints()) {
        boolean tls = endpoint.security() == SmtpEndpoint.Security.IMPLICIT_TLS;
        List<EmailMessage> mails = tls ? tlsMails : plainMails;
        int warmup = tls ? s.tlsWarmup() : s.warmup();
        for (int c : s.concurrency()) {
          for (Contender contender : s.contenders()) {
            ThroughputRun.Result r = ThroughputRun.run(contender, endpoint, c, mails, warmup, s.serverPids());
            results.add(r);
            Map<String, String> now = mailProperties();
            if (!now.equals(mailProperties)) {
              out.println("WARNING: " + contender.name() + " changed global mail system properties from " + mailProperties
                  + " to " + now + "; every run after it, baselines included, is no longer as shipped.");
              mailProperties = now;
            }
            out.printf(Locale.ROOT, "round %d  %-5s c=%-3d %-22s %,7.0f msg/s  client CPU %6.0f us/mail (senders %6.0f)"
                    + "  server CPU %5.0f us/mail  machine %.2f cores  p50 %6.2f ms  p99 %7.2f ms%s%n",
                round, r.mode(), c, r.contender(), r.perSecond(), r.processCpuMicrosPerMail(),
                r.workerCpuMicrosPerMail(), r.serverCpuMicrosPerMail(), r.machineCoresBusy(), r.p50Nanos() / 1e6,
                r.p99Nanos() / 1e6, r.failures() > 0 ? "  FAILURES " + r.failures() + ": " + r.firstFailure() : "");
          }
        }
      }
    }
    return results;
  }

  /**
   * The system properties through which Jakarta Mail can be tuned globally (such as
   * {@code jakarta.mail.util.StreamProvider}): a contender that sets one speeds up every other
   * contender in this JVM, baselines included, so the harness watches them.
   */
  static Map<String, String> mailProperties() {
    Map<String, String> found = new java.util.TreeMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("jakarta.mail") || name.startsWith("mail.") || name.startsWith("jakarta.activation")) {
        found.put(name, System.getProperty(name));
      }
    }
    return found;
  }

  private static void printEnvironment(PrintStream out, Settings s) {
    out.printf(Locale.ROOT, "SMTP throughput: %,d mails per run after %,d warm-up sends (TLS: %,d after %,d);"
        + " concurrency %s; %d round(s)%n", s.messages(), s.warmup(), s.tlsMessages(), s.tlsWarmup(), s.concurrency(),
        s.rounds());
    List<EmailMessage> two = VerificationMails.generate(2, 42);
    jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
    out.printf(Locale.ROOT, "a mail is %,d bytes (zh) / %,d bytes (en) as Jakarta Mail writes it: UTF-8 subject and"
        + " display name, text + %,d chars of HTML%n", JakartaMail.wireSize(session, two.get(0)),
        JakartaMail.wireSize(session, two.get(1)), htmlLength(two.get(0)));
    out.printf(Locale.ROOT, "endpoints %s; server PIDs %s%n", s.endpoints(), s.serverPids());
    out.printf(Locale.ROOT, "JVM %s %s on %d CPUs%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());
    for (Contender c : s.contenders()) {
      out.printf(Locale.ROOT, "  %-22s %s%n", c.name(), c.description());
    }
    out.println();
  }

  /** Median of each cell over the rounds, with ratios to the baselines of the same cell. */
  static void printSummary(PrintStream out, List<ThroughputRun.Result> results) {
    Map<String, List<ThroughputRun.Result>> cells = new LinkedHashMap<>();
    for (ThroughputRun.Result r : results) {
      cells.computeIfAbsent(r.mode() + "|" + r.concurrency() + "|" + r.contender(), k -> new ArrayList<>()).add(r);
    }
    Map<String, ThroughputRun.Result> median = new LinkedHashMap<>();
    cells.forEach((k, rs) -> {
      List<ThroughputRun.Result> sorted = new ArrayList<>(rs);
      sorted.sort(Comparator.comparingDouble(ThroughputRun.Result::perSecond));
      median.put(k, sorted.get(sorted.size() / 2));
    });
    out.println();
    out.println("| mode | conc. | contender | msg/s | x per-message | x reused | client CPU us/mail | server CPU us/mail"
        + " | p50 ms | p99 ms |");
    out.println("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (ThroughputRun.Result r : median.values()) {
      ThroughputRun.Result perMessage = median.get(r.mode() + "|" + r.concurrency() + "|" + Contenders.PER_MESSAGE);
      ThroughputRun.Result reused = median.get(r.mode() + "|" + r.concurrency() + "|" + Contenders.REUSED);
      out.printf(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %s | %.0f | %.0f | %.2f | %.2f |%n", r.mode(),
          r.concurrency(), r.contender(), r.perSecond(), ratio(r, perMessage), ratio(r, reused),
          r.processCpuMicrosPerMail(), r.serverCpuMicrosPerMail(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6);
    }
    out.println();
    out.println("Targets (issue 6), for contenders other than the baselines, at concurrency 8: plain >= 3x per-message"
        + " and >= 1.5x reused; TLS >= 10x per-message.");
    for (ThroughputRun.Result r : median.values()) {
      if (r.contender().equals(Contenders.PER_MESSAGE) || r.contender().equals(Contenders.REUSED)
          || r.concurrency() != 8) {
        continue;
      }
      ThroughputRun.Result perMessage = median.get(r.mode() + "|8|" + Contenders.PER_MESSAGE);
      ThroughputRun.Result reused = median.get(r.mode() + "|8|" + Contenders.REUSED);
      if (r.mode().equals("plain") && perMessage != null && reused != null) {
        out.printf(Locale.ROOT, "  %s plain: %.2fx per-message (target 3), %.2fx reused (target 1.5)%n", r.contender(),
            r.perSecond() / perMessage.perSecond(), r.perSecond() / reused.perSecond());
      } else if (r.mode().equals("tls") && perMessage != null) {
        out.printf(Locale.ROOT, "  %s tls: %.2fx per-message (target 10)%n", r.contender(),
            r.perSecond() / perMessage.perSecond());
      }
    }
  }

  private static int htmlLength(EmailMessage mail) {
    String html = mail.html();
    return html == null ? 0 : html.length();
  }

  private static String ratio(ThroughputRun.Result r, ThroughputRun.@Nullable Result base) {
    return base == null ? "-" : String.format(Locale.ROOT, "%.2f", r.perSecond() / base.perSecond());
  }

  private static void writeCsv(Path file, List<ThroughputRun.Result> results) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (!Files.exists(file)) {
      sb.append("contender,mode,concurrency,messages,failures,wall_ms,msg_per_s,client_cpu_us_per_mail,")
          .append("sender_cpu_us_per_mail,server_cpu_us_per_mail,machine_cores_busy,p50_ms,p99_ms\n");
    }
    for (ThroughputRun.Result r : results) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f,%.3f,%.3f%n", r.contender(),
          r.mode(), r.concurrency(), r.messages(), r.failures(), r.wallNanos() / 1e6, r.perSecond(),
          r.processCpuMicrosPerMail(), r.workerCpuMicrosPerMail(), r.serverCpuMicrosPerMail(), r.machineCoresBusy(),
          r.p50Nanos() / 1e6, r.p99Nanos() / 1e6));
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
