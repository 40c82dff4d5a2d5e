package dev.mailverify.core.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A code waiting to be verified, as a {@link CodeStore} keeps it: the keyed hash (HMAC-SHA256) of
 * the code, never the code itself (C14), when it expires, and how many tries it allows.
 *
 * @param mac the HMAC of the code, 32 bytes; copied in and out
 * @param expiresAt when the code stops working (issue time + TTL; C3)
 * @param maxAttempts how many tries it allows (C6)
 * @param attempts how many tries were made so far
 */
public record PendingCode(byte[] mac, Instant expiresAt, int maxAttempts, int attempts) {

  /**
   * Checks and copies the parts.
   *
   * @throws IllegalArgumentException if the MAC is not 32 bytes or the counts are out of range
   *
   * @param mac the HMAC of the code, 32 bytes; copied in and out
   * @param expiresAt when the code stops working (issue time + TTL; C3)
   * @param maxAttempts how many tries it allows (C6)
   * @param attempts how many tries were made so far
   */
  public PendingCode {
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (mac.length != 32) {
      throw new IllegalArgumentException("mac must be 32 bytes (HMAC-SHA256), was " + mac.length);
    }
    if (maxAttempts < 1 || attempts < 0 || attempts > maxAttempts) {
      throw new IllegalArgumentException("need 0 <= attempts <= maxAttempts and maxAttempts >= 1");
    }
    mac = mac.clone();
  }

  /**
   * Returns a copy of the MAC.
   *
   * @return 32 bytes
   */
  @Override
  public byte[] mac() {
    return mac.clone();
  }

  /**
   * Compares the stored MAC with every candidate in constant time, without stopping at the first
   * match (C15).
   *
   * @param candidates the MACs of the typed code, one per active secret
   * @return {@code true} if any candidate matches
   */
  public boolean matchesAny(java.util.List<byte[]> candidates) {
    boolean match = false;
    for (byte[] candidate : candidates) {
      match |= java.security.MessageDigest.isEqual(mac, candidate);
    }
    return match;
  }

  /**
   * Returns this code with one more attempt counted.
   *
   * @return a new record
   */
  public PendingCode withAttempt() {
    return new PendingCode(mac, expiresAt, maxAttempts, attempts + 1);
  }

  /**
   * Tells whether the code has expired at {@code now}.
   *
   * @param now the current time
   * @return {@code true} from {@code expiresAt} on
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * Tells whether no tries are left.
   *
   * @return {@code true} once {@code attempts == maxAttempts}
   */
  public boolean isLocked() {
    return attempts >= maxAttempts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingCode p && Arrays.equals(mac, p.mac) && expiresAt.equals(p.expiresAt)
        && maxAttempts == p.maxAttempts && attempts == p.attempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(mac), expiresAt, maxAttempts, attempts);
  }

  /** Never shows the MAC. */
  @Override
  public String toString() {
    return "PendingCode[mac=[PROTECTED], expiresAt=" + expiresAt + ", attempts=" + attempts + "/" + maxAttempts + "]";
  }
}
