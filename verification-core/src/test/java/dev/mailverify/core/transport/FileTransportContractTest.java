package dev.mailverify.core.transport;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .eml} file transport passes the transport kit; a folder that is a file refuses mail. */
class FileTransportContractTest extends MailTransportContract {
  @TempDir
  Path dir;

  @Override
  protected MailTransport createTransport() {
    return MailTransport.files(dir.resolve("mail"));
  }

  @Override
  protected boolean received(EmailMessage message) {
    Path folder = dir.resolve("mail");
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> eml = files.filter(p -> p.toString().endsWith(".eml")).toList();
      for (Path p : eml) {
        if (Files.readString(p, StandardCharsets.UTF_8).contains("Subject: " + message.subject())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected MailTransport createFailingTransport() {
    try {
      Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "a file where the folder should be");
      return MailTransport.files(notAFolder.resolve("mail"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
