package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transactional outbox: with {@code joinTransactions(true)} and a DataSource that hands out the
 * current transaction's connection (as Spring's {@code TransactionAwareDataSourceProxy} does), the
 * outbox row commits or rolls back with the application's transaction.
 */
class TransactionalOutboxTests {
  /** Seals the queued mails (C14); any 32 bytes or more. */
  private static final byte[] OUTBOX_SECRET =
      "outbox-test-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);


  /**
   * A DataSource like a transaction-aware proxy: on a thread inside {@link #begin()} it hands out
   * that transaction's connection (closing it does nothing); elsewhere a pooled one.
   */
  static final class TransactionAware implements DataSource {
    private final DataSource pool;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    TransactionAware(DataSource pool) {
      this.pool = pool;
    }

    Connection begin() throws SQLException {
      Connection c = pool.getConnection();
      c.setAutoCommit(false);
      current.set(c);
      return c;
    }

    void end() throws SQLException {
      Connection c = current.get();
      current.remove();
      c.setAutoCommit(true);
      c.close();
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection tx = current.get();
      if (tx == null) {
        return pool.getConnection();
      }
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close")) {
              return null; // the transaction owns it
            }
            try {
              return method.invoke(tx, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class OnDatabase {
    private final TestDatabase database;
    private final String prefix = TestDatabase.freshPrefix();
    private HikariDataSource pool;
    private TransactionAware dataSource;
    private final InMemoryOutbox sink = MailTransport.inMemory();
    private final LinkedBlockingQueue<VerificationEvent> delivered = new LinkedBlockingQueue<>();
    private AsyncMailTransport transport;
    private VerificationCodeService service;
    private JdbcMailOutbox outbox;

    OnDatabase(TestDatabase database) {
      this.database = database;
    }

    @BeforeAll
    void open() {
      database.require();
      pool = database.pool("tx-outbox-" + database + "-" + prefix);
      dataSource = new TransactionAware(pool);
      outbox = JdbcMailOutbox.builder(dataSource).tablePrefix(prefix).createTablesIfMissing(true)
          .joinTransactions(true).build();
      transport = MailTransport.async(sink).outbox(outbox, OUTBOX_SECRET).pollInterval(Duration.ofMillis(20))
          .drainTimeout(Duration.ofSeconds(10)).build();
      service = VerificationCodeService.builder().transport(transport).listener(e -> {
        if (e.action() == VerificationEvent.Action.DELIVER) {
          delivered.add(e);
        }
      }).build();
    }

    @AfterAll
    void close() throws SQLException {
      if (transport != null) {
        transport.close();
      }
      if (pool != null) {
        TestDatabase.drop(pool, prefix);
        pool.close();
      }
    }

    @Test
    @DisplayName("C31: a mail queued in a transaction that rolls back is never sent; one that commits is")
    void rolledBackSignUpSendsNothing() throws Exception {
      Connection tx = dataSource.begin();
      SendResult queued = service.sendVerificationCode("rolled-back@example.com", VerificationType.REGISTER,
          Duration.ofMinutes(10));
      assertThat(queued).isInstanceOfSatisfying(SendResult.Sent.class, s -> assertThat(s.isQueued()).isTrue());
      assertThat(java.util.concurrent.CompletableFuture.supplyAsync(outbox::size).get(10, TimeUnit.SECONDS))
          .as("not visible outside the transaction").isZero();
      tx.rollback();
      dataSource.end();

      Connection tx2 = dataSource.begin();
      service.sendVerificationCode("committed@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
      tx2.commit();
      dataSource.end();

      VerificationEvent done = delivered.poll(20, TimeUnit.SECONDS);
      assertThat(done).isNotNull();
      assertThat(done.email().address()).isEqualTo("committed@example.com");
      assertThat(outbox.size()).isZero();
      assertThat(sink.messages()).extracting(m -> m.to().address()).containsExactly("committed@example.com");
    }
  }

  @Nested
  class H2 extends OnDatabase {
    H2() {
      super(TestDatabase.H2);
    }
  }

  @Nested
  class PostgreSql extends OnDatabase {
    PostgreSql() {
      super(TestDatabase.POSTGRESQL);
    }
  }
}
