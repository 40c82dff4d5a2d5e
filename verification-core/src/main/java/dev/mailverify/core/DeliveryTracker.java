package dev.mailverify.core;

import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.DeliveryOutcome;
import dev.mailverify.core.spi.EmailMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a code's mail to the transport and keeps the books of what becomes of it. A mail that
 * fails kills its code (C25) and lifts the cooldown (C13); a mail an asynchronous transport queued
 * is followed to its final outcome, which is reported as a DELIVER event (C27).
 *
 * <p>The latest send per address and type is remembered while its mail may still fail: a queued
 * mail that fails after a newer send for the same key must not kill the newer code.
 */
final class DeliveryTracker {
  private static final Logger LOG = LoggerFactory.getLogger(VerificationCodeService.class);

  private final MailTransport transport;
  private final CodeStore store;
  private final Clock clock;
  private final ServiceEvents events;
  /** The latest send per key while its mail may still fail. */
  private final ConcurrentMap<CodeKey, Ticket> inFlight = new ConcurrentHashMap<>();

  /** Lifts the cooldown of a key whose mail failed on another instance's behalf. */
  private final BiConsumer<CodeKey, Instant> liftCooldown;

  DeliveryTracker(MailTransport transport, CodeStore store, Clock clock, ServiceEvents events,
      BiConsumer<CodeKey, Instant> liftCooldown) {
    this.transport = transport;
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.liftCooldown = liftCooldown;
    transport.adoptOutcomes(this::adopted); // C31: mails this instance finishes for a stopped one
  }

  /**
   * Marks a send as the latest for its key. Call it before the code is stored: a failing older
   * mail invalidates its code under the map's lock for the key, so the newer code's issue waits
   * for it and survives.
   */
  Ticket track(CodeKey key, SendRequest request, EmailAddress address, Admission.Permits permits, Instant now,
      String messageId) {
    Ticket ticket = new Ticket(key, request, address, permits, now, messageId);
    ticket.previous = inFlight.put(key, ticket);
    return ticket;
  }

  /**
   * Forgets a send whose code was not stored (refused by a limit the store checks, or failed at
   * the store), putting back the send it displaced, whose mail may still fail and kill its code.
   */
  void untrack(Ticket ticket) {
    Ticket previous = ticket.previous;
    if (previous != null) {
      inFlight.replace(ticket.key, ticket, previous);
    } else {
      inFlight.remove(ticket.key, ticket);
    }
  }

  /**
   * Hands the mail to the transport. A mail that failed at once has its code invalidated and its
   * cooldown lifted before this returns.
   */
  Handover handOver(Ticket ticket, EmailMessage message, Instant expiresAt) {
    ticket.previous = null; // its code is stored: the displaced send is history
    CompletableFuture<DeliveryReceipt> outcome = new CompletableFuture<>();
    try {
      transport.sendAsync(message, new DeliveryContext(ticket.key, ticket.request.clientKey(), ticket.queuedAt))
          .whenComplete((receipt, error) -> {
        if (error != null) {
          outcome.completeExceptionally(error);
        } else {
          outcome.complete(receipt);
        }
      });
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
    }
    EmailAddress address = ticket.address;
    VerificationType type = ticket.request.type();
    if (!outcome.isDone() || (transport.queues() && !refusedAtIntake(outcome))) {
      // C27: queued; the final outcome is reported when the transport completes the stage (at once
      // if a fast worker already did: the caller still learns that the mail went through the queue)
      return new Handover(ticket, outcome, new SendResult.Sent(address, type, expiresAt, SendResult.Delivery.QUEUED));
    }
    inFlight.remove(ticket.key, ticket);
    DeliveryException failure = failureOf(outcome);
    if (failure != null) {
      if (failure.category() != DeliveryException.Category.STORE_UNAVAILABLE) {
        store.invalidate(ticket.key); // a code nobody received must not stay guessable (C25)
      } // else an outbox that timed out may still have queued the mail: its code must work if it comes (C27)
      ticket.permits.liftCooldown(ticket.queuedAt); // C13: no cooldown after a failure, the caps still count
      return new Handover(ticket, outcome, new SendResult.DeliveryFailed(failure));
    }
    return new Handover(ticket, outcome, new SendResult.Sent(address, type, expiresAt, SendResult.Delivery.ACCEPTED));
  }

  /** Whether a completed stage failed before the mail was tried at all (a full or closed queue). */
  private boolean refusedAtIntake(CompletableFuture<DeliveryReceipt> done) {
    DeliveryException failure = failureOf(done);
    return failure != null && failure.attempts() == 0
        && failure.category() != DeliveryException.Category.OUTCOME_UNKNOWN;
  }

