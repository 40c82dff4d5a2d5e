package dev.mailverify.bench.smtp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time at one instant: this process (JVM threads, GC and compiler included), the server
 * processes named by PID (the sink, the TLS proxy), and the whole machine from
 * {@code /proc/stat}, so a report can tell client, server and everything else apart. Linux only
 * for the server and machine parts (they read zero elsewhere).
 *
 * @param wallNanos {@link System#nanoTime()}
 * @param processCpuNanos this JVM's CPU time
 * @param serverCpuNanos the server processes' CPU time (user + system)
 * @param machineBusyNanos all CPUs' non-idle time
 */
record CpuSnapshot(long wallNanos, long processCpuNanos, long serverCpuNanos, long machineBusyNanos) {

  /** Linux's USER_HZ, the unit of {@code /proc} CPU times, on every common architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static CpuSnapshot take(List<Long> serverPids) {
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    long server = 0;
    for (long pid : serverPids) {
      server += processTicks(pid) * NANOS_PER_TICK;
    }
    return new CpuSnapshot(System.nanoTime(), process, server, machineBusyTicks() * NANOS_PER_TICK);
  }

  /** utime + stime of a process, in ticks; 0 if it cannot be read. */
  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name, in parentheses, may contain spaces: count fields after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Busy ticks of all CPUs: user, nice, system, irq and softirq of the {@code cpu} line. */
  private static long machineBusyTicks() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 7; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
