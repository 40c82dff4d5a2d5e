package dev.mailverify.core.transport;

import dev.mailverify.core.Quota;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How many messages one sending account may send per minute and per rolling day, enforced by
 * {@link BudgetedMailTransport}. Free providers suspend an account that exceeds their limit, so a
 * budget a little below the provider's limit keeps the account alive.
 *
 * <pre>{@code
 * SenderBudget budget = SenderBudget.builder("noreply@qq.com").perDay(400).perMinute(20).build();
 * }</pre>
 *
 * <p>Presets exist only where the provider publishes a limit: {@link #googleWorkspace(String)}
 * and {@link #googleWorkspaceTrial(String)}. QQ Mail (and 163/126 Mail) publish no numeric
 * sending limit, so there is no preset for them: pick a budget from your own account's history
 * and set it with the builder.
 */
public final class SenderBudget {
  private final String account;
  private final @Nullable Quota perDay;
  private final @Nullable Quota perMinute;
  private final double warnAt;

  private SenderBudget(Builder b) {
    this.account = b.account;
    this.perDay = b.perDay == 0 ? null : new Quota(b.perDay, Duration.ofDays(1));
    this.perMinute = b.perMinute == 0 ? null : new Quota(b.perMinute, Duration.ofMinutes(1));
    this.warnAt = b.warnAt;
  }

  /**
   * Starts a builder.
   *
   * @param account names the sending account in limiter keys and logs, for example its login; the
   *     same on every instance that shares the budget; 1-256 characters; not null
   * @return a new builder
   */
  public static Builder builder(String account) {
    return new Builder(account);
  }

  /**
   * Google Workspace (paid): 2,000 messages per user per rolling 24 hours, as published in "Gmail
   * sending limits in Google Workspace", https://support.google.com/a/answer/166852 (limits can
   * change without notice; check the page). Google publishes no per-minute limit, so none is set.
   *
   * @param account the account's login; not null
   * @return the budget
   */
  public static SenderBudget googleWorkspace(String account) {
    return builder(account).perDay(2_000).build();
  }

  /**
   * Google Workspace trial accounts: 500 messages per user per rolling 24 hours, from the same
   * page, https://support.google.com/a/answer/166852.
   *
   * @param account the account's login; not null
   * @return the budget
   */
  public static SenderBudget googleWorkspaceTrial(String account) {
    return builder(account).perDay(500).build();
  }

  /**
   * Returns the account's name in limiter keys and logs.
   *
   * @return the account
   */
  public String account() {
    return account;
  }

  /**
   * Returns the cap per rolling day, if set.
   *
   * @return the quota
   */
  public Optional<Quota> perDay() {
    return Optional.ofNullable(perDay);
  }

  /**
   * Returns the cap per rolling minute, if set.
   *
   * @return the quota
   */
  public Optional<Quota> perMinute() {
    return Optional.ofNullable(perMinute);
  }

  /**
   * Returns the share of a cap at which a warning is logged, once.
   *
   * @return 0.5-1 (1 means no early warning)
   */
  public double warnAt() {
    return warnAt;
  }

  @Override
  public String toString() {
    return "SenderBudget[account=" + account + ", perDay=" + (perDay == null ? "-" : perDay.limit())
        + ", perMinute=" + (perMinute == null ? "-" : perMinute.limit()) + ", warnAt=" + warnAt + "]";
  }

  /**
   * Builds a {@link SenderBudget}. Each setter checks its argument at once and may be called
   * again; the last call wins.
   */
  public static final class Builder {
    private final String account;
    private int perDay;
    private int perMinute;
    private double warnAt = 0.8;

    private Builder(String account) {
      Objects.requireNonNull(account, "account");
      if (account.isBlank() || account.length() > 256) {
        throw new IllegalArgumentException("account must be 1-256 non-blank characters, was "
            + (account.isBlank() ? "blank" : account.length() + " characters"));
      }
      this.account = account;
    }

    /**
     * Sets the cap per rolling 24 hours.
     *
     * @param value 1-10,000,000, or 0 for none
     * @return this builder
     */
    public Builder perDay(int value) {
      if (value < 0 || value > 10_000_000) {
        throw new IllegalArgumentException("perDay must be 0-10000000, was " + value);
      }
      perDay = value;
      return this;
    }

    /**
     * Sets the cap per rolling minute.
     *
     * @param value 1-100,000, or 0 for none
     * @return this builder
     */
    public Builder perMinute(int value) {
      if (value < 0 || value > 100_000) {
        throw new IllegalArgumentException("perMinute must be 0-100000, was " + value);
      }
      perMinute = value;
      return this;
    }

    /**
     * Sets the share of a cap at which a warning is logged once (default 0.8).
     *
     * @param value 0.5-1
     * @return this builder
     */
    public Builder warnAt(double value) {
      if (!(value >= 0.5 && value <= 1.0)) {
        throw new IllegalArgumentException("warnAt must be 0.5-1, was " + value);
      }
      warnAt = value;
      return this;
    }

    /**
     * Builds the budget.
     *
     * @return the budget
     * @throws IllegalStateException if neither perDay nor perMinute was set
     */
    public SenderBudget build() {
      if (perDay == 0 && perMinute == 0) {
        throw new IllegalStateException("perDay or perMinute is required: a SenderBudget needs at least one cap");
      }
      return new SenderBudget(this);
    }
  }
}