  /** The failure of a completed stage as a DeliveryException, or null if it succeeded. */
  private @Nullable DeliveryException failureOf(CompletableFuture<DeliveryReceipt> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return asDeliveryException(cause);
    }
  }

  private DeliveryException asDeliveryException(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof DeliveryException d ? d
        : new DeliveryException(DeliveryException.Category.UNKNOWN,
            "transport " + transport.getClass().getSimpleName() + " failed: " + cause.getClass().getName(), cause);
  }

  /**
   * Reports the final outcome of a queued mail (C27) and, on failure, invalidates its code and
   * lifts the cooldown (C25, C13), but only if no newer send for the same key happened in this
   * service since: the newer code must survive an older mail's failure.
   */
  private void delivered(Ticket ticket, @Nullable DeliveryReceipt receipt, @Nullable Throwable error) {
    Instant at = clock.instant();
    Duration elapsed = at.isBefore(ticket.queuedAt) ? Duration.ZERO : Duration.between(ticket.queuedAt, at);
    EmailAddress address = ticket.address;
    if (error == null) {
      inFlight.remove(ticket.key, ticket);
      events.publish(deliverEvent(ticket, at, Outcome.DELIVERED)
          .attempts(receipt == null ? 1 : receipt.attempts()).elapsed(elapsed));
      return;
    }
    DeliveryException failure = asDeliveryException(error);
    boolean mayArrive = failure.category() == DeliveryException.Category.OUTCOME_UNKNOWN; // C27: keep its code
    try {
      inFlight.computeIfPresent(ticket.key, (k, current) -> {
        if (current != ticket) {
          return current;
        }
        if (!mayArrive) {
          store.invalidate(k); // under the map's lock for this key, so a newer send's issue waits for it
          ticket.permits.liftCooldown(at);
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("could not invalidate the code of a failed mail to {}: {}", address.masked(), e.toString());
    }
    events.publish(deliverEvent(ticket, at, Outcome.DELIVERY_FAILED).deliveryFailure(failure)
        .attempts(failure.attempts()).elapsed(elapsed));
  }

  /**
   * Reports the final outcome of a mail another instance queued and this one finished from the
   * durable outbox (C31), like {@link #delivered}: a failure invalidates the code and lifts the
   * cooldown, unless this instance issued a newer code for the key since.
   */
  private void adopted(DeliveryOutcome outcome) {
    DeliveryContext context = outcome.entry().context();
    CodeKey key = context.codeKey();
    EmailAddress address = outcome.entry().message().to();
    Instant at = clock.instant();
    Duration elapsed = at.isBefore(context.queuedAt()) ? Duration.ZERO : Duration.between(context.queuedAt(), at);
    VerificationType type = key != null ? key.type() : VerificationType.of("unknown");
    DeliveryException failure = outcome.failure();
    DeliveryReceipt receipt = outcome.receipt();
    if (failure == null) {
      events.publish(ServiceEvents.event(at, Action.DELIVER, type, address, context.clientKey(), Outcome.DELIVERED)
          .messageId(outcome.entry().message().messageId())
          .attempts(receipt == null ? 1 : receipt.attempts()).elapsed(elapsed));
      return;
    }
    if (key != null && failure.category() != DeliveryException.Category.OUTCOME_UNKNOWN) {
      try {
        inFlight.compute(key, (k, current) -> {
          if (current == null) { // no newer send for this key on this instance
            store.invalidate(k);
            liftCooldown.accept(k, at);
          }
          return current;
        });
      } catch (RuntimeException e) {
        LOG.warn("could not invalidate the code of a failed mail to {}: {}", address.masked(), e.toString());
      }
    }
    events.publish(ServiceEvents.event(at, Action.DELIVER, type, address, context.clientKey(),
        Outcome.DELIVERY_FAILED).messageId(outcome.entry().message().messageId()).deliveryFailure(failure)
        .attempts(failure.attempts()).elapsed(elapsed));
  }

  private static VerificationEvent.Builder deliverEvent(Ticket ticket, Instant at, Outcome outcome) {
    return ServiceEvents.event(at, Action.DELIVER, ticket.request.type(), ticket.address,
        ticket.request.clientKey(), outcome).messageId(ticket.messageId);
  }

  /** One send's mail, from the moment its code is about to be stored. */
  static final class Ticket {
    private final CodeKey key;
    private final SendRequest request;
    private final EmailAddress address;
    private final Admission.Permits permits;
    private final Instant queuedAt;
    /** The send this one displaced, until this one's code is stored (set once, by {@link #track}). */
    private @Nullable Ticket previous;
    /** The mail's Message-ID, decided when it was made: the same in the SEND and DELIVER events. */
    private final String messageId;

    private Ticket(CodeKey key, SendRequest request, EmailAddress address, Admission.Permits permits,
        Instant queuedAt, String messageId) {
      this.messageId = messageId;
      this.key = key;
      this.request = request;
      this.address = address;
      this.permits = permits;
      this.queuedAt = queuedAt;
    }
  }

  /** A mail handed to the transport: the answer for the caller, and the outcome still to report. */
  final class Handover {
    private final Ticket ticket;
    private final CompletableFuture<DeliveryReceipt> outcome;
    private final SendResult result;

    private Handover(Ticket ticket, CompletableFuture<DeliveryReceipt> outcome, SendResult result) {
      this.ticket = ticket;
      this.outcome = outcome;
      this.result = result;
    }

    /** The answer for the caller: sent, queued or failed. */
    SendResult result() {
      return result;
    }

    /**
     * For a queued mail, reports its final outcome as a DELIVER event when the transport knows it.
     * Call it after the send's own event, so that listeners see QUEUED before the outcome.
     */
    void reportWhenDone() {
      if (result instanceof SendResult.Sent sent && sent.isQueued()) {
        outcome.whenComplete((receipt, error) -> delivered(ticket, receipt, error));
      }
    }
  }
}
