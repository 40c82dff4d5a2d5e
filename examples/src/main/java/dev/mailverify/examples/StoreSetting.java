package dev.mailverify.examples;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The demo's {@code STORE} setting: where pending codes, tries, tokens and rate limits live.
 *
 * <ul>
 *   <li>unset, empty or {@code memory}: in this process (the default; lost on restart);
 *   <li>{@code redis://host:port} or {@code rediss://...}: verification-redis, shared by every
 *       instance that uses the same Redis;
 *   <li>a JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}:
 *       verification-jdbc on that database.
 * </ul>
 */
sealed interface StoreSetting {
  /** The variable's name. */
  String VARIABLE = "STORE";

  /** What {@code STORE} accepts, in words, for the one-line error. */
  String ACCEPTED = "STORE must be memory (the default), redis://host:port (such as redis://127.0.0.1:6379)"
      + " or a JDBC URL (such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres or"
      + " jdbc:mariadb://127.0.0.1:3306/test?user=root)";

  /**
   * Returns whether several instances of the app share this store (and so need one secret, C28).
   *
   * @return {@code false} only for the in-memory store
   */
  boolean shared();

  /**
   * Returns the store in words for the start-up line, without any password.
   *
   * @return such as {@code Redis at redis://127.0.0.1:6379}
   */
  String describe();

  /** In this process. */
  record Memory() implements StoreSetting {
    @Override
    public boolean shared() {
      return false;
    }

    @Override
    public String describe() {
      return "in memory (this process only; STORE=redis://... or a JDBC URL shares it between instances)";
    }
  }

  /**
   * Redis through verification-redis.
   *
   * @param uri the Redis URI as given; may hold a password, so never printed as is
   */
  record Redis(String uri) implements StoreSetting {
    @Override
    public boolean shared() {
      return true;
    }

    @Override
    public String describe() {
      return "Redis at " + mask(uri);
    }

    @Override
    public String toString() {
      return "Redis[" + mask(uri) + "]";
    }
  }

  /**
   * A SQL database through verification-jdbc.
   *
   * @param url the JDBC URL as given; may hold a password, so never printed as is
   */
  record Jdbc(String url) implements StoreSetting {
    @Override
    public boolean shared() {
      return true;
    }

    @Override
    public String describe() {
      return "SQL database at " + mask(url);
    }

    @Override
    public String toString() {
      return "Jdbc[" + mask(url) + "]";
    }
  }

  /**
   * Reads the setting.
   *
   * @param value the variable's value; null or blank means memory
   * @return the store to use
   * @throws DemoConfigurationException if the value is none of the accepted forms (the message
   *     names {@code STORE} and the forms, not the value)
   */
  static StoreSetting parse(@Nullable String value) {
    String v = value == null ? "" : value.strip();
    String lower = v.toLowerCase(Locale.ROOT);
    if (v.isEmpty() || lower.equals("memory")) {
      return new Memory();
    }
    if ((lower.startsWith("redis://") || lower.startsWith("rediss://")) && v.length() > v.indexOf("//") + 2) {
      return new Redis(v);
    }
    if (lower.startsWith("jdbc:") && v.indexOf(':', 5) > 5) {
      return new Jdbc(v);
    }
    throw new DemoConfigurationException(ACCEPTED + "; the value given is none of these");
  }

  /** {@code user:password@} and {@code password=...} become {@code ***}. */
  Pattern USER_INFO = Pattern.compile("(//[^/@?;]*?:)[^/@?;]*@");
  Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|pwd|pass)=)[^&;]*");
  Pattern REDIS_PASSWORD_ONLY = Pattern.compile("(//)[^/@:?;]+@");

  /**
   * Hides the password in a Redis or JDBC URL.
   *
   * @param url the URL
   * @return the URL with {@code ***} for every password
   */
  static String mask(String url) {
    String s = USER_INFO.matcher(url).replaceFirst("$1***@");
    if (url.regionMatches(true, 0, "redis", 0, 5)) {
      s = REDIS_PASSWORD_ONLY.matcher(s).replaceFirst("$1***@"); // redis://password@host
    }
    return PASSWORD_PARAM.matcher(s).replaceAll("$1***");
  }
}
