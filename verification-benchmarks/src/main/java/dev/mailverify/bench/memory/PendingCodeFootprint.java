package dev.mailverify.bench.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TemplateRenderer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Bytes per pending code: the heap after a full GC with {@code count} codes pending, minus the heap
 * before, divided by {@code count}. The in-memory store is measured next to the same keys and
 * records in bare containers, so the store's own overhead shows:
 *
 * <ol>
 *   <li>the keys and records alone, in an array (the payload every container holds);
 *   <li>{@link ConcurrentHashMap};
 *   <li>bare Caffeine, {@code Caffeine.newBuilder().build()} (unbounded: a {@code ConcurrentHashMap}
 *       underneath);
 *   <li>Caffeine bounded to a million entries, as any production cache must be;
 *   <li>Caffeine bounded, with the store's per-entry expiry, holding the record itself;
 *   <li>the in-memory store ({@link CodeStore#inMemory()}): the above plus its deadline wrapper;
 *   <li>a whole service with the default policy after {@code count} sends: the store plus the rate
 *       limiter's state for the cooldown and the per-address cap.
 * </ol>
 *
 * <p>Each key is {@code CodeKey(REGISTER, "user<n>@example.com")}, each record a
 * {@code PendingCode} with its own 32-byte MAC and its own expiry instant, as the service makes
 * them. The issue's target: the store within 1.5 times a bare Caffeine entry holding the same
 * record.
 *
 * <p>The parallel collector is used because its heap figure after {@code System.gc()} is exact; the
 * serial collector of JDK 17 was seen to report a container as still in use after it was dropped,
 * which the probe detects and warns about.
 *
 * <p>Run (one command, about a minute):
 * {@code java -XX:+UseParallelGC -Xms3g -Xmx3g -cp verification-benchmarks/target/benchmarks.jar
 * dev.mailverify.bench.memory.PendingCodeFootprint [count] [--no-service]}
 */
public final class PendingCodeFootprint {

  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final Duration TTL = Duration.ofMinutes(10);

  private final int count;
  private final Instant now = Instant.now();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private long firstBefore = -1;

  PendingCodeFootprint(int count) {
    this.count = count;
  }

  /** One measured container. */
  record Row(String name, long bytes, int count) {
    double perCode() {
      return (double) bytes / count;
    }
  }

  /**
   * Runs every measurement and prints a table.
   *
   * @param args {@code [count] [--no-service]}; count defaults to 1,000,000
   */
  public static void main(String[] args) {
    int count = 1_000_000;
    boolean service = true;
    for (String a : args) {
      if (a.equals("--no-service")) {
        service = false;
      } else {
        count = Integer.parseInt(a.replace("_", "").replace(",", ""));
      }
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    printJvm();
    PendingCodeFootprint probe = new PendingCodeFootprint(count);
    List<Row> rows = probe.measureAll(service);
    print(rows);
  }

  List<Row> measureAll(boolean service) {
    List<Row> rows = new ArrayList<>();
    rows.add(measure("keys + records alone (array)", n -> {
      Object[] both = new Object[2 * n];
      for (int i = 0; i < n; i++) {
        both[2 * i] = key(i);
        both[2 * i + 1] = record(i);
      }
      return both;
    }));
    rows.add(measure("ConcurrentHashMap", n -> {
      ConcurrentHashMap<CodeKey, PendingCode> map = new ConcurrentHashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(key(i), record(i));
      }
      return map;
    }));
    rows.add(measure("bare Caffeine (unbounded)", n -> {
      Cache<CodeKey, PendingCode> cache = Caffeine.newBuilder().build();
      for (int i = 0; i < n; i++) {
        cache.put(key(i), record(i));
      }
      return cache;
    }));
    rows.add(measure("Caffeine maximumSize(1M)", n -> {
      Cache<CodeKey, PendingCode> cache = Caffeine.newBuilder().maximumSize(Math.max(n, 1_000_000)).build();
      for (int i = 0; i < n; i++) {
        cache.put(key(i), record(i));
      }
      cache.cleanUp();
      return cache;
    }));
    rows.add(measure("Caffeine maximumSize + expireAfter", n -> {
      Cache<CodeKey, PendingCode> cache = Caffeine.newBuilder()
          .maximumSize(Math.max(n, 1_000_000))
          .expireAfter(new UntilExpiry())
          .build();
      for (int i = 0; i < n; i++) {
        cache.put(key(i), record(i));
      }
      cache.cleanUp();
      return cache;
    }));
    rows.add(measure("InMemoryCodeStore (CodeStore.inMemory())", n -> {
      if (n > 1_000_000) {
        throw new IllegalArgumentException("the default in-memory store holds at most 1,000,000 codes");
      }
      CodeStore store = CodeStore.inMemory();
      for (int i = 0; i < n; i++) {
        store.issue(key(i), record(i), now);
      }
      return store;
    }));
    if (service) {
      rows.add(measure("service, default policy (store + limiter)", n -> {
        VerificationCodeService s = BenchServices.build(message -> { }, CodeStore.inMemory(),
            VerificationPolicy.defaults(), TemplateRenderer.plainText());
        for (int i = 0; i < n; i++) {
          SendResult r = s.sendVerificationCode(address(i), TYPE, TTL);
          if (!(r instanceof SendResult.Sent)) {
            throw new IllegalStateException("send " + i + " gave " + r);
          }
        }
        return s;
      }));
    }
    return rows;
  }

  private static String address(int i) {
    return "user" + i + "@example.com";
  }

  private static CodeKey key(int i) {
    return CodeKey.of(TYPE, EmailAddress.parse(address(i)));
  }

  private PendingCode record(int i) {
    byte[] mac = new byte[32];
    new SplittableRandom(i).nextBytes(mac);
    // its own instant, as the service's now.plus(ttl) makes one per code
    return new PendingCode(mac, now.plus(TTL).plusNanos(i), 5, 0);
  }

  private Row measure(String name, IntFunction<Object> fill) {
    long before = usedAfterGc();
    if (firstBefore < 0) {
      firstBefore = before;
    } else if (before - firstBefore > Math.max(1 << 20, count * 2L)) {
      System.out.printf(Locale.ROOT, "  WARNING: %,d bytes more in use before this measurement than before the first;"
          + " a container was not collected. Use -XX:+UseParallelGC.%n", before - firstBefore);
    }
    Object holder = fill.apply(count);
    long after = usedAfterGc();
    Reference.reachabilityFence(holder);
    Row row = new Row(name, after - before, count);
    System.out.printf(Locale.ROOT, "  measured %-45s %8.1f bytes/code%n", name, row.perCode());
    return row;
  }

  /** Heap in use after full collections, once two in a row agree within 64 KB. */
  private long usedAfterGc() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 64 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }

  private static void printJvm() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    List<String> gcs = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.add(gc.getName());
    }
    System.out.printf(Locale.ROOT, "JVM %s %s; GC %s; max heap %d MB; compressed oops %s; object alignment %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), gcs,
        Runtime.getRuntime().maxMemory() >> 20, hotspot.getVMOption("UseCompressedOops").getValue(),
        hotspot.getVMOption("ObjectAlignmentInBytes").getValue());
  }

  private static void print(List<Row> rows) {
    Row bare = rows.stream().filter(r -> r.name().startsWith("bare Caffeine")).findFirst().orElseThrow();
    Row bounded = rows.stream().filter(r -> r.name().equals("Caffeine maximumSize(1M)")).findFirst().orElseThrow();
    System.out.printf(Locale.ROOT, "%nbytes per pending code, %,d codes (heap after GC / count)%n", rows.get(0).count());
    System.out.printf(Locale.ROOT, "%-45s %12s %14s %16s%n", "container", "bytes/code", "x bare Caffeine",
        "x bounded Caffeine");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-45s %12.1f %14.2f %16.2f%n", r.name(), r.perCode(),
          r.perCode() / bare.perCode(), r.perCode() / bounded.perCode());
    }
  }

  /** The store's expiry policy on the bare record: a fixed deadline from the record's instant. */
  private final class UntilExpiry implements Expiry<CodeKey, PendingCode> {
    @Override
    public long expireAfterCreate(CodeKey key, PendingCode value, long currentTime) {
      return Math.max(0, Duration.between(now, value.expiresAt()).toNanos());
    }

    @Override
    public long expireAfterUpdate(CodeKey key, PendingCode value, long currentTime, long currentDuration) {
      return Math.max(0, Duration.between(now, value.expiresAt()).toNanos());
    }

    @Override
    public long expireAfterRead(CodeKey key, PendingCode value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
