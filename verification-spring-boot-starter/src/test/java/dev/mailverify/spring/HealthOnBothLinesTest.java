package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Issue 18, bug 2: the one starter carries health for Spring Boot 3.5 and 4.0; on each line exactly
 * its own auto-configuration runs. This test runs under both builds ({@code -Pspring-boot-3} and the
 * default); {@code .ci/spring-apps-check} runs the installed jar in a 3.5 and a 4.0 application.
 */
class HealthOnBothLinesTest {
  private static final String BOOT3_HEALTH = "org.springframework.boot.actuate.health.HealthIndicator";
  private static final String BOOT4_HEALTH = "org.springframework.boot.health.contributor.HealthIndicator";

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Test
  @DisplayName("the auto-configuration list names the health configuration of each Spring Boot line")
  void bothLinesAreListed() throws Exception {
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains(MailVerifyHealthAutoConfiguration.class.getName())
          .contains(MailVerifyBoot3HealthAutoConfiguration.class.getName());
    }
  }

  @Test
  @DisplayName("on the running Spring Boot line mailVerifySmtp is a health indicator from that line's configuration only")
  void theRunningLineGetsTheIndicator() {
    boolean boot4 = ClassUtils.isPresent(BOOT4_HEALTH, null);
    boolean boot3 = ClassUtils.isPresent(BOOT3_HEALTH, null);
    assertThat(boot3 ^ boot4).as("exactly one Spring Boot line on the class path").isTrue();
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("mailverify.transport=smtp", "mailverify.smtp.host=127.0.0.1", "mailverify.smtp.port=2525",
            "mailverify.smtp.security=plain", "mailverify.smtp.from=app@example.com", "mailverify.store.type=memory")
        .run()) {
      Object indicator = context.getBean(HealthProbe.SMTP_INDICATOR);
      assertThat(ClassUtils.isAssignableValue(ClassUtils.resolveClassName(boot4 ? BOOT4_HEALTH : BOOT3_HEALTH, null),
          indicator)).isTrue();
      Class<?> own = boot4 ? MailVerifyHealthAutoConfiguration.class : MailVerifyBoot3HealthAutoConfiguration.class;
      Class<?> other = boot4 ? MailVerifyBoot3HealthAutoConfiguration.class : MailVerifyHealthAutoConfiguration.class;
      assertThat(context.getBeanNamesForType(own)).hasSize(1);
      assertThat(context.getBeanNamesForType(other)).isEmpty();
    }
  }
}
