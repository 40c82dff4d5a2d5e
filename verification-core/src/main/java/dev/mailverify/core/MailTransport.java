package dev.mailverify.core;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.nio.file.Path;

/**
 * Hands an {@link EmailMessage} to its next hop. Implementations must be thread-safe.
 *
 * <p>Built-ins: {@link #console()} for development, {@link #inMemory()} for tests,
 * {@link #files(Path)} for {@code .eml} files; {@code verification-smtp} adds SMTP. Swap them
 * freely: the service only sees this interface.
 */
public interface MailTransport extends AutoCloseable {

  /**
   * Sends one message. Returns normally only when the next hop accepted it.
   *
   * @param message the message; not null
   * @throws DeliveryException with a category, transience and a hint when the message was not
   *     accepted; implementations must not throw anything else for a delivery problem
   */
  void send(EmailMessage message);

  /** Releases connections and threads. The default does nothing. Never throws. */
  @Override
  default void close() {}

  /**
   * Returns a transport that prints each mail, code included, to standard output, with a
   * one-time banner saying that no mail is really sent. For development only.
   *
   * @return a console transport
   */
  static ConsoleTransport console() {
    return ConsoleTransport.toStdout();
  }

  /**
   * Returns an in-memory outbox for tests: read messages and codes back, wait for them, make the
   * next send fail.
   *
   * @return a new, empty outbox
   */
  static InMemoryOutbox inMemory() {
    return new InMemoryOutbox();
  }

  /**
   * Returns a transport that writes each mail as a standard {@code .eml} file into a folder.
   *
   * @param directory the folder; created if missing
   * @return a file transport
   */
  static FileTransport files(Path directory) {
    return FileTransport.create(directory);
  }
}
