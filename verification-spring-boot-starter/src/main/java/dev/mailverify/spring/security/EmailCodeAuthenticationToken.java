package dev.mailverify.spring.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An address and the code mailed to it (before authentication), or the signed-in user (after).
 * The code is a credential: {@link #toString()} never shows it, and {@link #eraseCredentials()}
 * drops it once authentication is done.
 */
public final class EmailCodeAuthenticationToken extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  /** The address as typed (before authentication) or the user (after). */
  private final Object principal;

  /** The code as typed, until the credentials are erased; null after authentication. */
  private @Nullable String code;

  private EmailCodeAuthenticationToken(Object principal, @Nullable String code,
      Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
    super(authorities);
    this.principal = Objects.requireNonNull(principal, "principal");
    this.code = code;
    super.setAuthenticated(authenticated);
  }

  /**
   * A sign-in attempt.
   *
   * @param email the address as typed; not null
   * @param code the code as typed; not null (an empty code simply fails)
   * @return an unauthenticated token
   */
  public static EmailCodeAuthenticationToken unauthenticated(String email, String code) {
    return new EmailCodeAuthenticationToken(email, Objects.requireNonNull(code, "code"), List.of(), false);
  }

  /**
   * A successful sign-in.
   *
   * @param principal the user (usually a {@code UserDetails}); not null
   * @param authorities the user's authorities; not null
   * @return an authenticated token, without the code
   */
  public static EmailCodeAuthenticationToken authenticated(Object principal,
      Collection<? extends GrantedAuthority> authorities) {
    return new EmailCodeAuthenticationToken(principal, null, authorities, true);
  }

  /**
   * Returns the address (before authentication) or the user (after).
   *
   * @return the principal
   */
  @Override
  public Object getPrincipal() {
    return principal;
  }

  /**
   * Returns the code until the credentials are erased.
   *
   * @return the code, or null
   */
  @Override
  public @Nullable Object getCredentials() {
    return code;
  }

  /**
   * Refuses to mark an attempt as authenticated: use {@link #authenticated}.
   *
   * @throws IllegalArgumentException when {@code authenticated} is true
   */
  @Override
  public void setAuthenticated(boolean authenticated) {
    if (authenticated) {
      throw new IllegalArgumentException("use EmailCodeAuthenticationToken.authenticated(...)");
    }
    super.setAuthenticated(false);
  }

  @Override
  public void eraseCredentials() {
    super.eraseCredentials();
    code = null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o != null && super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
