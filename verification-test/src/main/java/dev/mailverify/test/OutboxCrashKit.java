package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.test.SlowNextHop.Arrival;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The crash kit every durable {@link dev.mailverify.core.spi.MailOutbox} runs (C31): an instance in
 * its own JVM queues 200 codes to a slow next hop (200 ms a mail) and is killed with
 * {@code kill -9} mid-run; a second instance on the same stores delivers the rest. Every mail
 * arrives, duplicates only for mails that were on the wire at the kill and with the same
 * Message-ID, none after its code's expiry, and every code verifies. Then two live instances share
 * 200 mails with no mail sent twice.
 */
public abstract class OutboxCrashKit {
  private static final int MAILS = 200;
  private static final int CHILD_WORKERS = 2;
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration TTL = Duration.ofMinutes(3);
  private static final Pattern ADDRESS = Pattern.compile("([^<>\\s]+@[^<>\\s]+)");

  /**
   * Returns the stores class the child instantiates by name (public, with a {@code String}
   * constructor).
   *
   * @return the class
   */
  protected abstract Class<? extends CrashStores> storesClass();

  /** Skips or fails the test when the store's server is not running. */
  protected abstract void requireServer();

  private CrashStores open(String namespace) throws Exception {
    return storesClass().getConstructor(String.class).newInstance(namespace);
  }

  private static String namespace() {
    return "crash" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
  }

  /** One instance in this JVM. */
  private static final class Instance implements AutoCloseable {
    final HopTransport hop;
    final AsyncMailTransport transport;
    final VerificationCodeService service;
    final List<VerificationEvent> delivered = new CopyOnWriteArrayList<>();

    Instance(CrashStores stores, int port, String name) {
      hop = new HopTransport(port);
      transport = MailTransport.async(hop).outbox(stores.outbox(), OutboxCrashChild.SECRET).workers(4).lease(LEASE)
          .pollInterval(Duration.ofMillis(50)).instanceId(name).drainTimeout(Duration.ofSeconds(30)).build();
      service = VerificationCodeService.builder().transport(transport).store(stores.codeStore())
          .secret(OutboxCrashChild.SECRET).listener(e -> {
            if (e.action() == VerificationEvent.Action.DELIVER) {
              delivered.add(e);
            }
          }).build();
    }

    @Override
    public void close() {
      transport.close();
    }
  }

  private static String recipient(Arrival a) {
    Matcher m = ADDRESS.matcher(a.to());
    return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : a.to();
  }

  private static Set<String> recipients(List<Arrival> arrivals) {
    return arrivals.stream().map(OutboxCrashKit::recipient).collect(Collectors.toSet());
  }

