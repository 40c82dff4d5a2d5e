package dev.mailverify.smtp;

import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * Hands the bytes of core's {@link MimeWriter} (the writer the file transport uses too) to Angus's
 * {@code SMTPTransport} as a {@link Prepared} message that only copies them out.
 *
 * <p>Why not Jakarta Mail's {@code MimeBodyPart} / {@code MimeMultipart}: in Jakarta Mail 2.1 every
 * body part, every multipart, every encoder stream and every {@code writeTo} looks up the
 * {@code jakarta.mail.util.StreamProvider} with a fresh {@code ServiceLoader} scan of the class
 * path (jakartaee/mail-api #699, #861), and each text part goes through Jakarta Activation's
 * command map. That was half of the client's CPU per mail. The only cure inside Jakarta Mail is a
 * JVM-wide system property, which would change every other user of Jakarta Mail in the process.
 * A verification mail has a fixed, simple shape, so {@link MimeWriter} writes it with no lookup at
 * all.
 */
final class MimeMessages {
  private MimeMessages() {}

  /**
   * Writes the message.
   *
   * @param session the session of the transport that sends it
   * @param message the mail
   * @param defaultFrom the sender when the mail names none
   * @param now the time for the Date header and the Message-ID
   * @param zone the zone the Date header is written in
   * @param dkim the signer, or {@code null}: its {@code DKIM-Signature} is computed over the bytes
   *     written and put in front of them, so the signature covers exactly what goes into DATA
   * @return the message, ready for {@code SMTPTransport.sendMessage}
   */
  static Prepared build(Session session, EmailMessage message, Mailbox defaultFrom, Instant now, ZoneId zone,
      @Nullable DkimSigner dkim) {
    Mailbox from = message.from() != null ? message.from() : defaultFrom;
    byte[] bytes = MimeWriter.write(message, defaultFrom, now.atZone(zone));
    if (dkim != null) {
      bytes = dkim.signedMessage(bytes);
    }
    String messageId = MimeWriter.messageId(message, defaultFrom);
    return new Prepared(session, bytes, envelope(from.address()), envelope(message.to().address()),
        message.subject(), messageId);
  }

  private static InternetAddress envelope(String address) {
    InternetAddress a = new InternetAddress();
    a.setAddress(address); // already checked (C18): ASCII, no spaces or controls
    return a;
  }

  /**
   * A message written once, as bytes, for Angus's {@code SMTPTransport}: it answers what the
   * transport asks ({@link #getFrom()} for MAIL FROM, {@link #getAllRecipients()},
   * {@link #getSubject()} for its listeners, {@link #writeTo(OutputStream, String[])} for DATA) and
   * nothing else; it is never parsed or changed, and never leaves this package.
   */
  static final class Prepared extends MimeMessage {
    private final byte[] bytes;
    private final InternetAddress sender;
    private final InternetAddress recipient;
    private final String subject;
    private final String messageId;

    Prepared(Session session, byte[] bytes, InternetAddress sender, InternetAddress recipient, String subject,
        String messageId) {
      super(session);
      this.bytes = bytes;
      this.sender = sender;
      this.recipient = recipient;
      this.subject = subject;
      this.messageId = messageId;
    }

    /** Writes the message exactly as prepared; there are no Bcc or Content-Length headers to leave out. */
    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
      os.write(bytes);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
      os.write(bytes);
    }

    @Override
    public Address[] getFrom() {
      return new Address[] {sender};
    }

    @Override
    public Address[] getAllRecipients() {
      return new Address[] {recipient};
    }

    @Override
    public String getSubject() {
      return subject;
    }

    @Override
    public String getMessageID() {
      return messageId;
    }

    @Override
    public int getSize() {
      return bytes.length;
    }

    /** The bytes are final: nothing to update. */
    @Override
    public void saveChanges() {
      // written once in MimeMessages.build
    }

    /** The message as it goes into DATA (before dot-stuffing), for tests. */
    byte[] bytes() {
      return bytes.clone();
    }
  }
}
