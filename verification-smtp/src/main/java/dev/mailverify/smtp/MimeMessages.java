package dev.mailverify.smtp;

import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the MIME message for an {@link EmailMessage}: UTF-8 bodies, multipart/alternative when
 * there is HTML, RFC 2047 subject, display names and extra headers (C20), Date, and a Message-ID
 * on the sender's domain.
 */
final class MimeMessages {
  private static final String UTF_8 = "UTF-8";

  private MimeMessages() {}

  static MimeMessage build(Session session, EmailMessage message, Mailbox defaultFrom, Instant now)
      throws MessagingException {
    Mailbox from = message.from() != null ? message.from() : defaultFrom;
    String domain = from.address().substring(from.address().lastIndexOf('@') + 1);
    String messageId = "<" + UUID.randomUUID().toString().replace("-", "") + "." + now.toEpochMilli()
        + "@" + domain + ">";
    MimeMessage mime = new IdentifiedMimeMessage(session, messageId);
    mime.setFrom(address(from));
    InternetAddress to = new InternetAddress();
    to.setAddress(message.to().address());
    mime.setRecipient(Message.RecipientType.TO, to);
    mime.setSubject(message.subject(), UTF_8);
    mime.setSentDate(Date.from(now));
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      String name = header.getKey();
      mime.setHeader(name, MimeUtility.fold(name.length() + 2, encode(header.getValue())));
    }
    String html = message.html();
    if (html == null) {
      mime.setText(message.text(), UTF_8, "plain");
    } else {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(message.text(), UTF_8, "plain");
      MimeBodyPart htmlPart = new MimeBodyPart();
      htmlPart.setText(html, UTF_8, "html");
      alternative.addBodyPart(text);
      alternative.addBodyPart(htmlPart);
      mime.setContent(alternative);
    }
    mime.saveChanges();
    return mime;
  }

  private static String encode(String value) throws MessagingException {
    try {
      return MimeUtility.encodeText(value, UTF_8, null);
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("UTF-8 is not supported", e);
    }
  }

  private static InternetAddress address(Mailbox mailbox) throws MessagingException {
    try {
      InternetAddress address = new InternetAddress();
      address.setAddress(mailbox.address());
      if (mailbox.displayName() != null) {
        address.setPersonal(mailbox.displayName(), UTF_8);
      }
      return address;
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("UTF-8 is not supported", e);
    }
  }

  /** A message whose Message-ID is fixed up front, on the sender's domain. */
  private static final class IdentifiedMimeMessage extends MimeMessage {
    private final String messageId;

    IdentifiedMimeMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
