package dev.mailverify.core.transport;

import static dev.mailverify.core.DeliveryException.Category.AUTHENTICATION;
import static dev.mailverify.core.DeliveryException.Category.RECIPIENT_REJECTED;
import static dev.mailverify.core.DeliveryException.Category.SENDER_BUDGET_EXHAUSTED;
import static dev.mailverify.core.DeliveryException.Category.SERVER_BUSY;
import static dev.mailverify.core.testkit.ScriptedTransport.smtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.testkit.ScriptedTransport;
import dev.mailverify.test.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Failover between accounts, sender budgets, retry back-off and stable Message-IDs. */
class FailoverAndBudgetTest {
  private final MutableClock clock = MutableClock.start();
  private final ScriptedTransport primary = new ScriptedTransport();
  private final ScriptedTransport secondary = new ScriptedTransport();
  private final EmailMessage message = EmailMessage.builder(EmailAddress.parse("user@example.com"))
      .subject("s").text("t").build();

  private FailoverMailTransport failover() {
    return FailoverMailTransport.builder(primary, secondary).suspendAfter(2).suspension(Duration.ofMinutes(1))
        .clock(clock).build();
  }

  @Test
  @DisplayName("C25: failover tries the secondary on a transient failure of the primary")
  void transientFailsOver() {
    primary.then(smtp(SERVER_BUSY, 451));
    failover().send(message);
    assertThat(primary.calls()).hasSize(1);
    assertThat(secondary.calls()).containsExactly(message);
  }

  @Test
  @DisplayName("C25: failover skips a primary that keeps failing, probes it after the suspension, returns to it")
  void prefersHealthyRouteAndReturns() {
    FailoverMailTransport t = failover();
    primary.then(smtp(SERVER_BUSY, 451), smtp(SERVER_BUSY, 451));
    t.send(message);
    t.send(message); // second transient failure in a row: primary suspended
    t.send(message);
    t.send(message);
    assertThat(primary.calls()).hasSize(2);
    assertThat(secondary.calls()).hasSize(4);
    assertThat(t.toString()).contains("suspended");

    clock.advance(Duration.ofMinutes(1));
    t.send(message); // probe: the primary recovered
    t.send(message);
    assertThat(primary.calls()).hasSize(4);
    assertThat(secondary.calls()).hasSize(4);
  }

  @Test
  @DisplayName("C24: 535 on the primary fails over and suspends it at once; 550 for the recipient does not fail over")
  void permanentRouteVersusRecipientFailures() {
    FailoverMailTransport t = failover();
    primary.then(smtp(AUTHENTICATION, 535));
    t.send(message);
    t.send(message);
    assertThat(primary.calls()).hasSize(1);
    assertThat(secondary.calls()).hasSize(2);

    secondary.then(smtp(RECIPIENT_REJECTED, 550));
    ScriptedTransport other = new ScriptedTransport();
    FailoverMailTransport t2 = FailoverMailTransport.builder(secondary, other).clock(clock).build();
    assertThatThrownBy(() -> t2.send(message)).isInstanceOfSatisfying(DeliveryException.class,
        e -> assertThat(e.category()).isEqualTo(RECIPIENT_REJECTED));
    assertThat(other.calls()).isEmpty();
  }

  @Test
  @DisplayName("C25: when every route fails, the transient failure is thrown so a retry may follow")
  void allFailThrowsTransient() {
    primary.then(smtp(SERVER_BUSY, 451));
    secondary.then(smtp(AUTHENTICATION, 535));
    assertThatThrownBy(() -> failover().send(message)).isInstanceOfSatisfying(DeliveryException.class, e -> {
      assertThat(e.category()).isEqualTo(SERVER_BUSY);
      assertThat(e.getSuppressed()).hasSize(1);
    });
  }

  @Test
  @DisplayName("C25: a sender budget refuses at its cap with SENDER_BUDGET_EXHAUSTED (transient) until the window"
      + " moves on")
  void budgetRefusesAtCap() {
    BudgetedMailTransport t = BudgetedMailTransport.builder(primary,
        SenderBudget.builder("noreply@qq.com").perMinute(5).perDay(100).build()).clock(clock).build();
    for (int i = 0; i < 5; i++) {
      t.send(message);
    }
    assertThatThrownBy(() -> t.send(message)).isInstanceOfSatisfying(DeliveryException.class, e -> {
      assertThat(e.category()).isEqualTo(SENDER_BUDGET_EXHAUSTED);
      assertThat(e.isTransient()).isTrue();
    });
    assertThat(primary.calls()).hasSize(5);
    clock.advance(Duration.ofMinutes(1));
    t.send(message);
    assertThat(primary.calls()).hasSize(6);
  }

  @Test
  @DisplayName("C25: budgets counted through a shared RateLimiter span instances; at the cap failover moves on")
  void budgetAcrossInstancesAndFailover() {
    RateLimiter shared = RateLimiter.inMemory();
    SenderBudget budget = SenderBudget.builder("noreply@qq.com").perDay(3).build();
    BudgetedMailTransport a = BudgetedMailTransport.builder(primary, budget).rateLimiter(shared).clock(clock).build();
    BudgetedMailTransport b = BudgetedMailTransport.builder(primary, budget).rateLimiter(shared).clock(clock).build();
    a.send(message);
    b.send(message);
    a.send(message);
    FailoverMailTransport t = FailoverMailTransport.builder(b, secondary).clock(clock).build();
    t.send(message);
    assertThat(primary.calls()).hasSize(3);
    assertThat(secondary.calls()).hasSize(1);
  }

  @Test
  @DisplayName("Presets carry only published limits: Google Workspace 2,000 per day, trial 500, no per-minute cap")
  void presets() {
    assertThat(SenderBudget.googleWorkspace("a@example.com").perDay()).hasValueSatisfying(q -> {
      assertThat(q.limit()).isEqualTo(2_000);
      assertThat(q.window()).isEqualTo(Duration.ofDays(1));
    });
    assertThat(SenderBudget.googleWorkspace("a@example.com").perMinute()).isEmpty();
    assertThat(SenderBudget.googleWorkspaceTrial("a@example.com").perDay()).hasValueSatisfying(
        q -> assertThat(q.limit()).isEqualTo(500));
    assertThatThrownBy(() -> SenderBudget.builder("a").build()).hasMessageContaining("perDay or perMinute");
  }

  @Test
  @DisplayName("C25: back-off grows exponentially, is capped, and jitter only shortens it")
  void backoff() {
    RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(3))
        .jitter(0.5).build();
    assertThat(p.backoff(1, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(2, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff(3, 0.0)).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryPolicy.defaults().maxRetries()).isEqualTo(2);
    assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(-1)).hasMessageContaining("maxRetries");
  }

  @Test
  @DisplayName("C25: a message's Message-ID is made once at build, at the sender's domain, and survives retries")
  void messageIdIsStable() {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("user@example.com"))
        .from(Mailbox.parse("noreply@qq.com")).subject("s").text("t").build();
    assertThat(m.messageId()).startsWith("<").endsWith("@qq.com>");
    assertThat(m.messageId()).isEqualTo(m.messageId());
    assertThat(message.messageId()).endsWith("@mailverify.invalid>");
    assertThatThrownBy(() -> EmailMessage.builder(EmailAddress.parse("user@example.com")).messageId("no brackets"))
        .hasMessageContaining("messageId");
  }
}
