package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The transport's current OAuth2 token: fetched from the {@link AccessTokenSource} when there is
 * none, when it expires within {@link #MARGIN}, or after the server refused it. Thread-safe.
 */
final class OAuthTokens {
  /** A token expiring sooner than this is replaced before connecting. */
  static final Duration MARGIN = Duration.ofSeconds(60);

  static final String TOKEN_HINT = "The server refused the OAuth2 access token twice, a freshly fetched one"
      + " included. Check that the token source returns an access token (not an ID or refresh token) for this"
      + " user, with the SMTP scope: Microsoft 365 / Outlook 'https://outlook.office.com/SMTP.Send' and SMTP AUTH"
      + " enabled for the mailbox; Gmail 'https://mail.google.com/'.";

  private final AccessTokenSource source;
  private final Clock clock;
  private @Nullable AccessToken current;

  OAuthTokens(AccessTokenSource source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** The token to sign in with now, fetched when needed. */
  synchronized AccessToken current() {
    AccessToken t = current;
    Instant now = clock.instant();
    if (t == null || !now.isBefore(t.expiresAt().minus(MARGIN))) {
      t = fetch();
      current = t;
    }
    return t;
  }

  /** Forgets a token the server refused, so that the next {@link #current()} fetches a new one. */
  synchronized void refused(AccessToken token) {
    if (current == token) {
      current = null;
    }
  }

  private AccessToken fetch() {
    AccessToken t;
    try {
      t = source.fetch();
    } catch (RuntimeException e) {
      throw DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
              "the OAuth2 access token source failed (" + e.getClass().getSimpleName() + ")")
          .transientFailure(true).cause(e)
          .hint("The application's AccessTokenSource threw: check its identity provider and refresh token.")
          .build();
    }
    if (t == null) {
      throw DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
              "the OAuth2 access token source returned no token")
          .hint("AccessTokenSource.fetch() must return a token or throw.").build();
    }
    return t;
  }
}
