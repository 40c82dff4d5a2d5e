/**
 * mailverify metrics: a Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder} fed by
 * the {@link dev.mailverify.core.VerificationListener}.
 *
 * <p>Callers use {@link dev.mailverify.micrometer.MailVerifyMetrics}; it is the only exported
 * package. The core does not depend on Micrometer; only this module does.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core has only Automatic-Module-Name
module dev.mailverify.micrometer {
  requires transitive dev.mailverify.core;
  requires transitive micrometer.core;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.mailverify.micrometer;
}
