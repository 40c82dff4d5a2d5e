package dev.mailverify.core.transport;

import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes an {@link EmailMessage} as an RFC 5322 / MIME message: ASCII headers with RFC 2047
 * encoded words for any non-ASCII text (C20), UTF-8 bodies in base64, multipart/alternative when
 * there is HTML. Only the file transport needs it; SMTP uses Jakarta Mail.
 */
final class MimeWriter {
  private static final String CRLF = "\r\n";
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  private MimeWriter() {}

  static String write(EmailMessage m, ZonedDateTime date) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("Date: ").append(DATE.format(date)).append(CRLF);
    Mailbox from = m.from();
    if (from != null) {
      sb.append("From: ").append(mailbox(from)).append(CRLF);
    }
    sb.append("To: ").append(m.to().address()).append(CRLF);
    sb.append("Subject: ").append(encodeText(m.subject(), "Subject: ".length())).append(CRLF);
    String domain = from == null ? "localhost" : from.address().substring(from.address().lastIndexOf('@') + 1);
    sb.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(domain).append('>').append(CRLF);
    m.headers().forEach((k, v) -> sb.append(k).append(": ").append(encodeText(v, k.length() + 2)).append(CRLF));
    sb.append("MIME-Version: 1.0").append(CRLF);
    if (m.html() == null) {
      part(sb, "text/plain", m.text());
    } else {
      String boundary = "=_mailverify_" + UUID.randomUUID().toString().replace("-", "");
      sb.append("Content-Type: multipart/alternative;").append(CRLF)
          .append("\tboundary=\"").append(boundary).append('"').append(CRLF).append(CRLF);
      sb.append("--").append(boundary).append(CRLF);
      part(sb, "text/plain", m.text());
      sb.append("--").append(boundary).append(CRLF);
      part(sb, "text/html", m.html());
      sb.append("--").append(boundary).append("--").append(CRLF);
    }
    return sb.toString();
  }

  private static void part(StringBuilder sb, String type, String body) {
    sb.append("Content-Type: ").append(type).append("; charset=UTF-8").append(CRLF);
    sb.append("Content-Transfer-Encoding: base64").append(CRLF).append(CRLF);
    String b64 = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
        .encodeToString(body.getBytes(StandardCharsets.UTF_8));
    sb.append(b64).append(CRLF);
  }

  private static String mailbox(Mailbox mb) {
    String name = mb.displayName();
    if (name == null) {
      return mb.address();
    }
    String shown = isPlainAscii(name) ? quote(name) : encodeText(name, "From: ".length());
    return shown + " <" + mb.address() + ">";
  }

  private static String quote(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the text as is when it is short printable ASCII, otherwise as RFC 2047 "B" encoded
   * words of at most 75 characters, folded onto continuation lines.
   */
  static String encodeText(String text, int used) {
    if (isPlainAscii(text) && used + text.length() <= 78 && !text.contains("=?")) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    // Each line holds at most 78 characters: the header name (first line) or one space, then
    // "=?UTF-8?B?" + base64 + "?=" (12 characters of overhead); 3 bytes become 4 base64 chars.
    int maxBytes = Math.max(3, (78 - used - 12) / 4 * 3);
    int i = 0;
    while (i < text.length()) {
      if (out.length() > 0) {
        maxBytes = (78 - 1 - 12) / 4 * 3;
      }
      int start = i;
      int bytes = 0;
      while (i < text.length()) {
        int cp = text.codePointAt(i);
        int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        if (bytes + n > maxBytes) {
          break;
        }
        bytes += n;
        i += Character.charCount(cp);
      }
      if (out.length() > 0) {
        out.append(CRLF).append(' ');
      }
      out.append("=?UTF-8?B?")
          .append(Base64.getEncoder().encodeToString(text.substring(start, i).getBytes(StandardCharsets.UTF_8)))
          .append("?=");
    }
    return out.toString();
  }
}
