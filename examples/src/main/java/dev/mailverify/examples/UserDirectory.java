package dev.mailverify.examples;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The demo's users, in memory: an address, a PBKDF2 password hash and whether the address was
 * verified. A real application keeps these in its database.
 */
public final class UserDirectory {

  /**
   * One user.
   *
   * @param email the verified address
   * @param emailVerified whether the address was proven by a code
   */
  public record User(String email, boolean emailVerified) {}

  private record Stored(User user, byte[] salt, byte[] hash) {}

  private final Map<String, Stored> users = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates a user unless the address is taken.
   *
   * @param email the verified address
   * @param password the password
   * @return the user, or empty if the address is already registered
   */
  public Optional<User> create(String email, char[] password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    Stored s = new Stored(new User(email, true), salt, hash(password, salt));
    return users.putIfAbsent(email.toLowerCase(Locale.ROOT), s) == null ? Optional.of(s.user()) : Optional.empty();
  }

  /**
   * Checks a password.
   *
   * @param email the address
   * @param password the password
   * @return whether it matches
   */
  public boolean passwordMatches(String email, char[] password) {
    Stored s = users.get(email.toLowerCase(Locale.ROOT));
    return s != null && MessageDigest.isEqual(s.hash(), hash(password, s.salt()));
  }

  /**
   * Finds a user.
   *
   * @param email the address
   * @return the user, or empty
   */
  public Optional<User> find(String email) {
    return Optional.ofNullable(users.get(email.toLowerCase(Locale.ROOT))).map(Stored::user);
  }

  private static byte[] hash(char[] password, byte[] salt) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, 210_000, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    }
  }

  /**
   * Moves a user to another address, keeping the password, unless the new address is taken or
   * the user does not exist.
   *
   * @param from the current address
   * @param to the new address
   * @return the user under the new address, or empty if nothing moved
   */
  public synchronized Optional<User> changeEmail(String from, String to) {
    String toKey = to.toLowerCase(Locale.ROOT);
    Stored s = users.get(from.toLowerCase(Locale.ROOT));
    if (s == null) {
      return Optional.empty();
    }
    Stored moved = new Stored(new User(to, true), s.salt(), s.hash());
    if (users.putIfAbsent(toKey, moved) != null) {
      return Optional.empty(); // taken, also by a sign-up racing this change
    }
    users.remove(from.toLowerCase(Locale.ROOT), s);
    return Optional.of(moved.user());
  }
}
