package dev.mailverify.spring.security;

import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sign-in by an e-mailed code in a Spring Security filter chain: {@code POST /login/code/send} with
 * {@code email} mails a code (type {@code LOGIN}, the caller's address as the client key for the
 * per-client cap), and {@code POST /login/code} with {@code email} and {@code code} signs in through
 * {@link EmailCodeAuthenticationProvider}. Both answer with redirects, the same whether or not an
 * account exists for the address.
 *
 * <pre>{@code
 * http.authorizeHttpRequests(a -> a.requestMatchers("/login/**").permitAll().anyRequest().authenticated())
 *     .with(EmailCodeLoginConfigurer.emailCodeLogin(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>Needs a {@link VerificationCodeService} bean (the starter makes one) and a
 * {@link UserDetailsService} bean that loads an account by address.
 */
public final class EmailCodeLoginConfigurer extends AbstractHttpConfigurer<EmailCodeLoginConfigurer, HttpSecurity> {
  private String sendUrl = "/login/code/send";
  private String loginUrl = "/login/code";
  private String sentUrl = "/login?code-sent";
  private String limitedUrl = "/login?code-limited";
  private String failureUrl = "/login?error";
  private String successUrl = "/";
  private VerificationType type = VerificationType.LOGIN;
  private Duration ttl = Duration.ofMinutes(10);
  private @Nullable EmailCodeAuthenticationProvider provider;

  private EmailCodeLoginConfigurer() {}

  /**
   * Starts the configurer with its defaults.
   *
   * @return a new configurer
   */
  public static EmailCodeLoginConfigurer emailCodeLogin() {
    return new EmailCodeLoginConfigurer();
  }

  /**
   * Sets where the code is asked for ({@code POST}, parameter {@code email}).
   *
   * @param url the path, {@code /login/code/send} by default; not null
   * @return this configurer
   */
  public EmailCodeLoginConfigurer sendUrl(String url) {
    this.sendUrl = Objects.requireNonNull(url, "url");
    return this;
  }

  /**
   * Sets where the code is submitted ({@code POST}, parameters {@code email} and {@code code}).
   *
   * @param url the path, {@code /login/code} by default; not null
   * @return this configurer
   */
  public EmailCodeLoginConfigurer loginUrl(String url) {
    this.loginUrl = Objects.requireNonNull(url, "url");
    return this;
  }

  /**
   * Sets the redirects after asking for a code, after a refused sign-in and after a successful one.
   *
   * @param sent after a code was asked for (sent, or refused for an invalid address); not null
   * @param limited after a request inside the cooldown or over a cap; not null
   * @param failure after a wrong, expired, used or locked code; not null
   * @param success after signing in; not null
   * @return this configurer
   */
  public EmailCodeLoginConfigurer redirects(String sent, String limited, String failure, String success) {
    this.sentUrl = Objects.requireNonNull(sent, "sent");
    this.limitedUrl = Objects.requireNonNull(limited, "limited");
    this.failureUrl = Objects.requireNonNull(failure, "failure");
    this.successUrl = Objects.requireNonNull(success, "success");
    return this;
  }

  /**
   * Sets the verification type and validity of sign-in codes.
   *
   * @param value the type, {@link VerificationType#LOGIN} by default; not null
   * @param validity how long a code is valid, 10 minutes by default (the policy's range applies); not null
   * @return this configurer
   */
  public EmailCodeLoginConfigurer codes(VerificationType value, Duration validity) {
    this.type = Objects.requireNonNull(value, "type");
    this.ttl = Objects.requireNonNull(validity, "validity");
    return this;
  }

  @Override
  public void init(HttpSecurity http) {
    ApplicationContext context = Objects.requireNonNull(http.getSharedObject(ApplicationContext.class),
        "the HttpSecurity has no ApplicationContext");
    EmailCodeAuthenticationProvider p = new EmailCodeAuthenticationProvider(
        context.getBean(VerificationCodeService.class), context.getBean(UserDetailsService.class), type);
    this.provider = p;
    http.authenticationProvider(p);
  }

  @Override
  public void configure(HttpSecurity http) {
    ApplicationContext context = Objects.requireNonNull(http.getSharedObject(ApplicationContext.class),
        "the HttpSecurity has no ApplicationContext");
    AuthenticationManager manager = http.getSharedObject(AuthenticationManager.class);
    LoginFilter login = new LoginFilter(loginUrl);
    login.setAuthenticationManager(manager);
    login.setAuthenticationFailureHandler(new SimpleUrlAuthenticationFailureHandler(failureUrl));
    login.setAuthenticationSuccessHandler((request, response, authentication) ->
        response.sendRedirect(request.getContextPath() + successUrl));
    SecurityContextRepository repository = http.getSharedObject(SecurityContextRepository.class);
    login.setSecurityContextRepository(repository != null ? repository : new DelegatingSecurityContextRepository(
        new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository()));
    SessionAuthenticationStrategy sessions = http.getSharedObject(SessionAuthenticationStrategy.class);
    if (sessions != null) {
      login.setSessionAuthenticationStrategy(sessions);
    }
    http.addFilterBefore(new SendFilter(context.getBean(VerificationCodeService.class)),
        UsernamePasswordAuthenticationFilter.class);
    http.addFilterAfter(login, UsernamePasswordAuthenticationFilter.class);
  }

  /** {@code POST <loginUrl>}: the address and the code, to the provider. */
  private static final class LoginFilter extends AbstractAuthenticationProcessingFilter {
    LoginFilter(String url) {
      super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, url));
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
        throws AuthenticationException {
      String email = request.getParameter("email");
      String code = request.getParameter("code");
      EmailCodeAuthenticationToken attempt = EmailCodeAuthenticationToken.unauthenticated(
          email == null ? "" : email.strip(), code == null ? "" : code);
      attempt.setDetails(authenticationDetailsSource.buildDetails(request));
      return getAuthenticationManager().authenticate(attempt);
    }
  }

  /** {@code POST <sendUrl>}: mails a code to the address, rate-limited by the library. */
  private final class SendFilter extends OncePerRequestFilter {
    private final VerificationCodeService service;
    private final RequestMatcher matcher;

    SendFilter(VerificationCodeService service) {
      this.service = service;
      this.matcher = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, sendUrl);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (!matcher.matches(request)) {
        chain.doFilter(request, response);
        return;
      }
      String email = request.getParameter("email");
      SendResult result = email == null || email.isBlank() ? null
          : service.sendVerificationCode(SendRequest.builder(email.strip(), type).ttl(ttl)
              .clientKey(request.getRemoteAddr()).build());
      response.sendRedirect(request.getContextPath()
          + (result instanceof SendResult.RateLimited ? limitedUrl : sentUrl));
    }
  }
}
