package dev.mailverify.core.spi;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
  /** What a missing record is compared with (C15); never changed, never handed out. */
  private static final byte[] NO_MAC = new byte[32];

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
   * Compares this code's MAC with every candidate in constant time; same as
   * {@link #macMatchesAny(byte[], List) macMatchesAny(mac(), candidates)} without the copy.
   *
   * @param candidates the MACs of the typed code, one per active secret; not null
   * @return {@code true} if any candidate matches
   */
  public boolean matchesAny(List<byte[]> candidates) {
    return macMatchesAny(mac, candidates);
  }

  /**
   * Compares a stored MAC with the MACs of a typed code, in constant time (contract C15). Every
   * {@link CodeStore} that compares in Java calls this, ours (in memory, JDBC) and yours, so that
   * the security-critical comparison exists once:
   *
   * <ul>
   *   <li>it uses {@link MessageDigest#isEqual}, whose running time depends only on the length of
   *       the stored MAC (a fixed 32 bytes), never on how many leading bytes of a guess are right;
   *   <li>it compares every candidate (one per active secret during a rotation) without stopping
   *       at the first match, so the time does not tell which secret matched;
   *   <li>with {@code storedMac == null} (no code pending) it compares the candidates with 32 zero
   *       bytes and answers {@code false}: a missing record costs the same work as a wrong code,
   *       so timing does not tell whether an address has a pending code.
   * </ul>
   *
   * <p>A store that compares elsewhere does the same there: the Redis store's Lua script compares
   * every candidate, also when no code is stored, before it looks at the result.
   *
   * @param storedMac the stored MAC, 32 bytes, or {@code null} when no code is pending
   * @param candidates the MACs of the typed code, one per active secret; not null; empty for input
   *     that cannot match
   * @return {@code true} if {@code storedMac} is not null and equals a candidate
   */
  public static boolean macMatchesAny(byte @Nullable [] storedMac, List<byte[]> candidates) {
    Objects.requireNonNull(candidates, "candidates");
    byte[] stored = storedMac != null ? storedMac : NO_MAC;
    boolean match = false;
    for (byte[] candidate : candidates) {
      match |= MessageDigest.isEqual(stored, candidate);
    }
    return match && storedMac != null;
  }

  /**
   * Compares a stored record's MAC and, during a resend grace, the MAC of the code it replaced
   * with the MACs of a typed code, in constant time: both MACs are always compared as
   * {@link #macMatchesAny(byte[], List)} compares one (the previous one with 32 zero bytes when
   * there is none), so timing tells neither which code matched nor whether a previous code is kept.
   *
   * @param storedMac the record's MAC, or {@code null} when no code is pending
   * @param previousMac the replaced code's MAC kept for a resend grace, or {@code null}
   * @param previousValid whether the grace is still running ({@code now} before its end)
   * @param candidates the MACs of the typed code, one per active secret; not null
   * @return {@code true} if a candidate equals {@code storedMac}, or equals {@code previousMac}
   *     while {@code previousValid}
   */
  public static boolean macMatchesAny(byte @Nullable [] storedMac, byte @Nullable [] previousMac,
      boolean previousValid, List<byte[]> candidates) {
    boolean current = macMatchesAny(storedMac, candidates);
    boolean previous = macMatchesAny(previousMac, candidates);
    return current | (previous & previousValid & storedMac != null);
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
  public boolean equals(@Nullable Object o) {
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
