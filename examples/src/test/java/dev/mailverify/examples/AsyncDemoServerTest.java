package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's HTTP answers for issue 12 (asynchronous sending) and issue 14 (recipient checks and
 * typo suggestions). The mail server is a gate in front of the in-memory outbox, so "queued" is
 * decided by the test, not by a race with the worker.
 */
class AsyncDemoServerTest {
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final CountDownLatch gate = new CountDownLatch(1);
  /** The "mail server": waits until the test opens the gate, then takes the mail. */
  private final MailTransport gated = message -> {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    outbox.send(message);
  };
  private final List<VerificationEvent> events = new CopyOnWriteArrayList<>();
  private final Semaphore delivered = new Semaphore(0);
  private AsyncMailTransport async;
  private DemoServer server;
  private DemoHttp http;

  private void start(AsyncMailTransport transport) throws Exception {
    start(transport, Optional.empty());
  }

  private void start(AsyncMailTransport transport, Optional<RecipientCheck> check)
      throws Exception {
    async = transport;
    VerificationCodeService.Builder b = VerificationCodeService.builder().transport(transport).listener(e -> {
      events.add(e);
      if (e.action() == VerificationEvent.Action.DELIVER) {
        delivered.release();
      }
    });
    check.ifPresent(b::recipientCheck);
    server = DemoServer.start(b.build(), new UserDirectory(), Clock.systemUTC(),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    http = new DemoHttp(server.port());
  }

  @AfterEach
  void stop() {
    gate.countDown();
    if (server != null) {
      server.close();
    }
    if (async != null) {
      async.close();
    }
  }

  @Test
  @DisplayName("C27 a queued send is 202 delivery=queued; the mail arrives later and its DELIVER event says DELIVERED;"
      + " the flow then verifies and registers")
  void queuedSendIs202() throws Exception {
    start(MailTransport.async(gated).build());
    DemoHttp.Answer sent = http.send("ada@example.com");
    assertThat(sent.status()).isEqualTo(202);
    assertThat(sent.body()).containsEntry("delivery", "queued").containsEntry("expires_in", 600)
        .doesNotContainKey("did_you_mean");
    assertThat(outbox.size()).as("not delivered while the server holds it").isZero();

    gate.countDown();
    outbox.awaitMessages(1, Duration.ofSeconds(10));
    awaitDeliverEvent();
    assertThat(events).filteredOn(e -> e.action() == VerificationEvent.Action.DELIVER)
        .singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERED));

    DemoHttp.Answer verified = http.verify("ada@example.com", outbox.latestCode("ada@example.com").orElseThrow());
    assertThat(verified.status()).isEqualTo(200);
    assertThat(http.register("ada@example.com", (String) verified.body().get("verification_token")).status())
        .isEqualTo(201);
  }

  @Test
  @DisplayName("C27 a full send queue is 503 with category QUEUE_FULL and Retry-After; nothing is left pending")
  void fullQueueIs503() throws Exception {
    start(MailTransport.async(gated).capacity(1).workers(1).build());
    assertThat(http.send("a@example.com").status()).isEqualTo(202);
    DemoHttp.Answer full = http.send("b@example.com");
    assertThat(full.status()).isEqualTo(503);
    assertThat(full.body()).containsEntry("error", "delivery_failed").containsEntry("category", "QUEUE_FULL")
        .containsEntry("retry_after", 5);
    assertThat(full.header("Retry-After")).isEqualTo("5");

    gate.countDown();
    outbox.awaitMessages(1, Duration.ofSeconds(10));
    awaitDeliverEvent();
    // C13: a refused send starts no cooldown, so b@ can ask again at once
    DemoHttp.Answer again = http.send("b@example.com");
    assertThat(again.status()).isIn(200, 202);
    outbox.awaitMessages(2, Duration.ofSeconds(10));
    assertThat(outbox.messagesTo("b@example.com")).hasSize(1);
  }

  @Test
  @DisplayName("did_you_mean: a typo of a common provider is suggested and never blocks the send")
  void didYouMean() throws Exception {
    start(MailTransport.async(outbox).build());
    DemoHttp.Answer typo = http.send("alice@gamil.com");
    assertThat(typo.status()).isIn(200, 202);
    assertThat(typo.body()).containsEntry("did_you_mean", "alice@gmail.com");
    assertThat(http.send("bob@qq.con").body()).containsEntry("did_you_mean", "bob@qq.com");
    assertThat(http.send("carol@gmail.com").body()).doesNotContainKey("did_you_mean");
    outbox.awaitMessages(3, Duration.ofSeconds(10));
    assertThat(outbox.messagesTo("alice@gamil.com")).as("sent to the address as typed").hasSize(1);
    // also beside a refusal, where it helps most
    DemoHttp.Answer limited = http.send("alice@gamil.com");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body()).containsEntry("did_you_mean", "alice@gmail.com");
  }

  @Test
  @DisplayName("the browser page shows did_you_mean from the send answer as a button that puts it in the form")
  void pageShowsSuggestion() throws Exception {
    start(MailTransport.async(outbox).build());
    java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<p id=\"suggestion\" hidden>Did you mean <button id=\"use-suggestion\"")
        .contains("$('suggestion').hidden = !r.did_you_mean;")
        .contains("$('use-suggestion').textContent = r.did_you_mean || '';") // text, never HTML
        .contains("$('email').value = $('use-suggestion').textContent;");
  }

  @Test
  @DisplayName("C30 a refused recipient is 400 with reason DOMAIN_NOT_FOUND / NO_MAIL_SERVER and nothing is sent;"
      + " a syntax error is 400 with its own reason")
  void refusedRecipient() throws Exception {
    start(MailTransport.async(outbox).build(), Optional.of(address -> switch (address.domain()) {
      case "nxdomain.invalid" -> Optional.of(new SendResult.InvalidAddress(
          InvalidAddressReason.DOMAIN_NOT_FOUND, "no such domain"));
      case "nullmx.test" -> Optional.of(new SendResult.InvalidAddress(
          InvalidAddressReason.NO_MAIL_SERVER, "accepts no mail"));
      default -> Optional.empty();
    }));
    DemoHttp.Answer nx = http.send("user@nxdomain.invalid");
    assertThat(nx.status()).isEqualTo(400);
    assertThat(nx.body()).containsEntry("error", "invalid_email").containsEntry("reason", "DOMAIN_NOT_FOUND")
        .containsEntry("detail", "no such domain");
    assertThat(http.send("user@nullmx.test").body()).containsEntry("reason", "NO_MAIL_SERVER");
    assertThat(http.send("not-an-address").body()).containsEntry("reason", "SYNTAX");
    assertThat(http.send("ok@example.com").status()).isIn(200, 202);
    outbox.awaitMessages(1, Duration.ofSeconds(10));
    assertThat(outbox.messages()).extracting(m -> m.to().address()).containsExactly("ok@example.com");
  }

  private void awaitDeliverEvent() throws InterruptedException {
    assertThat(delivered.tryAcquire(10, TimeUnit.SECONDS)).as("a DELIVER event within 10 s").isTrue();
  }
}
