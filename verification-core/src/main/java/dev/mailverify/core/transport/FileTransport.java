package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.MimeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes each mail as a standard {@code .eml} file (RFC 5322, MIME, UTF-8, RFC 2047 headers) into
 * a folder, where any mail client can open it. The bytes are those the SMTP transport sends, from
 * the same {@link MimeWriter} (apart from {@code Date} and {@code Message-ID}); a mail without a
 * sender gets no {@code From} header. Useful for staging systems and for looking at
 * rendered mails. Files are written to a temporary name and moved into place, so a reader never
 * sees half a file. The mails contain the codes: keep the folder private.
 */
public final class FileTransport implements MailTransport {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS", Locale.ROOT);

  private final Path directory;
  private final Clock clock;

  private FileTransport(Path directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  /**
   * Creates a transport writing into a folder, named by the system clock.
   *
   * @param directory the folder; created on first send if missing; not null
   * @return the transport
   */
  public static FileTransport create(Path directory) {
    return create(directory, Clock.systemDefaultZone());
  }

  /**
   * Creates a transport writing into a folder, dating mails by the given clock.
   *
   * @param directory the folder; not null
   * @param clock the clock for the Date header and file names; not null
   * @return the transport
   */
  public static FileTransport create(Path directory, Clock clock) {
    return new FileTransport(Objects.requireNonNull(directory, "directory"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Returns the folder mails are written to.
   *
   * @return the folder
   */
  public Path directory() {
    return directory;
  }

  /**
   * Writes the mail to {@code <time>-<random>.eml}.
   *
   * @throws DeliveryException with category {@code CONFIGURATION} if the folder cannot be written
   */
  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    ZonedDateTime now = ZonedDateTime.now(clock);
    String name = NAME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8) + ".eml";
    try {
      Files.createDirectories(directory);
      Path tmp = Files.createTempFile(directory, ".mailverify-", ".tmp");
      Files.write(tmp, MimeWriter.write(message, null, now));
      Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw DeliveryException.builder(DeliveryException.Category.CONFIGURATION,
              "could not write mail to " + directory + ": " + e.getClass().getSimpleName())
          .hint("Check that the folder " + directory + " exists or can be created, is writable and has free space.")
          .cause(e)
          .build();
    }
  }

  @Override
  public String toString() {
    return "FileTransport[" + directory + "]";
  }
}
