package dev.mailverify.smtp;

/**
 * Where {@link SmtpTransport} gets OAuth2 access tokens for the XOAUTH2 sign-in that Microsoft 365
 * / Outlook and Gmail want instead of passwords. The application implements it, usually with its
 * OAuth2 client (MSAL, Google's auth library, or a refresh-token request to the token endpoint).
 *
 * <p>The transport keeps the token it got and calls {@link #fetch()} again when:
 * <ul>
 *   <li>the token expires within a minute ({@link AccessToken#expiresAt()}), before connecting;</li>
 *   <li>the server refused it (535, or a Gmail-style 334 error challenge): the transport then asks
 *       for a new token once and signs in again; a second refusal fails the send with category
 *       {@code AUTHENTICATION} and a hint about the token.</li>
 * </ul>
 * So each call should return a token that is valid now: a fresh one from the identity provider,
 * or a cached one the application knows to be good. Calls may come from several threads.
 *
 * <pre>{@code
 * SmtpSettings settings = SmtpSettings.builder(SmtpPreset.OUTLOOK)
 *     .oauth2("noreply@contoso.com", () -> {
 *       TokenResponse r = tokenClient.refresh(scope);       // the app's own OAuth2 client
 *       return AccessToken.of(r.accessToken(), clock.instant().plusSeconds(r.expiresIn()));
 *     })
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface AccessTokenSource {
  /**
   * Returns an access token that is valid now, for the user given with
   * {@link SmtpSettings.Builder#oauth2(String, AccessTokenSource)}.
   *
   * @return the token; not null
   * @throws RuntimeException when no token can be had (the identity provider is down, the refresh
   *     token was revoked): the send fails with category {@code AUTHENTICATION}, the exception as its
   *     cause
   */
  AccessToken fetch();
}
