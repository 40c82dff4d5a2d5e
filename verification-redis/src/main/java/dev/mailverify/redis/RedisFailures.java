package dev.mailverify.redis;

import dev.mailverify.core.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Lettuce throws into a {@link StoreUnavailableException} whose message names the
 * Redis server and what to check (C29). Only the first word of a Redis error reply is ever
 * quoted, so no argument of a command (never a secret anyway: only hashes are sent) can reach a
 * message.
 */
final class RedisFailures {
  private RedisFailures() {}

  /** No answer within the timeout. */
  static StoreUnavailableException timeout(String where, String operation, Duration timeout,
      Throwable cause) {
    return new StoreUnavailableException(where + " did not answer " + operation + " within " + timeout.toMillis()
        + " ms. Check that Redis is running and reachable, and not blocked by a slow command or script"
        + " (SLOWLOG GET), or raise the store's timeout.", cause);
  }

  /** Interrupted while waiting. */
  static StoreUnavailableException interrupted(String where, String operation, InterruptedException cause) {
    Thread.currentThread().interrupt();
    return new StoreUnavailableException("interrupted while waiting for " + where + " to answer " + operation
        + "; the operation may or may not have happened", cause);
  }

  /**
   * Classifies a failure of one command.
   *
   * @param where "Redis at host:port"
   * @param operation what the store was doing, for example "attempt"
   * @param timeout the configured timeout, for timeout messages
   * @param failure what Lettuce reported (unwrapped from ExecutionException)
   * @return the exception to throw
   */
  static StoreUnavailableException of(String where, String operation, Duration timeout, Throwable failure) {
    if (failure instanceof RedisCommandTimeoutException) {
      return timeout(where, operation, timeout, failure);
    }
    if (failure instanceof RedisCommandExecutionException) {
      return new StoreUnavailableException(where + " refused " + operation + ": " + explain(failure.getMessage()),
          failure);
    }
    return new StoreUnavailableException(where + " is not reachable (" + operation + " failed: connection refused,"
        + " closed or not yet re-established). Check that Redis is running and that host, port, password and TLS"
        + " settings are right; the store reconnects by itself once Redis is back.", failure);
  }

  /** A hint for a Redis error reply, quoting only its first word. */
  static String explain(@Nullable String reply) {
    String text = reply == null ? "" : reply.strip();
    int space = text.indexOf(' ');
    String code = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    if (code.length() > 20) {
      code = code.substring(0, 20);
    }
    return switch (code) {
      case "LOADING" -> "LOADING - Redis is loading its data set into memory and answers once it is done";
      case "BUSY" -> "BUSY - Redis is running a long script or function; wait, or end it with SCRIPT KILL";
      case "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "READONLY" -> code
          + " - the cluster or replication is not ready to serve writes; check CLUSTER INFO and the replicas";
      case "NOAUTH", "WRONGPASS", "NOPERM" -> code
          + " - authentication or ACL: check the password and that the user may run EVALSHA, EVAL and DEL";
      case "OOM" -> "OOM - Redis reached maxmemory; give it more memory or use an eviction policy";
      case "WRONGTYPE" -> "WRONGTYPE - another application writes keys under this store's key prefix;"
          + " give each application its own prefix";
      default -> "error reply " + (code.isEmpty() ? "(empty)" : code);
    };
  }
}
