/**
 * mailverify core: e-mailed one-time verification codes.
 *
 * <p>Callers use {@link dev.mailverify.core.VerificationCodeService}; implementers of stores,
 * transports, renderers and rate limiters use {@code dev.mailverify.core.spi}; the built-in
 * development and test transports live in {@code dev.mailverify.core.transport}. Everything in
 * {@code dev.mailverify.core.internal} is private to this module.
 */
module dev.mailverify.core {
  requires transitive org.slf4j;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports dev.mailverify.core;
  exports dev.mailverify.core.spi;
  exports dev.mailverify.core.transport;
}
