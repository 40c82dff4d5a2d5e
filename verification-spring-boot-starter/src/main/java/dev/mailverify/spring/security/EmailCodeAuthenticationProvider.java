package dev.mailverify.spring.security;

import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Authenticates an {@link EmailCodeAuthenticationToken} with
 * {@link VerificationCodeService#verifyCode}: one atomic store operation counts the try, compares in
 * constant time and consumes the code on a match (C6, C8), so a code signs in once, five wrong tries
 * lock it, and the per-address budget of failed tries holds across codes (C7). The verification's
 * token is redeemed at once, and the user is loaded by address from the application's
 * {@link UserDetailsService}: an address with no account fails like a wrong code.
 *
 * <p>Failures are {@link BadCredentialsException} (wrong, unknown or already used),
 * {@link CredentialsExpiredException} (expired) and {@link LockedException} (too many wrong tries);
 * their messages never contain the code.
 */
public final class EmailCodeAuthenticationProvider implements AuthenticationProvider {
  private final VerificationCodeService service;
  private final UserDetailsService users;
  private final VerificationType type;

  /**
   * Creates the provider for codes of {@code type} (the codes the sign-in page asks for).
   *
   * @param service the verification service; not null
   * @param users loads the account of an address; not null
   * @param type the verification type of sign-in codes, usually {@link VerificationType#LOGIN}; not null
   */
  public EmailCodeAuthenticationProvider(VerificationCodeService service, UserDetailsService users,
      VerificationType type) {
    this.service = Objects.requireNonNull(service, "service");
    this.users = Objects.requireNonNull(users, "users");
    this.type = Objects.requireNonNull(type, "type");
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    EmailCodeAuthenticationToken attempt = (EmailCodeAuthenticationToken) authentication;
    String email = String.valueOf(attempt.getPrincipal());
    Object credentials = attempt.getCredentials();
    String code = credentials == null ? "" : credentials.toString();
    VerifyResult result = service.verifyCode(email, type, code);
    if (result instanceof VerifyResult.Verified verified) {
      String address = service.redeem(verified.token(), type, email)
          .orElseThrow(() -> new BadCredentialsException("the code was already used")).email();
      UserDetails user;
      try {
        user = users.loadUserByUsername(address);
      } catch (UsernameNotFoundException e) {
        throw new BadCredentialsException("wrong code or address");
      }
      EmailCodeAuthenticationToken done = EmailCodeAuthenticationToken.authenticated(user, user.getAuthorities());
      done.setDetails(attempt.getDetails());
      return done;
    }
    if (result instanceof VerifyResult.Expired) {
      throw new CredentialsExpiredException("the code has expired: ask for a new one");
    }
    if (result instanceof VerifyResult.Locked) {
      throw new LockedException("too many wrong codes: ask for a new one");
    }
    throw new BadCredentialsException("wrong code or address");
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return EmailCodeAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
