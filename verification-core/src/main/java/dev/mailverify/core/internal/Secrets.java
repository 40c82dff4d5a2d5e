package dev.mailverify.core.internal;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Everything secret the service makes or checks: codes and tokens from {@link SecureRandom}
 * (a DRBG per thread; C1, C9), HMAC-SHA256 of codes under the current and previous secrets (C14), and the hash a
 * token is stored under.
 */
public final class Secrets {
  private static final String HMAC = "HmacSHA256";
  private static final int TOKEN_BYTES = 32;

  /**
   * One DRBG (NIST SP 800-90A, seeded by the platform) per thread: the platform default
   * (NativePRNG) serializes every caller on one lock, which halves code generation at 2 threads.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Secrets::newRandom);
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  });

  /** The bytes one MAC is computed over, reused per thread (the same as US-ASCII encoding). */
  private static final ThreadLocal<byte[]> MAC_INPUT = ThreadLocal.withInitial(() -> new byte[512]);

  private final List<ThreadLocal<Mac>> macs;

  /**
   * Creates the secrets.
   *
   * @param current the secret new codes are hashed with, at least 32 bytes
   * @param previous older secrets whose codes still verify (rotation)
   */
  public Secrets(byte[] current, List<byte[]> previous) {
    List<ThreadLocal<Mac>> list = new ArrayList<>();
    list.add(macFor(current));
    for (byte[] p : previous) {
      list.add(macFor(p));
    }
    this.macs = List.copyOf(list);
  }

