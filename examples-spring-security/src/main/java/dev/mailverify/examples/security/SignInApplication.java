package dev.mailverify.examples.security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Sign-in by mail on Spring Security: {@code ./mvnw -pl examples-spring-security -am spring-boot:run},
 * then open {@code http://localhost:8080/}. Two ways in, both mailed by mailverify: Spring Security's
 * one-time-token login (a link; the starter's {@code MailVerifyOneTimeTokenService} keeps the token
 * hashed and single-use, and its success handler mails the LOGIN template) and the sign-in by e-mailed
 * code ({@code EmailCodeLoginConfigurer}). Mail goes to the console unless {@code .env} (or the
 * environment) sets {@code USE_REAL_EMAIL=1} with the {@code EMAIL_*} variables.
 */
@SpringBootApplication
public class SignInApplication {
  /** Not instantiated by hand; Spring creates it. */
  public SignInApplication() {}

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(SignInApplication.class, args);
  }
}