  /** Waits until mail for {@code n} distinct recipients arrived. */
  private static List<Arrival> awaitRecipients(SlowNextHop hop, int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Arrival> got = hop.arrivals();
    while (recipients(got).size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("mail for " + recipients(got).size() + " of " + n + " recipients arrived within "
            + timeout);
      }
      got = hop.awaitArrivals(got.size() + 1, Duration.ofNanos(left));
    }
    return got;
  }

  private Process startChild(String namespace, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && !modulePath.isEmpty()) {
      classPath = modulePath + File.pathSeparator + classPath;
    }
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, OutboxCrashChild.class.getName(),
        storesClass().getName(), namespace, Integer.toString(port), Integer.toString(MAILS),
        Integer.toString(CHILD_WORKERS), Long.toString(LEASE.toMillis()), Long.toString(TTL.toSeconds()));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  @Test
  @DisplayName("C31: kill -9 mid-run with 200 mails queued to a slow server: a second instance on the same store"
      + " delivers every one, duplicates only for mails on the wire at the kill (same Message-ID), none after its"
      + " code's expiry, and every code verifies")
  void killedInstanceLosesNothing() throws Exception {
    requireServer();
    String namespace = namespace();
    try (CrashStores stores = open(namespace); SlowNextHop hop = new SlowNextHop(Duration.ofMillis(200))) {
      Process child = startChild(namespace, hop.port());
      try {
        CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> {
          List<String> lines = new ArrayList<>();
          try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
              StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null && !line.equals("ALL-SENT"); ) {
              lines.add(line);
            }
          } catch (java.io.IOException e) {
            lines.add("IO " + e);
          }
          return lines;
        });
        List<String> lines = output.get(120, TimeUnit.SECONDS);
        assertEquals(MAILS, lines.size(), "one answer per send: " + lines);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("QUEUED ")), "every send answered QUEUED: " + lines);
        hop.awaitArrivals(20, Duration.ofSeconds(60));

        child.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
      } finally {
        child.destroyForcibly();
      }
      int atKill = hop.arrivals().size();
      assertTrue(atKill < MAILS, "killed mid-run");
      long left = settledSize(stores);
      assertTrue(left > 0, "the rest waits in the outbox");

      try (Instance second = new Instance(stores, hop.port(), "second")) {
        List<Arrival> all = awaitRecipients(hop, MAILS, Duration.ofMinutes(2));

        Map<String, List<Arrival>> byRecipient = all.stream().collect(Collectors.groupingBy(OutboxCrashKit::recipient));
        assertEquals(MAILS, byRecipient.size(), "every mail arrived");
        byRecipient.forEach((to, mails) -> assertTrue(
            mails.stream().allMatch(m -> m.messageId().equals(mails.get(0).messageId())),
            "every copy of the mail to " + to + " has the same Message-ID"));
        long duplicated = byRecipient.values().stream().filter(m -> m.size() > 1).count();
        System.out.println("[crash kit] " + storesClass().getSimpleName() + ": " + atKill + " of " + MAILS
            + " arrived before the kill, " + (all.size() - atKill) + " after it (second instance), " + duplicated
            + " duplicated (on the wire at the kill), " + byRecipient.size() + " distinct recipients");
        assertTrue(duplicated <= CHILD_WORKERS,
            "only mails on the wire at the kill (at most one per worker) arrive twice, not " + duplicated);
        for (Arrival a : all) {
          Instant issued = ZonedDateTime.parse(a.date(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          assertTrue(a.at().isBefore(issued.plus(TTL).plusSeconds(1)), "arrived before its code expired");
        }
        awaitEmpty(stores);
        awaitEvents(second.delivered, (int) left);
        assertEquals(left, second.delivered.size(),
            "the second instance reports each mail it took from the outbox once");
        assertTrue(second.delivered.stream().allMatch(e -> e.outcome() == VerificationEvent.Outcome.DELIVERED),
            "all delivered");
        Set<String> seen = new HashSet<>();
        for (Arrival a : all) {
          if (seen.add(recipient(a))) {
            assertInstanceOf(VerifyResult.Verified.class,
                second.service.verifyCode(recipient(a), VerificationType.REGISTER, a.code()),
                "the code of " + recipient(a) + " verifies on the second instance");
          }
        }
      }
    }
  }

  @Test
  @DisplayName("C31: two live instances share 200 queued mails: each sends some, and no mail is sent twice")
  void twoLiveInstancesShareTheWork() throws Exception {
    requireServer();
    String namespace = namespace();
    try (CrashStores stores = open(namespace); SlowNextHop hop = new SlowNextHop(Duration.ofMillis(20));
        Instance a = new Instance(stores, hop.port(), "a"); Instance b = new Instance(stores, hop.port(), "b")) {
      for (int i = 0; i < MAILS; i++) {
        (i % 2 == 0 ? a : b).service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL);
      }
      List<Arrival> all = awaitRecipients(hop, MAILS, Duration.ofMinutes(2));
      awaitEmpty(stores);

      assertEquals(MAILS, hop.arrivals().size(), "no mail sent twice");
      assertEquals(MAILS, all.stream().map(Arrival::messageId).distinct().count(), "distinct Message-IDs");
      assertTrue(a.hop.sent() > 0, "a sent some");
      assertTrue(b.hop.sent() > 0, "b sent some");
      assertEquals(MAILS, a.hop.sent() + b.hop.sent());
    }
  }

  /**
   * The outbox's size once it stopped changing for a second: an acknowledgement the killed child
   * had already written to its socket is still carried out by the server after the kill (its
   * connection is closed only then), and would otherwise be counted as left for the second instance.
   */
  private static long settledSize(CrashStores stores) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long size = stores.outbox().size();
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      long now = stores.outbox().size();
      if (now == size) {
        return size;
      }
      size = now;
    }
    return size;
  }

  private static void awaitEmpty(CrashStores stores) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stores.outbox().size() > 0) {
      assertTrue(System.nanoTime() - deadline < 0, "the outbox empties within 30 s");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void awaitEvents(List<VerificationEvent> events, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (events.size() < n && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