  /**
   * Returns a fresh random secret for a single-process service.
   *
   * @return 32 random bytes
   */
  public static byte[] randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  private static ThreadLocal<Mac> macFor(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret must be at least 32 bytes (256 bits), was " + secret.length);
    }
    SecretKeySpec key = new SecretKeySpec(secret.clone(), HMAC);
    try {
      Mac.getInstance(HMAC).init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  /**
   * Generates a code.
   *
   * @param symbols the alphabet
   * @param length how many symbols
   * @return the code
   */
  public String newCode(String symbols, int length) {
    SecureRandom random = RANDOM.get();
    int n = symbols.length();
    int limit = 256 - (256 % n); // bytes at or above it are dropped, so every symbol is equally likely
    byte[] pool = new byte[length * 2];
    int used = pool.length;
    char[] c = new char[length];
    for (int i = 0; i < length; ) {
      if (used == pool.length) {
        random.nextBytes(pool); // one DRBG call per code, not one per symbol
        used = 0;
      }
      int b = pool[used++] & 0xff;
      if (b < limit) {
        c[i++] = symbols.charAt(b % n);
      }
    }
    Arrays.fill(pool, (byte) 0);
    return new String(c);
  }

  /**
   * Generates a token: 256 random bits, URL-safe base64 without padding (43 characters).
   *
   * @return the token
   */
  public String newToken() {
    byte[] b = new byte[TOKEN_BYTES];
    RANDOM.get().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Tells whether a string has the shape of a token.
   *
   * @param token the input
   * @return {@code true} for 43 URL-safe base64 characters
   */
  public static boolean isTokenShaped(String token) {
    if (token.length() != 43) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the hash a token is stored under: SHA-256 of the type and the token, hex.
   *
   * @param type the token's type
   * @param token the token
   * @return 64 hex characters
   */
  public static String tokenHash(VerificationType type, String token) {
    MessageDigest sha = SHA256.get();
    sha.update(type.name().getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Derives a key for another use of the secrets (the outbox's seal): HMAC-SHA256 of
   * {@code label} under every secret, current first. A distinct label keeps each use's keys apart
   * from the MACs of codes and tokens.
   *
   * @param label what the keys are for, ASCII
   * @return one 32-byte key per secret
   */
  public List<byte[]> derivedKeys(String label) {
    byte[] input = label.getBytes(StandardCharsets.US_ASCII);
    List<byte[]> out = new ArrayList<>(macs.size());
    for (ThreadLocal<Mac> m : macs) {
      out.add(m.get().doFinal(input));
    }
    return out;
  }

  /**
   * Returns the MAC of a code under the current secret, bound to the key's type and address (C5).
   *
   * @param key the address and type
   * @param code the normalized code
   * @return 32 bytes
   */
  public byte[] mac(CodeKey key, String code) {
    return mac(macs.get(0).get(), key, code);
  }

  /**
   * Returns the MACs of a code under every secret, current first.
   *
   * @param key the address and type
   * @param code the normalized code
   * @return one MAC per secret
   */
  public List<byte[]> candidates(CodeKey key, String code) {
    List<byte[]> out = new ArrayList<>(macs.size());
    for (ThreadLocal<Mac> m : macs) {
      out.add(mac(m.get(), key, code));
    }
    return out;
  }

  /**
   * Returns the names a link token may be stored under (C32): HMAC-SHA256 of the type and the
   * token under every secret, current first, hex. A link is stored under the first; the others
   * find links issued before a rotation. Keyed, so a dump of the store cannot be matched with
   * tokens (C14), and distinct from {@link #tokenHash}, so a link token never redeems as a
   * verification token.
   *
   * @param type the type the link was sent for
   * @param token the link token
   * @return one name per secret, 64 hex characters each
   */
  public List<String> linkHashes(VerificationType type, String token) {
    List<String> out = new ArrayList<>(macs.size());
    for (ThreadLocal<Mac> m : macs) {
      Mac mac = m.get();
      mac.update("link\u0000".getBytes(StandardCharsets.US_ASCII));
      mac.update(type.name().getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      out.add(HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII))));
    }
    return out;
  }

  /**
   * Returns the names a revert token of a change of address may be stored under (C33): HMAC-SHA256
   * of the token under every secret, current first, hex, in a name space of its own, so a revert
   * token never redeems as a verification or link token and a dump of the store cannot be matched
   * with tokens (C14).
   *
   * @param token the revert token
   * @return one name per secret, 64 hex characters each
   */
  public List<String> revertHashes(String token) {
    List<String> out = new ArrayList<>(macs.size());
    for (ThreadLocal<Mac> m : macs) {
      Mac mac = m.get();
      mac.update("revert\u0000".getBytes(StandardCharsets.US_ASCII));
      out.add(HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII))));
    }
    return out;
  }

  /**
   * Returns the code a link token stands for, under the current secret: the code and the link of
   * one mail are one pending verification (C32), because the code is derived from the link token
   * with the secret (HMAC-SHA256, mapped onto the alphabet without bias). Knowing the link gives
   * the code, and nothing else does: the token has 256 random bits and the secret stays on the
   * server. A store therefore keeps one record for both, and using either consumes it.
   *
   * @param token the link token
   * @param symbols the alphabet
   * @param length how many symbols
   * @return the code
   */
  public String linkCode(String token, String symbols, int length) {
    return linkCode(macs.get(0).get(), token, symbols, length);
  }

  /**
   * Returns the MACs a link's code may be stored under: for every secret, the code derived with
   * that secret and MAC'd with it, current first (a link sent before a rotation still works).
   *
   * @param key the address and type
   * @param token the link token
   * @param symbols the alphabet
   * @param length how many symbols
   * @return one MAC per secret
   */
  public List<byte[]> linkCandidates(CodeKey key, String token, String symbols, int length) {
    List<byte[]> out = new ArrayList<>(macs.size());
    for (ThreadLocal<Mac> m : macs) {
      Mac mac = m.get();
      out.add(mac(mac, key, linkCode(mac, token, symbols, length)));
    }
    return out;
  }

  /** What a link token says about the device it was opened on ({@link #checkDevice}). */
  public enum DeviceCheck {
    /** A plain link: its send named no device, so any browser may use it. */
    UNBOUND,
    /** A link bound to a device, opened with that device's value. */
    SAME_DEVICE,
    /** A genuine link bound to a device, opened without that device's value. */
    OTHER_DEVICE,
    /** Neither a plain link nor one this server bound: made up or altered. */
    FORGED
  }

  /** Bytes kept of each MAC that seals a device-bound link: 128 bits. */
  private static final int SEAL_BYTES = 16;
  /** Length of a device-bound token: the 43-character token, '.', 22, '.', 22. */
  private static final int BOUND_TOKEN_LENGTH = 43 + 1 + 22 + 1 + 22;

  /**
   * Binds a fresh link token to the device that asked for it (the same-device option of C32):
   * {@code token.seal.deviceTag}, where {@code seal} is a MAC of the type and the token (it proves
   * this server bound the link, so a made-up or altered token is told from a genuine one opened
   * elsewhere) and {@code deviceTag} a MAC of the type, the token and the device value. Both are
   * HMAC-SHA256 under the current secret, truncated to 128 bits, URL-safe base64. The device value
   * itself is neither stored nor recoverable from the link.
   *
   * @param token a token from {@link #newToken()}
   * @param type the type the link is sent for
   * @param device the opaque value of the device that asked (a cookie the application set)
   * @return the bound token, 89 URL-safe characters
   */
  public String bindToDevice(String token, VerificationType type, String device) {
    Mac mac = macs.get(0).get();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return token + '.' + b64.encodeToString(seal(mac, type, token)) + '.'
        + b64.encodeToString(deviceTag(mac, type, token, device));
  }

  /**
   * Tells what a link token says about the device it is opened on, under every secret (a link
   * bound before a rotation still checks). Only MACs are computed; nothing is looked up.
   *
   * @param token the link token as received; any string
   * @param type the type the link is opened for
   * @param device the value of the device that opened it, or {@code null} when it has none
   * @return the verdict
   */
  public DeviceCheck checkDevice(String token, VerificationType type, @Nullable String device) {
    if (token.length() != BOUND_TOKEN_LENGTH || token.charAt(43) != '.' || token.charAt(66) != '.') {
      return isTokenShaped(token) ? DeviceCheck.UNBOUND : DeviceCheck.FORGED;
    }
    String base = token.substring(0, 43);
    byte[] seal;
    byte[] tag;
    try {
      seal = Base64.getUrlDecoder().decode(token.substring(44, 66));
      tag = Base64.getUrlDecoder().decode(token.substring(67));
    } catch (IllegalArgumentException e) {
      return DeviceCheck.FORGED;
    }
    if (!isTokenShaped(base) || seal.length != SEAL_BYTES || tag.length != SEAL_BYTES) {
      return DeviceCheck.FORGED;
    }
    for (ThreadLocal<Mac> m : macs) {
      Mac mac = m.get();
      if (MessageDigest.isEqual(seal, seal(mac, type, base))) {
        return device != null && MessageDigest.isEqual(tag, deviceTag(mac, type, base, device))
            ? DeviceCheck.SAME_DEVICE : DeviceCheck.OTHER_DEVICE;
      }
    }
    return DeviceCheck.FORGED;
  }

  private static byte[] seal(Mac mac, VerificationType type, String token) {
    mac.update("link-seal\u0000".getBytes(StandardCharsets.US_ASCII));
    mac.update(type.name().getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 0);
    return Arrays.copyOf(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII)), SEAL_BYTES);
  }

  private static byte[] deviceTag(Mac mac, VerificationType type, String token, String device) {
    mac.update("link-device\u0000".getBytes(StandardCharsets.US_ASCII));
    mac.update(type.name().getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 0);
    mac.update(token.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 0);
    return Arrays.copyOf(mac.doFinal(device.getBytes(StandardCharsets.UTF_8)), SEAL_BYTES);
  }

  private static String linkCode(Mac mac, String token, String symbols, int length) {
    int n = symbols.length();
    int limit = 256 - (256 % n);
    char[] c = new char[length];
    int i = 0;
    for (int round = 0; i < length; round++) {
      mac.update("code\u0000".getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) round);
      byte[] pool = mac.doFinal(token.getBytes(StandardCharsets.US_ASCII));
      for (int j = 0; j < pool.length && i < length; j++) {
        int b = pool[j] & 0xff;
        if (b < limit) {
          c[i++] = symbols.charAt(b % n);
        }
      }
      Arrays.fill(pool, (byte) 0);
    }
    return new String(c);
  }

  private static byte[] mac(Mac mac, CodeKey key, String code) {
    String type = key.type().name();
    String address = key.address();
    int length = type.length() + 1 + address.length() + 1 + code.length();
    byte[] input = MAC_INPUT.get();
    if (input.length < length) {
      input = new byte[length];
      MAC_INPUT.set(input);
    }
    int n = ascii(type, input, 0);
    input[n++] = 0;
    n = ascii(address, input, n);
    input[n++] = 0;
    n = ascii(code, input, n);
    mac.update(input, 0, n);
    Arrays.fill(input, 0, n, (byte) 0); // the code does not linger in the buffer
    return mac.doFinal();
  }

  /**
   * Encodes {@code s} as US-ASCII into {@code to} at {@code at}, exactly as
   * {@code getBytes(US_ASCII)} would: any other character becomes {@code '?'}. Type names, address
   * keys from {@code EmailAddress} and codes are ASCII; a {@code CodeKey} built by hand may not be.
   */
  private static int ascii(String s, byte[] to, int at) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      to[at++] = c < 0x80 ? (byte) c : (byte) '?';
    }
    return at;
  }

  @Override
  public String toString() {
    return "Secrets[" + macs.size() + " keys, [PROTECTED]]";
  }
}
