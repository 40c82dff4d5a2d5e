package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.OutboxEntry;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.test.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C29 and C31 for the outbox table: PostgreSQL behind a loopback proxy that the test cuts while
 * mails are queued, then restores.
 */
class OutboxOutageTest {
  /** Seals the queued mails (C14); any 32 bytes or more. */
  private static final byte[] OUTBOX_SECRET =
      "outbox-test-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** A transport that holds every send until {@link #open()}, and records what it was given. */
  static final class Gated implements MailTransport {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final List<EmailMessage> calls = new CopyOnWriteArrayList<>();

    @Override
    public void send(EmailMessage message) {
      entered.countDown();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new DeliveryException(DeliveryException.Category.TIMEOUT, "gate never opened", null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException(DeliveryException.Category.CONNECTION_LOST, "interrupted", e);
      }
      calls.add(message);
    }

    void open() {
      gate.countDown();
    }

    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("a send started within 10 s").isTrue();
    }

    List<EmailMessage> calls() {
      return calls;
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration TTL = Duration.ofMinutes(10);

  private final String prefix = TestDatabase.freshPrefix();
  private final Gated delegate = new Gated();
  private final LinkedBlockingQueue<VerificationEvent> delivered = new LinkedBlockingQueue<>();
  private TcpProxy proxy;
  private HikariDataSource pool;
  private JdbcMailOutbox outbox;
  private AsyncMailTransport transport;
  private VerificationCodeService service;

  @BeforeEach
  void serviceThroughProxy() throws Exception {
    TestDatabase.POSTGRESQL.require();
    proxy = new TcpProxy(TestDatabase.POSTGRESQL.port());
    pool = TestDatabase.POSTGRESQL.pool("outbox-outage", proxy.port(), 4, TIMEOUT.toMillis());
    JdbcMailOutbox.builder(pool).tablePrefix(prefix).timeout(Duration.ofSeconds(30)).createTablesIfMissing(true)
        .build(); // the schema, without the outage bound on a loaded machine
    outbox = JdbcMailOutbox.builder(pool).tablePrefix(prefix).timeout(TIMEOUT).build();
    // A claim whose answer the black hole swallowed may have run on the database: its mails are leased
    // to this instance without it knowing, and come back when that lease runs out (3 s here, not the
    // default 2 minutes, so the test waits for them within its 30 s).
    transport = MailTransport.async(delegate).outbox(outbox, OUTBOX_SECRET).workers(1)
        .pollInterval(Duration.ofMillis(50)).lease(Duration.ofSeconds(3)).drainTimeout(Duration.ofSeconds(5)).build();
    service = VerificationCodeService.builder().transport(transport).listener(e -> {
      if (e.action() == VerificationEvent.Action.DELIVER) {
        delivered.add(e);
      }
    }).build();
  }

  @AfterEach
  void cleanUp() throws Exception {
    delegate.open();
    if (transport != null) {
      transport.close();
    }
    if (pool != null) {
      pool.close();
      proxy.close();
      try (HikariDataSource direct = TestDatabase.POSTGRESQL.pool("outbox-outage-cleanup",
          TestDatabase.POSTGRESQL.port(), 1, 2000)) {
        TestDatabase.drop(direct, prefix);
      }
    }
  }

  @Test
  @DisplayName("C14: while mails wait in the outbox table, every stored entry is sealed: the table holds no address,"
      + " no mail text and no code")
  void c14TableHoldsNoCodeOrAddress() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(service.sendVerificationCode("sealed" + i + "@example.com", VerificationType.REGISTER, TTL))
          .isInstanceOf(SendResult.Sent.class);
    }
    delegate.awaitEntered(); // one on the wire, all three in the table

    List<byte[]> stored = new ArrayList<>();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + prefix + "outbox")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          Object value = rs.getObject(i);
          assertThat(String.valueOf(value)).doesNotContain("@example.com");
        }
        stored.add(rs.getBytes("payload"));
      }
    }
    assertThat(stored).hasSize(3);
    for (byte[] payload : stored) {
      OutboxEntry entry = OutboxEntry.fromBytes(payload);
      assertThat(entry.isSealed()).as("sealed").isTrue();
      assertThat(new String(payload, StandardCharsets.ISO_8859_1)).doesNotContain("@example.com");
    }
    delegate.open();
    for (int i = 0; i < 3; i++) {
      assertThat(delivered.poll(10, TimeUnit.SECONDS)).as("delivered").isNotNull();
    }
    EmailMessage sent = delegate.calls().get(0);
    assertThat(sent.text()).as("the mail itself is in clear").contains(sent.code());
  }

  @Test
  @DisplayName("C29, C31: with the database cut while mails are queued, a new send is refused at once"
      + " (STORE_UNAVAILABLE), queued mails wait, nothing is reported delivered that was not; when"
      + " it is back every mail goes out once and the table empties")
  void outageWhileMailsAreQueued() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL))
          .isInstanceOf(SendResult.Sent.class);
    }
    delegate.awaitEntered(); // one mail on the wire, one more claimed, three in the table
    proxy.blackHole();

    long start = System.nanoTime();
    SendResult refused = service.sendVerificationCode("late@example.com", VerificationType.REGISTER, TTL);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(refused).isInstanceOfSatisfying(SendResult.DeliveryFailed.class,
        f -> assertThat(f.category()).isEqualTo(DeliveryException.Category.STORE_UNAVAILABLE));

    delegate.open();
    List<VerificationEvent> during = new ArrayList<>();
    for (VerificationEvent e; (e = delivered.poll(3, TimeUnit.SECONDS)) != null; ) {
      during.add(e);
    }
    assertThat(during).extracting(VerificationEvent::outcome).containsOnly(VerificationEvent.Outcome.DELIVERED);
    assertThat(during).as("reported delivered = handed to the next hop").hasSize(delegate.calls().size());
    assertThat(during.size()).as("the rest waits in the table").isLessThan(5);

    proxy.restore();

    for (int i = during.size(); i < 5; i++) {
      VerificationEvent e = delivered.poll(30, TimeUnit.SECONDS);
      assertThat(e).as("mail %d delivered after the outage", i).isNotNull();
      assertThat(e.outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERED);
    }
    assertThat(delegate.calls()).extracting(m -> m.to().address()).hasSize(5).doesNotHaveDuplicates()
        .as("the refused send's INSERT never reached the database: no mail").doesNotContain("late@example.com");
    // the database is back, but on a loaded machine one count may still miss the 1 s timeout: that is
    // "not known yet", and the loop asks again (C29 is proved above, where the outage is)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long queued = -1;
    while (System.nanoTime() - deadline < 0) {
      queued = queuedOrUnknown();
      if (queued == 0) {
        break;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    assertThat(queued).as("every outcome acknowledged once the database is back").isZero();
  }

  /** The outbox's size, or -1 when the database did not answer within the timeout. */
  private long queuedOrUnknown() {
    try {
      return outbox.size();
    } catch (dev.mailverify.core.StoreUnavailableException e) {
      return -1;
    }
  }
}
