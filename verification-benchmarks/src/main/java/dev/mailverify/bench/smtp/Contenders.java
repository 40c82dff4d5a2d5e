package dev.mailverify.bench.smtp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contenders the SMTP benchmarks know, by name, baselines first.
 *
 * <ul>
 *   <li>{@code jakarta-per-message}: {@code Transport.send} per mail, a new connection each time;
 *   <li>{@code jakarta-reused}: one reused connection per thread;
 *   <li>{@code mailverify-smtp}: mailverify's {@code SmtpTransport}, with a pool of as many
 *       connections as sending threads.
 * </ul>
 *
 * <p>The throughput and latency probes measure them in the same run, and report every contender
 * that is not a baseline against the targets.
 *
 * <p>Known by name but not run unless asked for ({@code --contenders}): {@code vertx-mail}, the
 * Vert.x mail client with a pool of as many connections as sending threads (issue 22), which
 * {@code SmtpDistance} runs by default.
 */
public final class Contenders {

  /** The per-message baseline. */
  public static final String PER_MESSAGE = "jakarta-per-message";
  /** The reused-connection baseline. */
  public static final String REUSED = "jakarta-reused";
  /** mailverify's own SMTP transport. */
  public static final String MAILVERIFY = MailverifySmtp.NAME;

  private Contenders() {}

  /**
   * Returns every contender, baselines first.
   *
   * @return name to contender, in report order
   */
  public static Map<String, Contender> all() {
    Map<String, Contender> all = new LinkedHashMap<>();
    for (Contender c : List.of(new JakartaPerMessage(), new JakartaReusedConnection(), new MailverifySmtp())) {
      all.put(c.name(), c);
    }
    return all;
  }

  /**
   * Returns a contender by name.
   *
   * @param name a name from {@link #all()}
   * @return the contender
   * @throws IllegalArgumentException for an unknown name
   */
  public static Contender named(String name) {
    Contender c = all().get(name);
    if (c == null && name.equals(VertxMail.NAME)) {
      c = new VertxMail();
    }
    if (c == null) {
      throw new IllegalArgumentException("unknown contender '" + name + "'; known: " + all().keySet() + " and "
          + VertxMail.NAME);
    }
    return c;
  }
}
