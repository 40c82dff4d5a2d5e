package dev.mailverify.spring;

/** Names shared by the store configurations. */
final class MailVerifyStoreConfiguration {
  /** Bean name of a shared (Redis or SQL) code store made by the starter. */
  static final String SHARED_STORE = HealthProbe.SHARED_STORE_BEAN;

  /** Bean name of a shared (Redis or SQL) rate limiter made by the starter. */
  static final String SHARED_RATE_LIMITER = "mailVerifySharedRateLimiter";

  /** Bean name of the in-memory code store made by the starter. */
  static final String MEMORY_STORE = "mailVerifyCodeStore";

  private MailVerifyStoreConfiguration() {}
}
