package dev.mailverify.examples.security;

import dev.mailverify.spring.security.EmailCodeLoginConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The filter chain: every page needs a sign-in except the sign-in pages. Spring Security's
 * {@code oneTimeTokenLogin()} mails a link (its login page has the "request a token" form; the link
 * opens its submit page, and only the submit consumes the token, C32); {@code emailCodeLogin()} mails
 * a code that signs in on any device, with the wrong-try and lock rules of {@code verifyCode}.
 * Neither needs more code here: the starter supplies the token service and the mail.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
  /** Not instantiated by hand; Spring creates it. */
  public SecurityConfig() {}

  /**
   * The filter chain.
   *
   * @param http Spring Security's builder
   * @return the chain
   * @throws Exception as {@link HttpSecurity#build()} declares
   */
  @Bean
  public SecurityFilterChain signInChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/login", "/login/**", "/ott/sent", "/code", "/error").permitAll()
            .anyRequest().authenticated())
        .oneTimeTokenLogin(Customizer.withDefaults())                     // a link by mail
        .with(EmailCodeLoginConfigurer.emailCodeLogin()                   // or a code, on any device
            .redirects("/code?sent", "/code?limited", "/code?error", "/"), Customizer.withDefaults());
    return http.build();
  }

  /**
   * The accounts, by e-mail address. A real application loads them from its database; the sign-in
   * by mail needs only that the user name is the address.
   *
   * @return the accounts
   */
  @Bean
  public UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("ada@example.com").password("{noop}unused").roles("USER").build(),
        User.withUsername("ann@example.com").password("{noop}unused").roles("USER").build());
  }
}
