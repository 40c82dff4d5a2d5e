package dev.mailverify.examples.spring;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * The example's user table, in memory. A real application stores a password hash (for example
 * with Spring Security's {@code PasswordEncoder}); this one keeps only the address and the
 * verified flag, and never the password.
 */
@Component
public class Users {
  private final ConcurrentMap<String, User> byEmail = new ConcurrentHashMap<>();

  /** Creates an empty table. */
  public Users() {}

  /**
   * A registered user.
   *
   * @param email the verified, normalized address
   * @param emailVerified always true here: only a redeemed token registers
   */
  public record User(String email, boolean emailVerified) {}

  /**
   * Registers a verified address once.
   *
   * @param email the normalized address
   * @return the new user, or empty when the address is already registered
   */
  public Optional<User> create(String email) {
    User user = new User(email, true);
    return byEmail.putIfAbsent(email, user) == null ? Optional.of(user) : Optional.empty();
  }
}
