package dev.mailverify.spring;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The transport the service sends through: the {@link MailTransport} bean, wrapped as configured by
 * a sender budget ({@code mailverify.budget.*}), failover servers ({@code mailverify.failover.*})
 * and asynchronous delivery with retries ({@code mailverify.async.*}, {@code mailverify.retry.*}), its
 * queue in memory or in a durable outbox ({@code mailverify.async.outbox.*}).
 * Closing it (with the application context) drains the queue within
 * {@code mailverify.async.drain-timeout} and closes the wrappers and the failover servers.
 */
public final class MailVerifyDelivery implements AutoCloseable {
  private final MailTransport base;
  private final MailTransport transport;
  private final @Nullable AsyncMailTransport async;
  private final @Nullable MailOutbox outbox;

  MailVerifyDelivery(MailTransport base, MailTransport transport, @Nullable AsyncMailTransport async,
      @Nullable MailOutbox outbox) {
    this.base = Objects.requireNonNull(base, "base");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.async = async;
    this.outbox = outbox;
  }

  /** The durable outbox of the queue ({@code mailverify.async.outbox.*}), or null. */
  @Nullable MailOutbox outbox() {
    return outbox;
  }

  /**
   * Returns the outermost transport, the one the service sends through.
   *
   * @return the transport
   */
  public MailTransport transport() {
    return transport;
  }

  /**
   * Returns whether delivery is asynchronous.
   *
   * @return true with {@code mailverify.async.enabled=true}
   */
  public boolean isAsync() {
    return async != null;
  }

  /**
   * Returns the messages waiting in the asynchronous queue, or 0 when delivery is synchronous.
   *
   * @return the queue depth
   */
  public int queued() {
    return async == null ? 0 : async.queuedCount();
  }

  /** Drains the queue and closes the wrappers; the wrapped transport bean is closed by its own bean. */
  @Override
  public void close() {
    if (transport != base) {
      transport.close();
    }
  }

  @Override
  public String toString() {
    return "MailVerifyDelivery[" + transport + "]";
  }
}
