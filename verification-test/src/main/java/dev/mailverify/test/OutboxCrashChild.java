package dev.mailverify.test;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The application instance that {@link OutboxCrashKit} kills with {@code kill -9}: it sends
 * {@code count} codes through an asynchronous transport with a durable outbox to a
 * {@link SlowNextHop}, prints {@code QUEUED i} for each send answered QUEUED (and
 * {@code REFUSED i} otherwise), then {@code ALL-SENT}, and keeps delivering until it is killed.
 *
 * <p>Arguments: the {@link CrashStores} class, its namespace, the hop's port, count, workers,
 * lease in milliseconds, code TTL in seconds.
 */
public final class OutboxCrashChild {
  /** The secret every instance of the crash test shares (a shared store needs one). */
  static final byte[] SECRET = "crash-test-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private OutboxCrashChild() {}

  /**
   * Runs the instance.
   *
   * @param args see the class comment
   * @throws Exception if the stores cannot be opened
   */
  public static void main(String[] args) throws Exception {
    CrashStores stores = Class.forName(args[0]).asSubclass(CrashStores.class).getConstructor(String.class)
        .newInstance(args[1]);
    int port = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    int workers = Integer.parseInt(args[4]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
    Duration ttl = Duration.ofSeconds(Long.parseLong(args[6]));
    AsyncMailTransport transport = MailTransport.async(new HopTransport(port)).outbox(stores.outbox(), SECRET)
        .workers(workers).lease(lease).pollInterval(Duration.ofMillis(100)).instanceId("child").build();
    VerificationCodeService service = VerificationCodeService.builder().transport(transport)
        .store(stores.codeStore()).secret(SECRET).build();
    for (int i = 0; i < count; i++) {
      SendResult r = service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, ttl);
      boolean queued = r instanceof SendResult.Sent sent && sent.isQueued();
      System.out.println((queued ? "QUEUED " : "REFUSED ") + i + (queued ? "" : " " + r));
      System.out.flush();
    }
    System.out.println("ALL-SENT");
    System.out.flush();
    while (true) {
      LockSupport.park(); // delivering on the transport's threads until kill -9
    }
  }
}
