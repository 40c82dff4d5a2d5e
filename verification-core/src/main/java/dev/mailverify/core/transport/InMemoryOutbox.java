package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Test transport: keeps every mail in memory so a test can read it, and the code in it, back.
 *
 * <pre>{@code
 * InMemoryOutbox outbox = MailTransport.inMemory();
 * VerificationCodeService service = VerificationCodeService.builder().transport(outbox).build();
 * service.sendVerificationCode("user@example.com", VerificationType.LOGIN, Duration.ofMinutes(5));
 * String code = outbox.latestCode("user@example.com").orElseThrow();
 * }</pre>
 *
 * <p>{@link #failNext(DeliveryException...)} makes the next sends fail, to test how an application
 * handles a delivery failure. Thread-safe.
 */
public final class InMemoryOutbox implements MailTransport {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<EmailMessage> messages = new ArrayList<>();
  private final Deque<DeliveryException> failures = new ArrayDeque<>();

  /** Creates an empty outbox; {@link MailTransport#inMemory()} does the same. */
  public InMemoryOutbox() {}

  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    lock.lock();
    try {
      DeliveryException failure = failures.pollFirst();
      if (failure != null) {
        throw failure;
      }
      messages.add(message);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the next sends throw these failures, one per send, in order.
   *
   * @param next the failures; not null
   */
  public void failNext(DeliveryException... next) {
    lock.lock();
    try {
      for (DeliveryException e : next) {
        failures.addLast(Objects.requireNonNull(e, "failure"));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns every message sent so far, oldest first.
   *
   * @return a snapshot
   */
  public List<EmailMessage> messages() {
    lock.lock();
    try {
      return List.copyOf(messages);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the messages sent to an address (compared case-insensitively after normalization).
   *
   * @param email the address; not null
   * @return a snapshot, oldest first
   */
  public List<EmailMessage> messagesTo(String email) {
    String key = EmailAddress.parse(email).key();
    return messages().stream().filter(m -> m.to().key().equals(key)).toList();
  }

  /**
   * Returns the most recent message sent to an address.
   *
   * @param email the address; not null
   * @return the message, or empty
   */
  public Optional<EmailMessage> latestTo(String email) {
    List<EmailMessage> to = messagesTo(email);
    return to.isEmpty() ? Optional.empty() : Optional.of(to.get(to.size() - 1));
  }

  /**
   * Returns the code in the most recent message sent to an address: what the user would type.
   *
   * @param email the address; not null
   * @return the code, or empty if nothing with a code was sent there
   */
  public Optional<String> latestCode(String email) {
    List<EmailMessage> to = messagesTo(email);
    for (int i = to.size() - 1; i >= 0; i--) {
      String code = to.get(i).code();
      if (code != null) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /**
   * Waits until at least {@code count} messages were sent in all.
   *
   * @param count how many messages to wait for, at least 1
   * @param timeout how long to wait at most
   * @return the messages, once there are at least {@code count}
   * @throws IllegalStateException if the timeout passes first, or the thread is interrupted
   */
  public List<EmailMessage> awaitMessages(int count, Duration timeout) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (messages.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("expected " + count + " messages within " + timeout + ", got "
              + messages.size());
        }
        arrived.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      }
      return List.copyOf(messages);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + count + " messages", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many messages were sent.
   *
   * @return the count
   */
  public int size() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every message and pending failure. */
  public void clear() {
    lock.lock();
    try {
      messages.clear();
      failures.clear();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryOutbox[" + size() + " messages]";
  }
}
