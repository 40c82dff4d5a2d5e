package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TemplateRenderer} gets to fill the notice of a change of address (C33): the mail
 * sent to the <em>old</em> address after the account's address was changed, saying what changed
 * and when, with a "this wasn't me" link that reverts the change once, within its validity.
 *
 * <p>The notice carries no code. The new address is shown masked ({@link EmailAddress#masked()}):
 * the old mailbox learns that the address changed and roughly to what, without handing the new
 * address to whoever may read the old mailbox. {@link #toString()} never shows the link (it carries
 * a secret token) nor a whole address.
 */
public final class AddressChangeContext {
  private final EmailAddress oldAddress;
  private final EmailAddress newAddress;
  private final Instant changedAt;
  private final String revertLink;
  private final Duration revertValidity;
  private final Locale locale;
  private final @Nullable String appName;

  private AddressChangeContext(Builder b) {
    this.oldAddress = b.oldAddress;
    this.newAddress = b.newAddress;
    this.changedAt = b.changedAt;
    this.revertLink = b.revertLink;
    this.revertValidity = b.revertValidity;
    this.locale = b.locale;
    this.appName = b.appName;
  }

  /**
   * Starts a builder. The locale defaults to English, the revert link's validity to 7 days and the
   * application's name to none.
   *
   * @param oldAddress the address the account had, the notice's recipient; not null
   * @param newAddress the address the account has now; not null
   * @param changedAt when the address was changed; not null
   * @param revertLink the absolute "this wasn't me" link; not null
   * @return a new builder
   */
  public static Builder builder(EmailAddress oldAddress, EmailAddress newAddress, Instant changedAt,
      String revertLink) {
    return new Builder(oldAddress, newAddress, changedAt, revertLink);
  }

  /** Builds an {@link AddressChangeContext}; each setter rejects {@code null} except {@link #appName}. */
  public static final class Builder {
    private final EmailAddress oldAddress;
    private final EmailAddress newAddress;
    private final Instant changedAt;
    private final String revertLink;
    private Duration revertValidity = Duration.ofDays(7);
    private Locale locale = Locale.ENGLISH;
    private @Nullable String appName;

    private Builder(EmailAddress oldAddress, EmailAddress newAddress, Instant changedAt, String revertLink) {
      this.oldAddress = Objects.requireNonNull(oldAddress, "oldAddress");
      this.newAddress = Objects.requireNonNull(newAddress, "newAddress");
      this.changedAt = Objects.requireNonNull(changedAt, "changedAt");
      this.revertLink = Objects.requireNonNull(revertLink, "revertLink");
    }

    /**
     * Sets the language of the notice.
     *
     * @param value the locale; not null
     * @return this builder
     */
    public Builder locale(Locale value) {
      locale = Objects.requireNonNull(value, "locale");
      return this;
    }

    /**
     * Sets how long the revert link works.
     *
     * @param value a positive duration; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code revertValidity} when not positive
     */
    public Builder revertValidity(Duration value) {
      Objects.requireNonNull(value, "revertValidity");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("revertValidity must be positive, was " + value);
      }
      revertValidity = value;
      return this;
    }

    /**
     * Sets the application's name shown in the notice.
     *
     * @param value the name, or {@code null} for none
     * @return this builder
     */
    public Builder appName(@Nullable String value) {
      appName = value;
      return this;
    }

    /**
     * Builds the context.
     *
     * @return the context
     */
    public AddressChangeContext build() {
      return new AddressChangeContext(this);
    }
  }

  /**
   * Returns the address the account had: the notice's recipient.
   *
   * @return the old address
   */
  public EmailAddress oldAddress() {
    return oldAddress;
  }

  /**
   * Returns the address the account has now. Show it masked ({@link EmailAddress#masked()}).
   *
   * @return the new address
   */
  public EmailAddress newAddress() {
    return newAddress;
  }

  /**
   * Returns when the address was changed.
   *
   * @return the time of the change
   */
  public Instant changedAt() {
    return changedAt;
  }

  /**
   * Returns the "this wasn't me" link. It carries a secret token: show it only inside the mail.
   * Opening it changes nothing; the page it opens asks the user to press a button (C32).
   *
   * @return the absolute link
   */
  public String revertLink() {
    return revertLink;
  }

  /**
   * Returns how long the revert link works.
   *
   * @return the validity
   */
  public Duration revertValidity() {
    return revertValidity;
  }

  /**
   * Returns the language of the notice.
   *
   * @return the locale
   */
  public Locale locale() {
    return locale;
  }

  /**
   * Returns the application's name, or {@code null} if none was configured.
   *
   * @return the name, or {@code null}
   */
  public @Nullable String appName() {
    return appName;
  }

  /** Shows masked addresses and never the link (C16). */
  @Override
  public String toString() {
    return "AddressChangeContext[old=" + oldAddress.masked() + ", new=" + newAddress.masked() + ", changedAt="
        + changedAt + ", revertLink=[PROTECTED], revertValidity=" + revertValidity + ", locale="
        + locale.toLanguageTag() + "]";
  }
}
