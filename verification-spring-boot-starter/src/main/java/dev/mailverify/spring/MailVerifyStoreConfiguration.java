package dev.mailverify.spring;

/** Names shared by the store configurations. */
final class MailVerifyStoreConfiguration {
  /** Bean name of a shared (Redis or SQL) code store made by the starter. */
  static final String SHARED_STORE = "mailVerifySharedCodeStore";

  private MailVerifyStoreConfiguration() {}
}
