package dev.mailverify.core.transport;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Development transport: prints each mail, code included, instead of sending it, with a one-time
 * banner that says mail is not really sent and how to switch to real SMTP (the seed's development
 * mode). Never use it in production: the code is printed in clear.
 *
 * <pre>{@code
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(MailTransport.console())
 *     .build();
 * }</pre>
 */
public final class ConsoleTransport implements MailTransport {

  /** The banner printed before the first mail. */
  public static final String BANNER = String.join(System.lineSeparator(),
      "================================================================================",
      " mailverify DEVELOPMENT MODE: mail is NOT sent, it is printed here (codes included).",
      " To send real mail, set USE_REAL_EMAIL=1 and EMAIL_HOST, EMAIL_PORT,",
      " EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, DEFAULT_FROM_EMAIL (in the environment or",
      " a .env file) and use the SMTP transport: see README, \"Sending real mail\".",
      "================================================================================");

  private final Consumer<String> sink;
  private final String description;
  private final AtomicBoolean bannerShown = new AtomicBoolean();

  private ConsoleTransport(Consumer<String> sink, String description) {
    this.sink = sink;
    this.description = description;
  }

  /**
   * Prints to standard output.
   *
   * @return a new transport
   */
  public static ConsoleTransport toStdout() {
    return to(System.out);
  }

  /**
   * Prints to a stream.
   *
   * @param out the stream; not null
   * @return a new transport
   */
  public static ConsoleTransport to(PrintStream out) {
    Objects.requireNonNull(out, "out");
    return new ConsoleTransport(text -> {
      synchronized (out) {
        out.println(text);
        out.flush();
      }
    }, "stream");
  }

  /**
   * Logs at INFO to an SLF4J logger.
   *
   * @param logger the logger; not null
   * @return a new transport
   */
  public static ConsoleTransport toLogger(Logger logger) {
    Objects.requireNonNull(logger, "logger");
    return new ConsoleTransport(text -> logger.info("{}", text), "logger " + logger.getName());
  }

  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    if (bannerShown.compareAndSet(false, true)) {
      sink.accept(BANNER);
    }
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append("---------- mail (not sent) ----------").append(nl);
    sb.append("From:    ").append(message.from() == null ? "(transport default)" : message.from()).append(nl);
    sb.append("To:      ").append(message.to().address()).append(nl);
    sb.append("Subject: ").append(message.subject()).append(nl);
    message.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append(nl));
    sb.append(nl).append(message.text().strip()).append(nl);
    if (message.html() != null) {
      sb.append("(an HTML part of ").append(message.html().length()).append(" characters is not shown)").append(nl);
    }
    sb.append("-------------------------------------");
    sink.accept(sb.toString());
  }

  @Override
  public String toString() {
    return "ConsoleTransport[" + description + "]";
  }
}
