package dev.mailverify.core;

import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the service's events (C17): writes the audit line and hands each event to every
 * listener. Maps each send and verify result to its event, with the typed fields the result has.
 */
final class ServiceEvents {
  private static final Logger AUDIT = LoggerFactory.getLogger("dev.mailverify.audit");
  private static final Logger LOG = LoggerFactory.getLogger(VerificationCodeService.class);

  private final List<VerificationListener> listeners;

  ServiceEvents(List<VerificationListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Starts an event. */
  static VerificationEvent.Builder event(Instant at, Action action, VerificationType type,
      @Nullable EmailAddress address, @Nullable String clientKey, Outcome outcome) {
    return VerificationEvent.builder(at, action, type, outcome).email(address).clientKey(clientKey);
  }

  /** Publishes the answer to a send request. */
  void send(Instant at, SendRequest request, @Nullable EmailAddress address, SendResult result,
      @Nullable String messageId) {
    VerificationEvent.Builder e;
    if (result instanceof SendResult.Sent sent) {
      e = event(at, Action.SEND, request.type(), address, request.clientKey(),
          sent.isQueued() ? Outcome.QUEUED : Outcome.SENT).expiresAt(sent.expiresAt());
    } else if (result instanceof SendResult.RateLimited limited) {
      e = event(at, Action.SEND, request.type(), address, request.clientKey(), Outcome.RATE_LIMITED)
          .limit(limited.limit());
    } else if (result instanceof SendResult.InvalidAddress invalid) {
      e = event(at, Action.SEND, request.type(), address, request.clientKey(), Outcome.INVALID_ADDRESS)
          .invalidAddressReason(invalid.reason());
    } else if (result instanceof SendResult.DeliveryFailed failed) {
      e = event(at, Action.SEND, request.type(), address, request.clientKey(), Outcome.DELIVERY_FAILED)
          .deliveryFailure(failed.cause());
    } else {
      throw new IllegalStateException("unknown send result " + result.getClass().getName());
    }
    publish(e.messageId(messageId));
  }

  /** Publishes the answer to a verify call. */
  void verify(Instant at, VerificationType type, @Nullable EmailAddress address, VerifyResult result,
      VerificationEvent.@Nullable Reason reason) {
    Outcome outcome;
    if (result instanceof VerifyResult.Verified) {
      outcome = Outcome.VERIFIED;
    } else if (result instanceof VerifyResult.Invalid) {
      outcome = Outcome.INVALID;
    } else if (result instanceof VerifyResult.Expired) {
      outcome = Outcome.EXPIRED;
    } else if (result instanceof VerifyResult.Locked) {
      outcome = Outcome.LOCKED;
    } else if (result instanceof VerifyResult.CodeRequired) {
      outcome = Outcome.CODE_REQUIRED;
    } else {
      outcome = Outcome.NOT_FOUND;
    }
    publish(event(at, Action.VERIFY, type, address, null, outcome).reason(reason));
  }

  /** Publishes the answer to a redeem call. */
  void redeem(Instant at, VerificationType type, @Nullable EmailAddress address, boolean redeemed,
      VerificationEvent.@Nullable Reason reason) {
    publish(event(at, Action.REDEEM, type, address, null, redeemed ? Outcome.REDEEMED : Outcome.REDEEM_FAILED)
        .reason(reason));
  }

  /** Writes the audit line (C17) and hands the event to every listener; a failing listener is logged. */
  void publish(VerificationEvent.Builder builder) {
    VerificationEvent event = builder.build();
    boolean warn = event.outcome() == Outcome.DELIVERY_FAILED;
    if (warn ? AUDIT.isWarnEnabled() : AUDIT.isInfoEnabled()) {
      String line = auditLine(event);
      if (warn) {
        AUDIT.warn("{}", line);
      } else {
        AUDIT.info("{}", line);
      }
    }
    for (VerificationListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("VerificationListener {} failed on {}", listener, event, e);
      }
    }
  }

  /**
   * The audit line: masked address, never a code or a token (C16). The line of a mail's final
   * outcome names its {@code message-id}. A failed delivery ends with its
   * whole description ({@code failure="AUTHENTICATION (permanent), reply ..., reason: ...; hint:
   * ..."}), once per failure, with every address in the server's reply masked.
   */
  static String auditLine(VerificationEvent event) {
    EmailAddress address = event.email();
    String clientKey = event.clientKey();
    String detail = event.detail();
    Duration elapsed = event.elapsed();
    // the Message-ID goes on the line of the mail's final outcome (SENT, DELIVERED, DELIVERY_FAILED);
    // a QUEUED line is followed by the DELIVER line that carries it
    String messageId = event.outcome() == Outcome.QUEUED ? null : event.messageId();
    FailureDescription failure = event.failure();
    if (failure != null) {
      failure = failure.withAddressesMasked();
    }
    return event.action() + " type=" + event.type() + " to=" + (address == null ? "-" : address.masked())
        + " client=" + (clientKey == null ? "-" : clientKey) + " outcome=" + event.outcome()
        + (detail == null ? "" : " detail=" + detail)
        + (event.attempts() == 0 ? "" : " attempts=" + event.attempts())
        + (elapsed == null ? "" : " elapsed=" + elapsed.toMillis() + "ms")
        + (messageId == null ? "" : " message-id=" + messageId)
        + (failure == null ? "" : " failure=\"" + failure.toString().replace('"', '\'') + "\"");
  }
}
