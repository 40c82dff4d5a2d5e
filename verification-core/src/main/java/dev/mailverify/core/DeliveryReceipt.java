package dev.mailverify.core;

/**
 * The next hop accepted a mail: the successful outcome of {@link MailTransport#sendAsync}.
 *
 * @param attempts how many times the mail was handed to a next hop, 1 or more (more after retries
 *     of transient failures)
 */
public record DeliveryReceipt(int attempts) {
  /** A mail accepted at its first attempt. */
  public static final DeliveryReceipt FIRST_ATTEMPT = new DeliveryReceipt(1);

  /**
   * Checks the count.
   *
   * @param attempts how many times the mail was handed to a next hop, 1 or more (more after retries of transient failures)
   */
  public DeliveryReceipt {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }
}
