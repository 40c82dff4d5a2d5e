package dev.mailverify.spring;

import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.spring.MailVerifyProperties.Recipients;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * Checks that {@code mailverify.recipient-check.*} got what it asked for, and says which check is on
 * for the start-up report. Loads no class of {@code verification-dns}, so it runs without it.
 */
final class RecipientCheckChoice {
  static final String MX_CHECK = "dev.mailverify.dns.MxRecipientCheck";
  static final String BEAN = "mailVerifyRecipientCheck";
  static final String DNS_MODULE = "dev.mailverify:verification-dns";
  private static final String PREFIX = MailVerifyProperties.PREFIX + ".recipient-check";

  private RecipientCheckChoice() {}

  /**
   * Fails start-up when the properties ask for a check that cannot be made.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property: the check is on without
   *     {@code verification-dns}, or a disposable-domain setting is made without the check
   */
  static void check(Recipients r, ListableBeanFactory beans, @Nullable RecipientCheck check) {
    boolean disposable = r.isRefuseDisposableDomains() || r.getDisposableDomainsFile() != null
        || !r.getAdditionalDisposableDomains().isEmpty();
    if (!r.isEnabled()) {
      if (disposable && !appBean(beans, check)) {
        String name = r.isRefuseDisposableDomains() ? PREFIX + ".refuse-disposable-domains"
            : r.getDisposableDomainsFile() != null ? PREFIX + ".disposable-domains-file"
            : PREFIX + ".additional-disposable-domains";
        throw new InvalidConfigurationPropertyValueException(name, "(set)", "disposable domains are refused by the"
            + " recipient check, which is off: set " + PREFIX + ".enabled=true as well");
      }
      return;
    }
    ClassLoader beanLoader = beans instanceof ConfigurableBeanFactory c ? c.getBeanClassLoader() : null;
    ClassLoader loader = beanLoader != null ? beanLoader : RecipientCheckChoice.class.getClassLoader();
    if (check == null && !ClassUtils.isPresent(MX_CHECK, loader)) {
      throw new InvalidConfigurationPropertyValueException(PREFIX + ".enabled", "true", "the recipient check (MX"
          + " lookup, disposable domains) is in a module of its own: add the dependency " + DNS_MODULE);
    }
    if (disposable && !r.isRefuseDisposableDomains() && !appBean(beans, check)) {
      throw new InvalidConfigurationPropertyValueException(PREFIX + ".refuse-disposable-domains", "false",
          "a disposable-domain list is configured but not used: set " + PREFIX + ".refuse-disposable-domains=true");
    }
  }

  /** For the start-up report: which recipient check the service uses. */
  static String describe(ListableBeanFactory beans, @Nullable RecipientCheck check) {
    if (check == null) {
      return "none (syntax only; " + PREFIX + ".enabled=true looks up MX records)";
    }
    if (appBean(beans, check)) {
      return check.getClass().getSimpleName() + " (the application's RecipientCheck bean)";
    }
    return check + " (" + PREFIX + ".enabled=true)";
  }

  private static boolean appBean(ListableBeanFactory beans, @Nullable RecipientCheck check) {
    return check != null && !(beans.containsBean(BEAN) && beans.getBean(BEAN) == check);
  }
}
