package dev.mailverify.spring;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox bean of {@link AutoConfigureMailVerifyOutbox}: registered before the
 * auto-configuration, so the configured transport (console, SMTP, ...) steps back.
 */
@Configuration(proxyBeanMethods = false)
public class MailVerifyOutboxConfiguration {
  /** Creates the configuration; Spring calls it. */
  public MailVerifyOutboxConfiguration() {}

  /**
   * The in-memory outbox that receives every message.
   *
   * @return the outbox
   */
  @Bean
  public InMemoryOutbox mailVerifyTestOutbox() {
    return MailTransport.inMemory();
  }
}
