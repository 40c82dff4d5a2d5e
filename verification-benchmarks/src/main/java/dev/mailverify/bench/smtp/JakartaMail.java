package dev.mailverify.bench.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Map;
import java.util.Properties;

/**
 * Jakarta Mail as an application uses it, as shipped: one {@link Session} with host, port and
 * timeouts (implicit TLS through {@code mail.smtp.ssl.enable} with a socket factory that trusts the
 * sink's certificate, identity check on), and a new {@link MimeMessage} per mail built the usual
 * way: UTF-8 subject and display name, {@code multipart/alternative} with a text and an HTML part.
 * No tuning: no {@code TCP_NODELAY}, no stream provider binding, no EHLO name.
 */
final class JakartaMail {

  private static final String FALLBACK_FROM = "Roamio 旅行 <noreply@roamio.example>";

  private JakartaMail() {}

  static Session session(SmtpEndpoint endpoint) {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", endpoint.host());
    p.setProperty("mail.smtp.port", Integer.toString(endpoint.port()));
    p.setProperty("mail.smtp.connectiontimeout", "10000");
    p.setProperty("mail.smtp.timeout", "10000");
    if (endpoint.security() == SmtpEndpoint.Security.IMPLICIT_TLS) {
      p.setProperty("mail.smtp.ssl.enable", "true");
      p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      p.put("mail.smtp.ssl.socketFactory", endpoint.sslContext().getSocketFactory());
    }
    return Session.getInstance(p);
  }

  static MimeMessage toMime(Session session, EmailMessage m) {
    try {
      MimeMessage mime = new MimeMessage(session);
      Mailbox from = m.from() != null ? m.from() : Mailbox.parse(FALLBACK_FROM);
      mime.setFrom(new InternetAddress(from.address(), from.displayName(), "UTF-8"));
      mime.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to().address()));
      mime.setSubject(m.subject(), "UTF-8");
      mime.setSentDate(new Date());
      if (m.html() == null) {
        mime.setText(m.text(), "UTF-8");
      } else {
        MimeBodyPart text = new MimeBodyPart();
        text.setText(m.text(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(m.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
      }
      for (Map.Entry<String, String> h : m.headers().entrySet()) {
        mime.setHeader(h.getKey(), h.getValue());
      }
      mime.saveChanges();
      return mime;
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw failure("building the message", e);
    }
  }

  /** Bytes of the message as it goes over the wire (headers and encoded body, before dot-stuffing). */
  static long wireSize(Session session, EmailMessage m) {
    long[] n = new long[1];
    try {
      toMime(session, m).writeTo(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          n[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          n[0] += len;
        }
      });
    } catch (MessagingException | java.io.IOException e) {
      throw failure("measuring the message", e);
    }
    return n[0];
  }

  static DeliveryException failure(String doing, Exception e) {
    return new DeliveryException(DeliveryException.Category.UNKNOWN,
        "Jakarta Mail failed " + doing + ": " + e.getClass().getSimpleName(), e);
  }
}
