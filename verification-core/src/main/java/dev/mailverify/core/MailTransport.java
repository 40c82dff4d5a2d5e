package dev.mailverify.core;

import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.DeliveryOutcome;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Hands an {@link EmailMessage} to its next hop. Implementations must be thread-safe.
 *
 * <p>Built-ins: {@link #console()} for development, {@link #inMemory()} for tests,
 * {@link #files(Path)} for {@code .eml} files; {@code verification-smtp} adds SMTP. Swap them
 * freely: the service only sees this interface.
 */
public interface MailTransport extends AutoCloseable {

  /**
   * Sends one message. Returns normally only when the next hop accepted it.
   *
   * @param message the message; not null
   * @throws DeliveryException with a category, transience and a hint when the message was not
   *     accepted; implementations must not throw anything else for a delivery problem
   */
  void send(EmailMessage message);

  /**
   * Hands one message over without waiting for the next hop, where the transport can (C27). The
   * stage completes with a {@link DeliveryReceipt} when the next hop accepted the message, or
   * exceptionally with a {@link DeliveryException} (a full queue fails it at once with
   * {@link DeliveryException.Category#QUEUE_FULL}). It never completes with anything else.
   *
   * <p>The default calls {@link #send} on the caller's thread and returns a completed stage, so a
   * synchronous transport needs nothing more. For a transport that {@link #queues()}, the service
   * answers {@link SendResult.Delivery#QUEUED} whenever the mail was taken into the queue, even if a
   * fast worker already finished it, and reports the final outcome as a DELIVER event; only a
   * refusal at intake (a failed stage whose {@link DeliveryException#attempts()} is 0, such as
   * {@link DeliveryException.Category#QUEUE_FULL}) is an immediate {@link SendResult.DeliveryFailed}.
   * For any other transport, a stage already complete when this method returns is a synchronous
   * answer and an incomplete one is {@code QUEUED}.
   *
   * @param message the message; not null
   * @return the stage of the final outcome
   */
  default CompletionStage<DeliveryReceipt> sendAsync(EmailMessage message) {
    try {
      send(message);
      return CompletableFuture.completedFuture(DeliveryReceipt.FIRST_ATTEMPT);
    } catch (DeliveryException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new DeliveryException(DeliveryException.Category.UNKNOWN,
          "transport " + getClass().getSimpleName() + " failed: " + e.getClass().getName(), e));
    }
  }

  /**
   * Hands one message over like {@link #sendAsync(EmailMessage)}, with what the sender knows about
   * it: the code it carries and when it was queued. A transport that may finish the mail on another
   * instance (an {@link AsyncMailTransport} with a durable
   * {@linkplain dev.mailverify.core.spi.MailOutbox outbox}, C31) stores the context with the mail, so
   * the instance that finishes it can report it and invalidate its code on a permanent failure.
   *
   * <p>The default ignores the context and calls {@link #sendAsync(EmailMessage)}. A decorator
   * passes the context on.
   *
   * @param message the message; not null
   * @param context what the sender knows about it; not null
   * @return the stage of the final outcome, as for {@link #sendAsync(EmailMessage)}
   */
  default CompletionStage<DeliveryReceipt> sendAsync(EmailMessage message, DeliveryContext context) {
    return sendAsync(message);
  }

  /**
   * Sets who hears the final outcome of mails this transport finishes for another instance: mails
   * taken over from a durable outbox after the instance that accepted them stopped (C31). The
   * verification service calls it once when it is built, and reports each such outcome to its
   * listeners (a DELIVER event) and, on a failure, invalidates the code (C25).
   *
   * <p>The default does nothing: a transport without a durable queue never finishes another
   * instance's mail. A decorator passes the handler on.
   *
   * @param handler called once per adopted outcome, on a transport thread; not null; must not
   *     throw (a throw is logged)
   */
  default void adoptOutcomes(Consumer<DeliveryOutcome> handler) {}

  /**
   * Tells whether this transport puts mail in a queue and delivers it later
   * ({@link dev.mailverify.core.transport.AsyncMailTransport}), so that a send is answered
   * "queued" however fast the queue moves. A decorator returns its delegate's answer.
   *
   * @return {@code false} by default
   */
  default boolean queues() {
    return false;
  }

  /**
   * Returns the sender this transport writes on a mail that names none (an SMTP transport's
   * configured From). The service makes the {@code Message-ID} of a mail without a sender of its
   * own on this sender's domain, so that the identifier decided when the mail is made is the one
   * the receiver sees (a Message-ID made without any sender is on {@code mailverify.invalid}).
   * A decorator returns its delegate's answer.
   *
   * @return the default sender, or empty (the default) when the transport has none
   */
  default Optional<Mailbox> defaultSender() {
    return Optional.empty();
  }

  /** Releases connections and threads. The default does nothing. Never throws. */
  @Override
  default void close() {}

  /**
   * Returns a transport that prints each mail, code included, to standard output, with a
   * one-time banner saying that no mail is really sent. For development only.
   *
   * @return a console transport
   */
  static ConsoleTransport console() {
    return ConsoleTransport.toStdout();
  }

  /**
   * Returns an in-memory outbox for tests: read messages and codes back, wait for them, make the
   * next send fail.
   *
   * @return a new, empty outbox
   */
  static InMemoryOutbox inMemory() {
    return new InMemoryOutbox();
  }

  /**
   * Returns a transport that writes each mail as a standard {@code .eml} file into a folder.
   *
   * @param directory the folder; created if missing
   * @return a file transport
   */
  static FileTransport files(Path directory) {
    return FileTransport.create(directory);
  }

  /**
   * Starts a builder for an asynchronous transport over {@code delegate}: a bounded queue, worker
   * threads, retries of transient failures and a bounded drain on close (C25, C27).
   *
   * <pre>{@code
   * AsyncMailTransport transport = MailTransport.async(smtp).capacity(1_000).workers(4).build();
   * }</pre>
   *
   * @param delegate the transport that really sends; not null; closed with the async transport
   * @return a builder
   */
  static AsyncMailTransport.Builder async(MailTransport delegate) {
    return AsyncMailTransport.builder(delegate);
  }
}
