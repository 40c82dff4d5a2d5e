package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.micrometer.MailVerifyMetrics;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each condition of the auto-configuration, and each refusal at start-up. */
class MailVerifyAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyAutoConfiguration.class,
          MailVerifyMetricsAutoConfiguration.class));

  private static Throwable rootOf(AssertableApplicationContext context) {
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof InvalidConfigurationPropertyValueException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static void failsNaming(AssertableApplicationContext context, String property) {
    assertThat(context).hasFailed();
    Throwable root = rootOf(context);
    assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
    assertThat(((InvalidConfigurationPropertyValueException) root).getName()).isEqualTo(property);
    assertThat(root.getMessage()).contains(property);
  }

  @Test
  @DisplayName("no property at all: console transport, Mustache templates, in-memory store, a working service")
  void defaults() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(VerificationCodeService.class);
      assertThat(context).hasSingleBean(ConsoleTransport.class);
      assertThat(context).hasSingleBean(MustacheTemplateRenderer.class);
      assertThat(context).hasSingleBean(CodeStore.class);
      assertThat(context).doesNotHaveBean(SmtpSettings.class);
    });
  }

  @Test
  @DisplayName("mailverify.transport=outbox: the outbox is a bean and a send, verify, redeem round trip works")
  void outbox() {
    runner.withPropertyValues("mailverify.transport=outbox").run(context -> {
      InMemoryOutbox outbox = context.getBean(InMemoryOutbox.class);
      VerificationCodeService service = context.getBean(VerificationCodeService.class);
      assertThat(service.sendVerificationCode("User@Example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
          .isInstanceOf(SendResult.Sent.class);
      String code = outbox.latestCode("user@example.com").orElseThrow();
      VerifyResult result = service.verifyCode("user@example.com", VerificationType.REGISTER, code);
      assertThat(result).isInstanceOf(VerifyResult.Verified.class);
      String token = ((VerifyResult.Verified) result).token();
      assertThat(service.redeem(token, VerificationType.REGISTER, "user@example.com")).isPresent();
    });
  }

  @Test
  @DisplayName("mailverify.transport=files writes .eml files into mailverify.files.directory")
  void files(@TempDir Path dir) {
    runner.withPropertyValues("mailverify.transport=files", "mailverify.files.directory=" + dir).run(context -> {
      assertThat(context).hasSingleBean(FileTransport.class);
      assertThat(context.getBean(FileTransport.class).directory()).isEqualTo(dir);
    });
  }

  @Test
  @DisplayName("mailverify.transport=smtp with a preset and credentials: SMTP settings from the preset")
  void smtpPreset() {
    runner.withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.preset=qq-mail",
        "mailverify.smtp.username=a@qq.com", "mailverify.smtp.password=authcode",
        "mailverify.smtp.timeout=3s").run(context -> {
          assertThat(context).hasSingleBean(SmtpTransport.class);
          SmtpSettings s = context.getBean(SmtpSettings.class);
          assertThat(s.host()).isEqualTo("smtp.qq.com");
          assertThat(s.port()).isEqualTo(587);
          assertThat(s.security()).isEqualTo(SmtpSecurity.STARTTLS);
          assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(s.toString()).doesNotContain("authcode");
        });
  }

  @Test
  @DisplayName("the seed's names bind directly: USE_REAL_EMAIL=1 picks SMTP, EMAIL_* fill its settings")
  void seedNames() {
    runner.withPropertyValues("USE_REAL_EMAIL=True", "EMAIL_HOST=smtp.qq.com", "EMAIL_PORT=465",
        "EMAIL_USE_SSL=1", "EMAIL_USE_TLS=0", "EMAIL_HOST_USER=a@qq.com", "EMAIL_HOST_PASSWORD=authcode ",
        "DEFAULT_FROM_EMAIL=\"Roamio <a@qq.com>\"", "EMAIL_TIMEOUT=7").run(context -> {
          SmtpSettings s = context.getBean(SmtpSettings.class);
          assertThat(s.host()).isEqualTo("smtp.qq.com");
          assertThat(s.port()).isEqualTo(465);
          assertThat(s.security()).isEqualTo(SmtpSecurity.IMPLICIT_TLS);
          assertThat(s.username()).isEqualTo("a@qq.com");
          assertThat(s.from().address()).isEqualTo("a@qq.com");
          assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(7));
        });
  }

  @Test
  @DisplayName("an application's own MailTransport and service replace the auto-configured ones")
  void ownBeansWin() {
    runner.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context).doesNotHaveBean(ConsoleTransport.class);
      assertThat(context.getBean(MailTransport.class)).isSameAs(OwnBeans.OUTBOX);
      assertThat(context.getBean(TemplateRenderer.class)).isSameAs(OwnBeans.RENDERER);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final InMemoryOutbox OUTBOX = new InMemoryOutbox();
    static final TemplateRenderer RENDERER = TemplateRenderer.plainText();

    @Bean
    MailTransport myTransport() {
      return OUTBOX;
    }

    @Bean
    TemplateRenderer myRenderer() {
      return RENDERER;
    }
  }

  @Test
  @DisplayName("mailverify.templates.enabled=false: the plain-text renderer")
  void plainText() {
    runner.withPropertyValues("mailverify.templates.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MustacheTemplateRenderer.class));
  }

  @Test
  @DisplayName("with Micrometer and verification-micrometer: MailVerifyMetrics listens; without: no bean")
  void metrics() {
    runner.run(context -> assertThat(context).hasSingleBean(MailVerifyMetrics.class));
    runner.withClassLoader(new FilteredClassLoader(MailVerifyMetrics.class))
        .run(context -> assertThat(context).doesNotHaveBean("mailVerifyMetrics"));
  }

  @Test
  @DisplayName("production guard: the console transport in the prod profile fails naming mailverify.transport")
  void consoleInProd() {
    runner.withPropertyValues("spring.profiles.active=prod")
        .run(context -> failsNaming(context, "mailverify.transport"));
    runner.withPropertyValues("spring.profiles.active=prod", "mailverify.production-profiles=live")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  @DisplayName("smtp with a user and no password fails naming mailverify.smtp.password")
  void missingPassword() {
    runner.withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.host=smtp.example.com",
        "mailverify.smtp.username=a@example.com")
        .run(context -> failsNaming(context, "mailverify.smtp.password"));
  }

  @Test
  @DisplayName("smtp without host or preset fails naming mailverify.smtp.host")
  void missingHost() {
    runner.withPropertyValues("mailverify.transport=smtp")
        .run(context -> failsNaming(context, "mailverify.smtp.host"));
  }

  @Test
  @DisplayName("an unknown preset fails binding mailverify.smtp.preset, listing the known ones")
  void unknownPreset() {
    runner.withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.preset=hotmale").run(context -> {
      assertThat(context).hasFailed();
      Throwable t = context.getStartupFailure();
      StringBuilder messages = new StringBuilder();
      org.springframework.boot.context.properties.bind.BindException bind = null;
      for (; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
        if (t instanceof org.springframework.boot.context.properties.bind.BindException b) {
          bind = b;
        }
      }
      assertThat(bind).as("a BindException in the cause chain").isNotNull();
      assertThat(bind.getName().toString()).isEqualTo("mailverify.smtp.preset");
      assertThat(messages).contains("unknown preset 'hotmale'", "qq-mail", "netease-163", "office-365");
    });
  }

  @Test
  @DisplayName("mailverify.smtp.preset binds to SmtpPreset in any case, with - or _")
  void presetIsTyped() {
    for (String name : new String[] {"qq-mail", "QQ_MAIL", "Qq-Mail"}) {
      runner.withPropertyValues("mailverify.transport=outbox", "mailverify.smtp.preset=" + name).run(context ->
          assertThat(context.getBean(MailVerifyProperties.class).getSmtp().getPreset())
              .isEqualTo(dev.mailverify.smtp.SmtpPreset.QQ_MAIL));
    }
  }

  @Test
  @DisplayName("C3: a TTL outside 1m-24h fails naming the property, for the default policy and per type")
  void ttlOutOfRange() {
    runner.withPropertyValues("mailverify.policy.ttl=30s")
        .run(context -> failsNaming(context, "mailverify.policy.ttl"));
    runner.withPropertyValues("mailverify.policies.register.ttl=25h")
        .run(context -> failsNaming(context, "mailverify.policies.register.ttl"));
    runner.withPropertyValues("mailverify.policies.login.max-attempts=0")
        .run(context -> failsNaming(context, "mailverify.policies.login.max-attempts"));
  }

  @Test
  @DisplayName("policies per type: set fields override, the rest inherit from mailverify.policy")
  void policiesPerType() {
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.policy.code-length=8",
        "mailverify.policies.login.ttl=5m").run(context -> {
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          SendResult sent = service.sendVerificationCode("a@example.com", VerificationType.LOGIN, Duration.ofMinutes(5));
          assertThat(sent).isInstanceOf(SendResult.Sent.class);
          assertThat(context.getBean(InMemoryOutbox.class).latestCode("a@example.com").orElseThrow()).hasSize(8);
        });
  }

  @Test
  @DisplayName("C32, C21: mailverify.policy.link-base-url sends a link beside the code; a plain-http URL outside"
      + " localhost fails naming the property")
  void linkBaseUrl() {
    runner.withPropertyValues("mailverify.transport=outbox",
        "mailverify.policy.link-base-url=https://app.example.com/verify").run(context -> {
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          service.sendVerificationCode("link@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
          assertThat(context.getBean(InMemoryOutbox.class).latestTo("link@example.com").orElseThrow().text())
              .containsPattern("https://app\\.example\\.com/verify\\?token=[A-Za-z0-9_-]{43}&type=register");
        });
    runner.withPropertyValues("mailverify.policy.link-base-url=http://app.example.com/verify")
        .run(context -> failsNaming(context, "mailverify.policy.link-base-url"));
  }

  @Test
  @DisplayName("C4: mailverify.policy.resend-grace keeps the previous code working after a resend; 11m fails naming"
      + " the property")
  void resendGrace() {
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.policy.cooldown=0",
        "mailverify.policy.resend-grace=2m").run(context -> {
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          InMemoryOutbox outbox = context.getBean(InMemoryOutbox.class);
          service.sendVerificationCode("grace@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
          String first = outbox.latestCode("grace@example.com").orElseThrow();
          service.sendVerificationCode("grace@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
          assertThat(outbox.latestCode("grace@example.com").orElseThrow()).isNotEqualTo(first);
          assertThat(service.verifyCode("grace@example.com", VerificationType.REGISTER, first))
              .isInstanceOf(VerifyResult.Verified.class);
        });
    runner.withPropertyValues("mailverify.policy.resend-grace=11m")
        .run(context -> failsNaming(context, "mailverify.policy.resend-grace"));
  }

  @Test
  @DisplayName("C33: mailverify.address-change.revert-link-base-url makes notifyAddressChanged mail the old address a"
      + " revert link that works once; a plain-http URL outside localhost and a validity of 31 days fail naming"
      + " the property")
  void addressChange() {
    runner.withPropertyValues("mailverify.transport=outbox",
        "mailverify.address-change.revert-link-base-url=https://app.example.com/revert",
        "mailverify.address-change.revert-link-validity=2d").run(context -> {
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          SendResult sent = service.notifyAddressChanged("old@example.com", "new@example.com");
          assertThat(sent).isInstanceOf(SendResult.Sent.class);
          assertThat(((SendResult.Sent) sent).expiresAt())
              .isBetween(java.time.Instant.now().plus(Duration.ofDays(2)).minusSeconds(60),
                  java.time.Instant.now().plus(Duration.ofDays(2)).plusSeconds(60));
          java.util.regex.Matcher m = java.util.regex.Pattern.compile(
              "https://app\\.example\\.com/revert\\?token=([A-Za-z0-9_-]{43})")
              .matcher(context.getBean(InMemoryOutbox.class).latestTo("old@example.com").orElseThrow().text());
          assertThat(m.find()).isTrue();
          assertThat(service.revertAddressChange(m.group(1), "old@example.com")).hasValueSatisfying(
              change -> assertThat(change.newEmail()).isEqualTo("new@example.com"));
          assertThat(service.revertAddressChange(m.group(1), "old@example.com")).isEmpty();
        });
    runner.withPropertyValues("mailverify.address-change.revert-link-base-url=http://app.example.com/revert")
        .run(context -> failsNaming(context, "mailverify.address-change.revert-link-base-url"));
    runner.withPropertyValues("mailverify.address-change.revert-link-validity=31d")
        .run(context -> failsNaming(context, "mailverify.address-change.revert-link-validity"));
  }

  @Test
  @DisplayName("mailverify.typo-suggestions: on by default (li@gmial.com is sent with li@gmail.com suggested), false"
      + " turns it off")
  void typoSuggestions() {
    runner.withPropertyValues("mailverify.transport=outbox").run(context -> {
      SendResult sent = context.getBean(VerificationCodeService.class)
          .sendVerificationCode("li@gmial.com", VerificationType.REGISTER, Duration.ofMinutes(10));
      assertThat(sent).isInstanceOfSatisfying(SendResult.Sent.class,
          s -> assertThat(s.suggestion()).hasValueSatisfying(a -> assertThat(a.address()).isEqualTo("li@gmail.com")));
    });
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.typo-suggestions=false").run(context -> {
      SendResult sent = context.getBean(VerificationCodeService.class)
          .sendVerificationCode("li@gmial.com", VerificationType.REGISTER, Duration.ofMinutes(10));
      assertThat(sent).isInstanceOfSatisfying(SendResult.Sent.class, s -> assertThat(s.suggestion()).isEmpty());
    });
  }

  @Test
  @DisplayName("C16: a short secret fails naming mailverify.secret without showing it")
  void shortSecret() {
    runner.withPropertyValues("mailverify.secret=tooshort-s3cr3t").run(context -> {
      failsNaming(context, "mailverify.secret");
      assertThat(rootOf(context).getMessage()).doesNotContain("tooshort-s3cr3t");
    });
    runner.withPropertyValues("mailverify.secret=0123456789abcdef0123456789abcdef",
        "mailverify.previous-secrets=fedcba9876543210fedcba9876543210")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  @DisplayName("C28: a shared store without mailverify.secret fails naming it")
  void sharedStoreNeedsSecret() {
    runner.withBean(CodeStore.class, SharedStoreStandIn::new)
        .run(context -> failsNaming(context, "mailverify.secret"));
  }

  @Test
  @DisplayName("mailverify.store.type=redis or jdbc without the module and connection fails naming the property")
  void storeTypeWithoutStore() {
    runner.withPropertyValues("mailverify.store.type=redis")
        .run(context -> failsNaming(context, "mailverify.store.type"));
    runner.withPropertyValues("mailverify.store.type=jdbc")
        .run(context -> failsNaming(context, "mailverify.store.type"));
  }

  @Test
  @DisplayName("C27: mailverify.async.enabled queues sends on workers; the outbox receives them; close drains")
  void async() {
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.async.enabled=true",
        "mailverify.async.workers=1", "mailverify.async.queue-size=10").run(context -> {
          MailVerifyDelivery delivery = context.getBean(MailVerifyDelivery.class);
          assertThat(delivery.isAsync()).isTrue();
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          assertThat(service.sendVerificationCode("q@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
              .isInstanceOf(SendResult.Sent.class);
          assertThat(context.getBean(InMemoryOutbox.class).awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
        });
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.async.enabled=true",
        "mailverify.async.workers=0").run(context -> failsNaming(context, "mailverify.async.workers"));
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.async.enabled=true",
        "mailverify.retry.max-retries=99").run(context -> failsNaming(context, "mailverify.retry.max-retries"));
  }

  @Test
  @DisplayName("a sender budget of 1 per minute: the second send to another address is refused as delivery failed")
  void budget() {
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.budget.per-minute=1").run(context -> {
      VerificationCodeService service = context.getBean(VerificationCodeService.class);
      assertThat(service.sendVerificationCode("b1@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
          .isInstanceOf(SendResult.Sent.class);
      assertThat(service.sendVerificationCode("b2@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
          .isInstanceOf(SendResult.DeliveryFailed.class);
      assertThat(context.getBean(InMemoryOutbox.class).size()).isEqualTo(1);
    });
    runner.withPropertyValues("mailverify.transport=outbox", "mailverify.budget.per-day=-1")
        .run(context -> failsNaming(context, "mailverify.budget.per-day"));
  }

  @Test
  @DisplayName("failover: a dead primary hands the mail to the next server")
  void failover() {
    runner.withUserConfiguration(DeadPrimary.class).withPropertyValues(
        "mailverify.failover.servers[0].host=127.0.0.1", "mailverify.failover.servers[0].port=1",
        "mailverify.failover.servers[0].security=plain", "mailverify.failover.servers[0].from=app@example.com",
        "mailverify.failover.servers[0].timeout=1s").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MailVerifyDelivery.class).transport().toString()).containsIgnoringCase("failover");
        });
    runner.withPropertyValues("mailverify.failover.servers[0].port=25")
        .run(context -> failsNaming(context, "mailverify.failover.servers[0].host"));
  }

  @Test
  @DisplayName("a trusted-certificates file that does not exist fails naming mailverify.smtp.trusted-certificates")
  void missingCaFile(@TempDir Path dir) {
    runner.withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.preset=gmail",
        "mailverify.smtp.username=a@gmail.com", "mailverify.smtp.password=app-password",
        "mailverify.smtp.trusted-certificates=" + dir.resolve("none.pem"))
        .run(context -> failsNaming(context, "mailverify.smtp.trusted-certificates"));
  }

  @Configuration(proxyBeanMethods = false)
  static class DeadPrimary {
    @Bean
    MailTransport deadPrimary() {
      return new InMemoryOutbox();
    }
  }
}
