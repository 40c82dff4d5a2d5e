/**
 * mailverify JDBC: a {@link dev.mailverify.core.spi.CodeStore} and a
 * {@link dev.mailverify.core.spi.RateLimiter} in the application's own SQL database, over its
 * {@link javax.sql.DataSource}.
 *
 * <p>Callers use {@link dev.mailverify.jdbc.JdbcCodeStore}, {@link dev.mailverify.jdbc.JdbcRateLimiter} and
 * {@link dev.mailverify.jdbc.JdbcMailOutbox};
 * the package is the only one exported. The schema files for migration tools are resources of this
 * module under {@code dev/mailverify/jdbc/schema/}; on the module path, read them through
 * {@link dev.mailverify.jdbc.JdbcDialect#schema(String)}.
 */
module dev.mailverify.jdbc {
  requires transitive dev.mailverify.core;
  requires transitive java.sql;
  requires static org.jspecify;

  exports dev.mailverify.jdbc;
}
