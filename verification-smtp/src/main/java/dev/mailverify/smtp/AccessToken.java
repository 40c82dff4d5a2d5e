package dev.mailverify.smtp;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth2 access token for SMTP's XOAUTH2 sign-in, with the time it stops working. Made by the
 * application's {@link AccessTokenSource}; read only by {@link SmtpTransport} and
 * {@link SmtpDiagnostics}. The token's text cannot be read through the public API and never
 * appears in {@link #toString()}, logs or exception messages (C16).
 *
 * <pre>{@code
 * AccessToken token = AccessToken.of(response.accessToken(), Instant.now().plusSeconds(response.expiresIn()));
 * }</pre>
 */
public final class AccessToken {
  private final String value;
  private final Instant expiresAt;

  private AccessToken(String value, Instant expiresAt) {
    this.value = value;
    this.expiresAt = expiresAt;
  }

  /**
   * Wraps a token and its expiry, as an OAuth2 token endpoint returns them ({@code access_token},
   * {@code expires_in} seconds from now).
   *
   * @param value the access token; printable ASCII, not blank (the message never shows it)
   * @param expiresAt when it stops working; the transport asks the source for a new one a minute
   *     before
   * @return the token
   * @throws IllegalArgumentException when the value is blank or has characters outside printable
   *     ASCII
   */
  public static AccessToken of(String value, Instant expiresAt) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (value.isBlank() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("access token value must be printable ASCII without spaces");
    }
    return new AccessToken(value, expiresAt);
  }

  /**
   * Wraps a token whose expiry is not known: it is replaced only when the server refuses it.
   *
   * @param value the access token, as for {@link #of(String, Instant)}
   * @return the token
   */
  public static AccessToken withoutExpiry(String value) {
    return of(value, Instant.MAX);
  }

  /**
   * Returns when the token stops working.
   *
   * @return the expiry, {@link Instant#MAX} when not known
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The token itself, for the SASL XOAUTH2 string only. */
  String value() {
    return value;
  }

  /** Shows the expiry; the token prints as {@code [PROTECTED]}. */
  @Override
  public String toString() {
    return "AccessToken[[PROTECTED], expiresAt=" + expiresAt + "]";
  }
}
