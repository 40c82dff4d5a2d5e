package dev.mailverify.test;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MailOutbox} in memory, for tests of what drives an outbox: several transports in one
 * JVM share it as instances share Redis or a database. It stores each entry's bytes, as a real store
 * does, and compares leases with the {@code now} it is given, so a test moves time with a
 * {@link MutableClock}. {@link #down(boolean)} makes every call fail like a store outage (C29).
 * Not durable: it dies with the JVM.
 */
public final class InMemoryMailOutbox implements MailOutbox {
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private volatile boolean down;

  private static final class Row {
    final byte[] payload;
    int attempts;
    @Nullable String owner;
    Instant leaseUntil = Instant.MIN;

    Row(byte[] payload) {
      this.payload = payload;
    }
  }

  /**
   * Makes every call fail with {@link StoreUnavailableException} (true) or work again (false).
   *
   * @param value whether the store is down
   */
  public void down(boolean value) {
    down = value;
  }

  private void check() {
    if (down) {
      throw new StoreUnavailableException("the in-memory outbox is down (test)", null);
    }
  }

  @Override
  public synchronized void add(OutboxEntry entry, Instant now) {
    check();
    rows.put(entry.id(), new Row(entry.toBytes()));
  }

  @Override
  public synchronized List<Claim> claim(String owner, int max, Instant now, Duration lease) {
    check();
    List<Claim> out = new ArrayList<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (out.size() >= max) {
        break;
      }
      Row r = e.getValue();
      if (r.owner == null || !r.leaseUntil.isAfter(now)) {
        r.owner = owner;
        r.leaseUntil = now.plus(lease);
        r.attempts++;
        out.add(new Claim(e.getKey(), OutboxEntry.fromBytes(r.payload), r.attempts));
      }
    }
    return out;
  }

  @Override
  public synchronized int countAttempt(Claim claim, String owner, Instant now, Duration lease) {
    check();
    Row r = rows.get(claim.handle());
    if (r == null || !owner.equals(r.owner)) {
      return 0;
    }
    r.attempts++;
    r.leaseUntil = now.plus(lease);
    return r.attempts;
  }

  @Override
  public synchronized boolean complete(Claim claim, String owner) {
    check();
    Row r = rows.get(claim.handle());
    if (r == null || !owner.equals(r.owner)) {
      return false;
    }
    rows.remove(claim.handle());
    return true;
  }

  @Override
  public synchronized void release(Claim claim, String owner, Instant now) {
    check();
    Row r = rows.get(claim.handle());
    if (r != null && owner.equals(r.owner)) {
      r.owner = null;
      r.leaseUntil = Instant.MIN;
    }
  }

  @Override
  public synchronized long size() {
    check();
    return rows.size();
  }

  /**
   * Returns what a dump of this outbox holds: each entry's stored form ({@link OutboxEntry#toBytes()}),
   * oldest first, for tests that check what a store keeps (C14).
   *
   * @return copies of the stored forms
   */
  public synchronized List<byte[]> storedForms() {
    List<byte[]> out = new ArrayList<>();
    for (Row r : rows.values()) {
      out.add(r.payload.clone());
    }
    return out;
  }

  @Override
  public String toString() {
    return "InMemoryMailOutbox";
  }
}
