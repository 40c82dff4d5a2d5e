package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every {@link MailTransport} must pass, mailverify's built-ins (console,
 * in-memory outbox, {@code .eml} files, asynchronous, failover, budgeted, SMTP) and yours: a
 * successful {@code send} means the next hop has the mail; only a {@link DeliveryException}
 * escapes {@code send}; {@code sendAsync} never throws and its stage completes with a
 * {@link DeliveryReceipt} or a {@code DeliveryException} (C27); {@code queues()} tells the truth;
 * {@code close()} may be called twice; sends from many threads at once all arrive; no code shows
 * in a failure or in {@code toString} (C16).
 *
 * <p>Extend it with a transport whose next hop accepts mail ({@link #createTransport()}), a way to
 * ask that next hop what it received ({@link #received(EmailMessage)}) and, if the transport can
 * fail at all, a transport of the same kind whose next hop refuses every mail
 * ({@link #createFailingTransport()}, such as an SMTP server that rejects the login, or a folder
 * that cannot be written). Without one, the failure tests are skipped, not passed.
 *
 * <pre>{@code
 * class InMemoryOutboxContractTest extends MailTransportContract {
 *   private final InMemoryOutbox outbox = MailTransport.inMemory();
 *
 *   @Override
 *   protected MailTransport createTransport() {
 *     return outbox;
 *   }
 *
 *   @Override
 *   protected boolean received(EmailMessage message) {
 *     return outbox.messages().contains(message);
 *   }
 *
 *   @Override
 *   protected MailTransport createFailingTransport() {
 *     InMemoryOutbox refusing = MailTransport.inMemory();
 *     for (int i = 0; i < 100; i++) {
 *       refusing.failNext(new DeliveryException(DeliveryException.Category.RECIPIENT_REJECTED, "550 no such user", null));
 *     }
 *     return refusing;
 *   }
 * }
 * }</pre>
 *
 * <p>JUnit makes a new instance of the subclass for each test, so the next hop may live in
 * instance fields. Every transport the kit gets is closed after the test. Mails go to
 * {@code @example.com} addresses, each with a subject unique to the test ({@link #message()}), so
 * {@link #received(EmailMessage)} can look a mail up by its subject.
 */
public abstract class MailTransportContract {
  /** The code every mail of the kit carries; it must never show in a failure or a toString. */
  protected static final String CODE = "493817";

  private static final int THREADS = 10;

  private final List<MailTransport> opened = new ArrayList<>();

  /** For subclasses. */
  protected MailTransportContract() {}

  /**
   * Returns a new transport whose next hop accepts every mail; called at most once per test.
   *
   * @return the transport; not null
   */
  protected abstract MailTransport createTransport();

  /**
   * Tells whether the next hop of {@link #createTransport()}'s transport has received this mail
   * (compare the subject, which is unique, or the whole message). Called only once {@code send}
   * returned or the stage of {@code sendAsync} completed with a receipt. It may wait a little for
   * a next hop that files mail in the background (a mail server's store), but must answer
   * {@code false} for a mail that never came.
   *
   * @param message the mail the kit sent
   * @return whether it arrived
   */
  protected abstract boolean received(EmailMessage message);

  /**
   * Returns a new transport of the same kind whose next hop refuses every mail, or {@code null} if
   * the transport cannot fail (then the failure tests are skipped). Called at most once per test.
   *
   * @return the failing transport, or {@code null}; {@code null} by default
   */
  protected @Nullable MailTransport createFailingTransport() {
    return null;
  }

  /**
   * Returns how long the kit waits for a stage to complete: wide, since build machines are busy.
   *
   * @return 30 seconds by default
   */
  protected Duration timeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * Returns a new mail to {@code kit@example.com} with a subject unique to this call, a text and
   * an HTML body and the code {@link #CODE}.
   *
   * @return the mail
   */
  protected EmailMessage message() {
    return message("kit@example.com");
  }

  private static EmailMessage message(String to) {
    String id = UUID.randomUUID().toString();
    return EmailMessage.builder(EmailAddress.parse(to))
        .subject("mailverify kit " + id)
        .text("Your code is " + CODE + ". It is valid for 10 minutes.\n")
        .html("<p>Your code is <b>" + CODE + "</b>. It is valid for 10 minutes.</p>")
        .code(CODE)
        .build();
  }

  private MailTransport transport() {
    return opened(createTransport(), "createTransport()");
  }

  private MailTransport failingTransport() {
    MailTransport failing = createFailingTransport();
    assumeTrue(failing != null, "this transport cannot be made to fail (createFailingTransport() is null)");
    return opened(failing, "createFailingTransport()");
  }

  private MailTransport opened(@Nullable MailTransport t, String method) {
    assertNotNull(t, method + " returned null");
    opened.add(t);
    return t;
  }

  @AfterEach
  void closeTransports() {
    for (MailTransport t : opened) {
      t.close();
    }
  }

  /**
   * Waits for a stage: its receipt, or its DeliveryException thrown; anything else fails the test.
   */
  private DeliveryReceipt await(CompletionStage<DeliveryReceipt> stage) {
    CompletableFuture<DeliveryReceipt> future = stage.toCompletableFuture();
    try {
      return future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("C27: the stage of sendAsync did not complete within " + timeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof DeliveryException d) {
        throw d;
      }
      throw new AssertionError("C27: the stage of sendAsync failed with something other than a DeliveryException: "
          + cause, cause);
    }
  }

  private DeliveryException awaitFailure(CompletionStage<DeliveryReceipt> stage) {
    DeliveryReceipt receipt;
    try {
      receipt = await(stage);
    } catch (DeliveryException expected) {
      return expected;
    }
    throw new AssertionError("the stage completed with " + receipt + " although the next hop refuses every mail");
  }

  private static void assertNoCode(String text, String what) {
    assertFalse(text.contains(CODE), "C16: " + what + " shows the code: " + text);
  }

  @Test
  @DisplayName("send returns only when the next hop has the mail")
  void sendDelivers() {
    MailTransport t = transport();
    EmailMessage m = message();
    t.send(m);
    assertTrue(received(m), "send returned normally but the next hop has no such mail");
  }

  @Test
  @DisplayName("C27: the stage of sendAsync completes with a receipt of at least one attempt, and the mail arrived")
  void sendAsyncCompletesWithReceipt() {
    MailTransport t = transport();
    EmailMessage m = message();
    DeliveryReceipt receipt = await(assertDoesNotThrow(() -> t.sendAsync(m), "sendAsync threw"));
    assertNotNull(receipt, "the stage completed with null");
    assertTrue(receipt.attempts() >= 1, "a receipt after " + receipt.attempts() + " attempts");
    assertTrue(received(m), "the stage completed with a receipt but the next hop has no such mail");
  }

  @Test
  @DisplayName("C27: queues() tells the truth - always the same answer; a transport that does not queue has the mail once its stage is complete")
  void queuesTellsTheTruth() {
    MailTransport t = transport();
    boolean queues = t.queues();
    EmailMessage m = message();
    CompletableFuture<DeliveryReceipt> stage = t.sendAsync(m).toCompletableFuture();
    if (!queues && stage.isDone() && !stage.isCompletedExceptionally()) {
      assertTrue(received(m), "queues() is false and sendAsync answered at once, but the mail has not arrived:"
          + " the service would report it as sent while it still waits somewhere");
    }
    await(stage);
    assertEquals(queues, t.queues(), "queues() changed its answer after a send");
    assertTrue(received(m));
  }

  @Test
  @DisplayName("only a DeliveryException escapes send when the next hop refuses the mail, and it names no code (C16, C24)")
  void sendFailureIsDeliveryException() {
    MailTransport t = failingTransport();
    EmailMessage m = message();
    DeliveryException e = assertThrows(DeliveryException.class, () -> t.send(m));
    assertNotNull(e.category(), "the failure has no category");
    assertFalse(e.hint().isBlank(), "the failure has no hint");
    assertNoCode(String.valueOf(e.getMessage()), "the failure's message");
    assertNoCode(e.toString(), "the failure's toString");
  }

  @Test
  @DisplayName("C27: sendAsync never throws when the next hop refuses the mail; its stage fails with a DeliveryException, after at least one attempt if the transport queues")
  void sendAsyncFailureCompletesExceptionally() {
    MailTransport t = failingTransport();
    EmailMessage m = message();
    CompletionStage<DeliveryReceipt> stage = assertDoesNotThrow(() -> t.sendAsync(m), "sendAsync threw");
    assertNotNull(stage, "sendAsync returned null");
    DeliveryException e = awaitFailure(stage);
    assertNoCode(String.valueOf(e.getMessage()), "the failure's message");
    if (t.queues()) {
      assertTrue(e.attempts() >= 1, "a queuing transport reported a refusal by the next hop with attempts() = "
          + e.attempts() + ", which the service takes for a refusal at intake (QUEUE_FULL, CLOSED)");
    }
  }

  @Test
  @DisplayName("C27: close may be called twice, on a used and on an unused transport, and never throws")
  void closeIsIdempotent() {
    MailTransport used = transport();
    used.send(message());
    assertDoesNotThrow(used::close);
    assertDoesNotThrow(used::close);

    MailTransport failing = createFailingTransport();
    if (failing != null) {
      opened.add(failing);
      assertDoesNotThrow(failing::close);
      assertDoesNotThrow(failing::close);
    }
  }

  @Test
  @DisplayName("C27: after close, sendAsync is still answered - a receipt or a DeliveryException, never a hang")
  void sendAsyncAfterCloseIsAnswered() {
    MailTransport t = transport();
    t.close();
    EmailMessage m = message();
    CompletionStage<DeliveryReceipt> stage = assertDoesNotThrow(() -> t.sendAsync(m), "sendAsync threw after close");
    try {
      await(stage);
    } catch (DeliveryException expected) {
      assertNoCode(String.valueOf(expected.getMessage()), "the failure's message");
    }
  }

  @Test
  @DisplayName("sends from " + THREADS + " threads at once all arrive: a transport is thread-safe")
  void concurrentSendsAllArrive() throws Exception {
    MailTransport t = transport();
    List<EmailMessage> messages = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      messages.add(message("kit" + i + "@example.com"));
    }
    Race.run(THREADS, i -> {
      t.send(messages.get(i));
      return i;
    });
    for (EmailMessage m : messages) {
      assertTrue(received(m), "a mail sent concurrently did not arrive: " + m.subject());
    }
  }

  @Test
  @DisplayName("C16: toString never shows the code of a mail it sent")
  void toStringShowsNoCode() {
    MailTransport t = transport();
    t.send(message());
    assertNoCode(t.toString(), "toString");
  }

  @Test
  @DisplayName("send(null) fails at once with a NullPointerException")
  @SuppressWarnings("NullAway") // null on purpose
  void sendNullIsRefused() {
    MailTransport t = transport();
    EmailMessage none = null;
    assertThrows(NullPointerException.class, () -> t.send(none));
  }
}
