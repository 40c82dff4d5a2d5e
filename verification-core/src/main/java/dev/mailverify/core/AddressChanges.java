package dev.mailverify.core;

import dev.mailverify.core.VerificationEvent.Reason;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.AddressChangeContext;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TokenRecord;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change of address that protects the old one (C33): the notice to the old address with its
 * "this wasn't me" link, and the single-use revert of that link. A revert token is a
 * {@link TokenRecord} of type {@link VerificationType#CHANGE_EMAIL} for the old address that
 * carries the new one, stored under the token's keyed hash ({@link Secrets#revertHashes}), so it
 * never redeems as any other token.
 */
final class AddressChanges {
  private static final Logger LOG = LoggerFactory.getLogger(VerificationCodeService.class);
  /** The type of the notice's send event and of a revert token's record. */
  private static final VerificationType TYPE = VerificationType.CHANGE_EMAIL;

  private final ServiceSettings settings;
  private final CodeStore store;
  private final Clock clock;
  private final Secrets secrets;
  private final ServiceEvents events;
  private final @Nullable Mailbox idSender;

  AddressChanges(ServiceSettings settings, ServiceEvents events) {
    this.settings = settings;
    this.store = settings.store();
    this.clock = settings.clock();
    this.secrets = settings.secrets();
    this.events = events;
    Mailbox from = settings.from();
    this.idSender = from != null ? from : settings.transport().defaultSender().orElse(null);
  }

  SendResult notifyChanged(String oldEmail, String newEmail, Locale locale) {
    URI base = settings.revertLinkBaseUrl();
    if (base == null) {
      throw new IllegalStateException("notifyAddressChanged needs the revert page: set"
          + " VerificationCodeService.builder().revertLinkBaseUrl(URI) to the page of the \"this wasn't me\" link");
    }
    Instant now = clock.instant();
    SendRequest request = SendRequest.builder(oldEmail, TYPE).locale(locale).build();
    EmailAddress oldAddress;
    EmailAddress newAddress;
    try {
      oldAddress = EmailAddress.parse(oldEmail);
    } catch (InvalidAddressException e) {
      return answer(now, request, null, new SendResult.InvalidAddress(e.reason(), "oldEmail: " + e.getMessage()), null);
    }
    try {
      newAddress = EmailAddress.parse(newEmail);
    } catch (InvalidAddressException e) {
      return answer(now, request, oldAddress,
          new SendResult.InvalidAddress(e.reason(), "newEmail: " + e.getMessage()), null);
    }
    Duration validity = settings.revertLinkValidity();
    Instant expiresAt = now.plus(validity);
    String token = secrets.newToken();
    String link = link(base, token);
    RenderedMail mail = settings.renderer().renderAddressChanged(
        AddressChangeContext.builder(oldAddress, newAddress, now, link)
            .locale(locale).revertValidity(validity).appName(settings.appName()).build());
    EmailMessage message = EmailMessage.builder(oldAddress)
        .from(settings.from())
        .subject(mail.subject())
        .text(mail.text())
        .html(mail.html())
        .date(now)
        .notAfter(expiresAt)
        .messageId(MimeWriter.newMessageId(idSender))
        .build();
    String name = secrets.revertHashes(token).get(0);
    store.storeToken(name, new TokenRecord(oldAddress.address(), TYPE, now, expiresAt, newAddress.address()), now);

    CompletableFuture<DeliveryReceipt> outcome;
    try {
      outcome = settings.transport().sendAsync(message, DeliveryContext.of(now)).toCompletableFuture();
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    DeliveryException failure = outcome.isDone() ? failureOf(outcome) : null;
    boolean queued = !outcome.isDone()
        || (settings.transport().queues() && (failure == null || failure.attempts() > 0
            || failure.category() == DeliveryException.Category.OUTCOME_UNKNOWN));
    if (queued) {
      outcome.whenComplete((receipt, error) -> {
        if (error != null) {
          LOG.warn("the notice of a change of address to {} was not delivered: {}", oldAddress.masked(),
              asDeliveryException(error).getMessage());
        }
      });
      return answer(now, request, oldAddress,
          new SendResult.Sent(oldAddress, TYPE, expiresAt, SendResult.Delivery.QUEUED), message.messageId());
    }
    if (failure != null) {
      try {
        store.takeToken(name, null, now); // nobody got the link: it must not stay usable
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
      return answer(now, request, oldAddress, new SendResult.DeliveryFailed(failure), message.messageId());
    }
    return answer(now, request, oldAddress, new SendResult.Sent(oldAddress, TYPE, expiresAt), message.messageId());
  }

  private SendResult answer(Instant now, SendRequest request, @Nullable EmailAddress address, SendResult result,
      @Nullable String messageId) {
    events.send(now, request, address, result, messageId);
    return result;
  }

  /** The revert link: the configured base URL (C21) with the token appended. */
  private static String link(URI base, String token) {
    String s = base.toString();
    String separator = base.getRawQuery() == null ? (s.endsWith("?") ? "" : "?") : "&";
    return s + separator + "token=" + token;
  }

  Optional<AddressChange> revert(String token, String expectedOldEmail) {
    Instant now = clock.instant();
    EmailAddress expected;
    try {
      expected = EmailAddress.parse(expectedOldEmail);
    } catch (InvalidAddressException e) {
      events.redeem(now, TYPE, null, false, Reason.INVALID_EXPECTED_ADDRESS);
      return Optional.empty();
    }
    Optional<AddressChange> change = Optional.empty();
    if (Secrets.isTokenShaped(token)) {
      for (String name : secrets.revertHashes(token)) { // current secret first, then rotated ones
        Optional<TokenRecord> taken = store.takeToken(name, expected.key(), now);
        if (taken.isPresent()) {
          TokenRecord r = taken.get();
          String newAddress = r.newAddress();
          change = r.type().equals(TYPE) && newAddress != null
              ? Optional.of(new AddressChange(r.address(), newAddress, r.verifiedAt()))
              : Optional.empty();
          break;
        }
      }
    }
    events.redeem(now, TYPE, expected, change.isPresent(), change.isEmpty() ? Reason.NO_TOKEN_FOR_ADDRESS : null);
    return change;
  }

  private @Nullable DeliveryException failureOf(CompletableFuture<DeliveryReceipt> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return asDeliveryException(e);
    }
  }

  private DeliveryException asDeliveryException(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof DeliveryException d ? d
        : new DeliveryException(DeliveryException.Category.UNKNOWN, "transport "
            + settings.transport().getClass().getSimpleName() + " failed: " + cause.getClass().getName(), cause);
  }
}
