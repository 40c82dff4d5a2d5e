package dev.mailverify.core.testkit;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A transport that fails on a schedule: each send takes the next scripted outcome (a failure, or
 * success when the script is empty or holds {@link #OK}), and records the message it was given.
 * A send can be made to wait on a gate, to hold a worker without sleeping.
 */
public final class ScriptedTransport implements MailTransport {
  /** A scripted success. */
  public static final DeliveryException OK = new DeliveryException(DeliveryException.Category.UNKNOWN, "ok", null);

  private final ConcurrentLinkedQueue<DeliveryException> script = new ConcurrentLinkedQueue<>();
  private final List<EmailMessage> calls = new ArrayList<>();
  private volatile @Nullable CountDownLatch gate;
  private final CountDownLatch entered = new CountDownLatch(1);

  /**
   * Scripts the next outcomes in order.
   *
   * @param outcomes failures, or {@link #OK}
   * @return this
   */
  public ScriptedTransport then(DeliveryException... outcomes) {
    script.addAll(List.of(outcomes));
    return this;
  }

  /**
   * Makes every send wait until {@link #open()}.
   *
   * @return this
   */
  public ScriptedTransport gated() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Lets waiting and future sends through. */
  public void open() {
    CountDownLatch g = gate;
    if (g != null) {
      g.countDown();
    }
  }

  /**
   * Waits until a send has started.
   *
   * @throws InterruptedException if interrupted
   */
  public void awaitEntered() throws InterruptedException {
    if (!entered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no send started within 10 s");
    }
  }

  @Override
  public void send(EmailMessage message) {
    synchronized (calls) {
      calls.add(message);
    }
    entered.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        if (!g.await(30, TimeUnit.SECONDS)) {
          throw new DeliveryException(DeliveryException.Category.TIMEOUT, "gate never opened", null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException(DeliveryException.Category.CONNECTION_LOST, "interrupted", e);
      }
    }
    DeliveryException next = script.poll();
    if (next != null && next != OK) {
      throw next;
    }
  }

  /**
   * Returns every message handed to this transport, in order, retries included.
   *
   * @return a copy
   */
  public List<EmailMessage> calls() {
    synchronized (calls) {
      return new ArrayList<>(calls);
    }
  }

  /**
   * Returns a failure with an SMTP reply code.
   *
   * @param category the category
   * @param replyCode the code
   * @return the failure
   */
  public static DeliveryException smtp(DeliveryException.Category category, int replyCode) {
    return DeliveryException.builder(category, replyCode + " scripted").replyCode(replyCode).build();
  }
}
