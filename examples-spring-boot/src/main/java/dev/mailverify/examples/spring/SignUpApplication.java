package dev.mailverify.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The seed's sign-up API on Spring Boot: {@code ./mvnw -pl examples-spring-boot -am spring-boot:run}.
 * Mail goes to the console unless {@code .env} (or the environment) sets {@code USE_REAL_EMAIL=1}
 * with the {@code EMAIL_*} variables, or {@code mailverify.transport=smtp} is configured.
 */
@SpringBootApplication
public class SignUpApplication {
  /** Not instantiated by hand; Spring creates it. */
  public SignUpApplication() {}

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(SignUpApplication.class, args);
  }
}
