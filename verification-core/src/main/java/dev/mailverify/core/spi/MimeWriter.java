package dev.mailverify.core.spi;

import dev.mailverify.core.Mailbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Writes an {@link EmailMessage} as the bytes of an RFC 5322 / MIME message, once, with no lookup
 * of any kind: the writer the built-in file and SMTP transports share, for implementers of other
 * transports (an HTTP mail API that takes raw MIME, a queue). It needs no mail library.
 *
 * <p>What it writes: {@code Date}, {@code From} (when there is a sender), {@code To},
 * {@code Message-ID}, {@code Subject}, the message's extra headers, {@code MIME-Version}, then a
 * UTF-8 {@code text/plain} body, or {@code multipart/alternative} with the text and the HTML. Every
 * header is ASCII: a subject, display name or header value that is not plain ASCII words is written
 * as RFC 2047 B-encoded UTF-8 words of at most 75 characters on lines of at most 76 (C20). Bodies
 * are sent in canonical form (CRLF line ends); a body is {@code 7bit} when it is ASCII with lines of
 * at most 998 bytes, otherwise quoted-printable or base64, whichever is shorter. The multipart
 * boundary is derived from the bodies, and the {@code Message-ID} and {@code Date} come from the
 * message itself, so the same message always gives the same bytes; a body never contains its
 * boundary (such a body is encoded).
 *
 * <p>The result is what goes into SMTP {@code DATA} before dot-stuffing, and what a {@code .eml}
 * file holds. Stateless and thread-safe.
 *
 * <p><b>Why this is public.</b> It is mailverify's own wire format, not a general MIME library, and
 * callers never need it: sending, verifying and testing go through {@code MailTransport}s. It is in
 * {@code .spi} for one audience, the implementer of a transport, for two reasons. First, the
 * built-in transports live in different modules ({@code FileTransport} in core, {@code SmtpTransport}
 * in {@code verification-smtp}) and must write the same bytes, so the writer has to be visible
 * across modules. Second, a transport of your own (an HTTP mail API that takes raw MIME, a durable
 * queue) should write exactly what the built-ins write: the same headers, encodings and, above all,
 * the same {@code Message-ID} on every retry, so that a receiver can drop a duplicate (C25, C31).
 * Use it instead of re-encoding the {@link EmailMessage} with another library.
 *
 * <pre>{@code
 * byte[] mime = MimeWriter.write(message, sender, ZonedDateTime.now(clock));
 * }</pre>
 */
public final class MimeWriter {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});
  /** Longest header line (RFC 5322 recommends 78) and encoded-word line (RFC 2047: 76). */
  private static final int LINE = 76;
  /** Longest line SMTP carries (RFC 5321: 1000 with CRLF). */
  private static final int MAX_LINE = 998;
  /** {@code =?UTF-8?B?} and {@code ?=}. */
  private static final int ENCODED_WORD_OVERHEAD = 12;

  /** The placeholder domain of a Message-ID made without a sender. */
  static final String NO_DOMAIN = "mailverify.invalid";

  private MimeWriter() {}

  /**
   * Makes a new, unique {@code Message-ID}: 128 random bits on the sender's domain, or on
   * {@code mailverify.invalid} without a sender (the writer then puts the effective sender's
   * domain in its place), such as {@code <5f0c...e1@example.com>}. Unique, not secret.
   * {@link EmailMessage} calls it once when it is built, so every try of a retried mail carries the
   * same identifier.
   *
   * @param sender the sender whose domain the identifier names, or {@code null}
   * @return the identifier, angle brackets included
   */
  public static String newMessageId(@Nullable Mailbox sender) {
    String domain = sender == null ? NO_DOMAIN
        : sender.address().substring(sender.address().lastIndexOf('@') + 1);
    ThreadLocalRandom random = ThreadLocalRandom.current(); // no SecureRandom lock per mail
    return "<" + hex(random.nextLong()) + hex(random.nextLong()) + "@" + domain + ">";
  }

  /**
   * Writes the message with its own {@link EmailMessage#messageId() Message-ID} and
   * {@link EmailMessage#date() date}, so that writing it again (a retry, a file and an SMTP copy)
   * gives the same bytes. A Message-ID made without a sender ({@code @mailverify.invalid}) is
   * written on the effective sender's domain.
   *
   * @param message the mail; not null
   * @param defaultFrom the sender when the mail names none; {@code null} writes no {@code From}
   *     header for such a mail (a file transport has no sender of its own)
   * @param now the time of writing, for a mail without a date of its own, and the zone the
   *     {@code Date} header is written in; not null
   * @return the message's bytes, ASCII, CRLF line ends, ending with CRLF
   */
  public static byte[] write(EmailMessage message, @Nullable Mailbox defaultFrom, ZonedDateTime now) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(now, "now");
    Instant date = message.date();
    return write(message, defaultFrom, date == null ? now : date.atZone(now.getZone()),
        messageId(message, defaultFrom));
  }

  /**
   * Returns the {@code Message-ID} {@link #write(EmailMessage, Mailbox, ZonedDateTime)} writes:
   * the message's own, on the effective sender's domain when it was made without a sender.
   *
   * @param message the mail; not null
   * @param defaultFrom the sender when the mail names none, or {@code null}
   * @return the identifier, angle brackets included
   */
  public static String messageId(EmailMessage message, @Nullable Mailbox defaultFrom) {
    Mailbox from = message.from() != null ? message.from() : defaultFrom;
    String messageId = message.messageId();
    if (from != null && messageId.endsWith("@" + NO_DOMAIN + ">")) {
      messageId = messageId.substring(0, messageId.length() - NO_DOMAIN.length() - 1)
          + from.address().substring(from.address().lastIndexOf('@') + 1) + ">";
    }
    return messageId;
  }

  /**
   * Writes the message with the given {@code Date} and {@code Message-ID} instead of its own.
   *
   * @param message the mail; not null
   * @param defaultFrom the sender when the mail names none; {@code null} writes no {@code From}
   *     header for such a mail (a file transport has no sender of its own)
   * @param date the {@code Date} header's time, written in its zone; not null
   * @param messageId the {@code Message-ID}; printable ASCII in angle brackets, not null
   * @return the message's bytes, ASCII, CRLF line ends, ending with CRLF
   * @throws IllegalArgumentException when {@code messageId} is not {@code <...>} in printable ASCII
   *     without spaces
   */
  public static byte[] write(EmailMessage message, @Nullable Mailbox defaultFrom, ZonedDateTime date,
      String messageId) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(date, "date");
    checkMessageId(messageId);
    Mailbox from = message.from() != null ? message.from() : defaultFrom;
    String text = message.text();
    String html = message.html();

    Bytes out = new Bytes(1024 + 2 * (text.length() + (html == null ? 0 : html.length())));
    out.ascii("Date: ").ascii(DATE.format(date)).crlf();
    if (from != null) {
      out.ascii("From: ");
      mailbox(out, from, 6);
      out.crlf();
    }
    out.ascii("To: ").ascii(message.to().address()).crlf();
    out.ascii("Message-ID: ").ascii(messageId).crlf();
    unstructured(out, "Subject", message.subject());
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      unstructured(out, header.getKey(), header.getValue());
    }
    out.ascii("MIME-Version: 1.0").crlf();
    if (html == null) {
      Body body = Body.of(text, null);
      out.ascii("Content-Type: text/plain; charset=UTF-8").crlf();
      out.ascii("Content-Transfer-Encoding: ").ascii(body.encoding).crlf().crlf();
      body.writeTo(out);
      if (!out.endsWithCrlf()) {
        out.crlf(); // the message ends with a line end; a text that ends with one gets no extra line
      }
    } else {
      String boundary = "=_mv_" + boundary(text, html);
      Body textBody = Body.of(text, boundary);
      Body htmlBody = Body.of(html, boundary);
      out.ascii("Content-Type: multipart/alternative; boundary=\"").ascii(boundary).ascii("\"").crlf().crlf();
      out.ascii("--").ascii(boundary).crlf();
      out.ascii("Content-Type: text/plain; charset=UTF-8").crlf();
      out.ascii("Content-Transfer-Encoding: ").ascii(textBody.encoding).crlf().crlf();
      textBody.writeTo(out);
      out.crlf().ascii("--").ascii(boundary).crlf();
      out.ascii("Content-Type: text/html; charset=UTF-8").crlf();
      out.ascii("Content-Transfer-Encoding: ").ascii(htmlBody.encoding).crlf().crlf();
      htmlBody.writeTo(out);
      out.crlf().ascii("--").ascii(boundary).ascii("--").crlf();
    }
    return out.toByteArray();
  }

  private static void checkMessageId(String messageId) {
    Objects.requireNonNull(messageId, "messageId");
    if (messageId.length() < 3 || messageId.length() > 900 || messageId.charAt(0) != '<'
        || messageId.charAt(messageId.length() - 1) != '>'
        || !messageId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("messageId must be <...> in printable ASCII without spaces");
    }
  }

  /**
   * 24 hex digits from two 64-bit FNV-1a hashes of the bodies: stable for the same content, and
   * short enough for the Content-Type line to stay within 78 characters.
   */
  private static String boundary(String text, String html) {
    long a = 0xcbf29ce484222325L;
    long b = 0x84222325cbf29ce4L;
    for (int i = 0; i < text.length(); i++) {
      a = (a ^ text.charAt(i)) * 0x100000001b3L;
    }
    for (int i = 0; i < html.length(); i++) {
      b = (b ^ html.charAt(i)) * 0x100000001b3L;
    }
    return hex(a) + hex(b ^ a).substring(0, 8);
  }

  /** {@code display-name <address>}, the name as atoms, a quoted string or encoded words. */
  private static void mailbox(Bytes out, Mailbox mailbox, int used) {
    String address = "<" + mailbox.address() + ">";
    String name = mailbox.displayName();
    if (name == null) {
      out.ascii(mailbox.address());
      return;
    }
    int column;
    if (isAtoms(name)) {
      out.ascii(name);
      column = used + name.length();
    } else if (isPrintableAscii(name) && !name.contains("=?") && name.length() < 900) {
      StringBuilder quoted = new StringBuilder(name.length() + 8).append('"');
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '"' || c == '\\') {
          quoted.append('\\');
        }
        quoted.append(c);
      }
      out.ascii(quoted.append('"').toString());
      column = used + quoted.length();
    } else {
      column = encodedWords(out, name, used);
    }
    if (column + 1 + address.length() > LINE) {
      out.crlf();
      column = 0;
    }
    out.ascii(" ").ascii(address);
  }

  /** An unstructured header: plain ASCII words folded at spaces, or else encoded words. */
  private static void unstructured(Bytes out, String name, String value) {
    out.ascii(name).ascii(":");
    int used = name.length() + 1;
    if (isPlainWords(value)) {
      out.ascii(" ");
      used++;
      int start = 0;
      while (used + value.length() - start > LINE) {
        int limit = Math.min(value.length() - 1, start + LINE - used);
        int space = value.lastIndexOf(' ', limit);
        if (space <= start) {
          space = value.indexOf(' ', limit);
          if (space < 0) {
            break;
          }
        }
        out.ascii(value, start, space).crlf(); // the space starts the next line (RFC 5322 folding)
        start = space;
        used = 0;
      }
      out.ascii(value, start, value.length()).crlf();
      return;
    }
    if (LINE - (used + 1) - ENCODED_WORD_OVERHEAD < 8) {
      out.crlf(); // a long header name: the first word (room for any character) goes on the next line
      used = 0;
    }
    out.ascii(" ");
    encodedWords(out, value, used + 1);
    out.crlf();
  }

  /**
   * Writes {@code text} as RFC 2047 B-encoded UTF-8 words, each whole characters, each line at most
   * 76 characters, continuation lines starting with a space (ignored between encoded words).
   *
   * @param used the characters already on the current line
   * @return the characters on the last line written
   */
  private static int encodedWords(Bytes out, String text, int used) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    boolean first = true;
    while (start < utf8.length) {
      if (!first) {
        out.crlf().ascii(" ");
        used = 1;
      }
      int maxBytes = (LINE - used - ENCODED_WORD_OVERHEAD) / 4 * 3;
      int end = start;
      while (end < utf8.length) {
        int next = end + utf8Length(utf8[end]);
        if (next - start > maxBytes) {
          break;
        }
        end = next;
      }
      if (end == start) { // cannot happen for lines of 76 (a character is at most 4 bytes); stay safe
        end = Math.min(utf8.length, start + utf8Length(utf8[start]));
      }
      out.ascii("=?UTF-8?B?");
      byte[] word = Base64.getEncoder().encode(Arrays.copyOfRange(utf8, start, end));
      out.bytes(word, 0, word.length);
      out.ascii("?=");
      used += ENCODED_WORD_OVERHEAD + word.length;
      start = end;
      first = false;
    }
    return used;
  }

  private static int utf8Length(byte lead) {
    int b = lead & 0xff;
    if (b < 0x80) {
      return 1;
    }
    if (b >= 0xf0) {
      return 4;
    }
    return b >= 0xe0 ? 3 : 2;
  }

  /** Printable ASCII words separated by single spaces, no encoded-word look-alike, no overlong word. */
  private static boolean isPlainWords(String s) {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ' || s.contains("=?")) {
      return false;
    }
    int word = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (s.charAt(i - 1) == ' ') {
          return false;
        }
        word = 0;
      } else if (c < 0x21 || c > 0x7e || ++word > 900) {
        return false;
      }
    }
    return true;
  }

  /** RFC 5322 atoms separated by single spaces: a display name that needs no quotes. */
  private static boolean isAtoms(String s) {
    if (!isPlainWords(s) || s.length() > 900) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if ("()<>[]:;@\\,.\"".indexOf(s.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return h.length() == 16 ? h : "0".repeat(16 - h.length()) + h;
  }

  /** One text body, UTF-8, with the transfer encoding chosen for it. */
  private static final class Body {
    final String encoding;
    private final byte[] utf8;

    private Body(String encoding, byte[] utf8) {
      this.encoding = encoding;
      this.utf8 = utf8;
    }

    /**
     * Chooses the encoding: 7bit for ASCII text with lines of at most 998 bytes (and without the
     * multipart boundary in it), else the shorter of quoted-printable and base64.
     */
    static Body of(String text, @Nullable String boundary) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      boolean sevenBit = true;
      int escaped = 0;
      int line = 0;
      for (byte value : utf8) {
        int b = value & 0xff;
        if (b == '\r' || b == '\n') {
          line = 0;
          continue;
        }
        if (++line > MAX_LINE) {
          sevenBit = false;
        }
        if (b >= 0x7f || (b < 0x20 && b != '\t')) {
          sevenBit = false;
          escaped++;
        } else if (b == '=') {
          escaped++;
        }
      }
      if (sevenBit && (boundary == null || !text.contains(boundary))) {
        return new Body("7bit", utf8);
      }
      long quotedPrintable = utf8.length + 2L * escaped + 3L * (utf8.length / 73);
      long base64 = (utf8.length + 2L) / 3 * 4 * 78 / 76;
      return new Body(quotedPrintable <= base64 ? "quoted-printable" : "base64", utf8);
    }

    void writeTo(Bytes out) {
      switch (encoding) {
        case "7bit":
          sevenBit(out);
          break;
        case "quoted-printable":
          quotedPrintable(out);
          break;
        default:
          byte[] b64 = BASE64.encode(canonical(utf8));
          out.bytes(b64, 0, b64.length);
          break;
      }
    }

    /** The text with every line end (CR, LF or CRLF) as CRLF; no trailing line end is added. */
    private void sevenBit(Bytes out) {
      int start = 0;
      for (int i = 0; i < utf8.length; i++) {
        byte b = utf8[i];
        if (b == '\r' || b == '\n') {
          out.bytes(utf8, start, i - start).crlf();
          if (b == '\r' && i + 1 < utf8.length && utf8[i + 1] == '\n') {
            i++;
          }
          start = i + 1;
        }
      }
      out.bytes(utf8, start, utf8.length - start);
    }

    /**
     * Quoted-printable (RFC 2045, 6.7): line ends as CRLF; '=', controls, bytes above 126 and a
     * space or tab that ends a line as =XX; soft line breaks keep every line at most 76 characters.
     */
    private void quotedPrintable(Bytes out) {
      int n = utf8.length;
      // at most 3 characters per byte (=XX, or CRLF for a lone CR or LF), and a soft break
      // ("=" CRLF) after every 73 or more of them: 3n/73 < n/24 soft breaks
      byte[] q = new byte[n * 3 + (n / 24 + 2) * 3];
      int o = 0;
      int column = 0;
      for (int i = 0; i < n; i++) {
        int b = utf8[i] & 0xff;
        if (b == '\r' || b == '\n') {
          if (b == '\r' && i + 1 < n && utf8[i + 1] == '\n') {
            i++;
          }
          q[o++] = '\r';
          q[o++] = '\n';
          column = 0;
          continue;
        }
        boolean literal = b >= 0x21 && b <= 0x7e && b != '=';
        if (!literal && (b == ' ' || b == '\t')) {
          literal = !lineEnd(i); // a space or tab that ends a line would be lost: =20 / =09
        }
        int width = literal ? 1 : 3;
        // at most 75 characters and a soft break "="; the last one of a line may use column 76
        if (column + width > LINE - 1 && !(column + width <= LINE && lineEnd(i))) {
          q[o++] = '=';
          q[o++] = '\r';
          q[o++] = '\n';
          column = 0;
        }
        if (literal) {
          q[o++] = (byte) b;
        } else {
          q[o++] = '=';
          q[o++] = HEX[b >> 4];
          q[o++] = HEX[b & 0xf];
        }
        column += width;
      }
      out.bytes(q, 0, o);
    }

    private boolean lineEnd(int i) {
      return i + 1 == utf8.length || utf8[i + 1] == '\r' || utf8[i + 1] == '\n';
    }

    private static byte[] canonical(byte[] utf8) {
      int extra = 0;
      for (int i = 0; i < utf8.length; i++) {
        if (utf8[i] == '\n' && (i == 0 || utf8[i - 1] != '\r')) {
          extra++;
        } else if (utf8[i] == '\r' && (i + 1 == utf8.length || utf8[i + 1] != '\n')) {
          extra++;
        }
      }
      if (extra == 0) {
        return utf8;
      }
      byte[] out = new byte[utf8.length + extra];
      int o = 0;
      for (int i = 0; i < utf8.length; i++) {
        byte b = utf8[i];
        if (b == '\n' && (i == 0 || utf8[i - 1] != '\r')) {
          out[o++] = '\r';
          out[o++] = '\n';
        } else if (b == '\r' && (i + 1 == utf8.length || utf8[i + 1] != '\n')) {
          out[o++] = '\r';
          out[o++] = '\n';
        } else {
          out[o++] = b;
        }
      }
      return out;
    }
  }

  /** A growing byte buffer; not synchronized (one per message, one thread). */
  private static final class Bytes {
    private byte[] buf;
    private int count;

    Bytes(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    Bytes put(int b) {
      ensure(1);
      buf[count++] = (byte) b;
      return this;
    }

    Bytes bytes(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
      return this;
    }

    /** Appends characters known to be ASCII. */
    Bytes ascii(String s) {
      return ascii(s, 0, s.length());
    }

    Bytes ascii(String s, int from, int to) {
      ensure(to - from);
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c > 0x7e) {
          throw new IllegalStateException("not ASCII at " + i); // a bug here, never user input (checked before)
        }
        buf[count++] = (byte) c;
      }
      return this;
    }

    boolean endsWithCrlf() {
      return count >= 2 && buf[count - 2] == '\r' && buf[count - 1] == '\n';
    }

    Bytes crlf() {
      ensure(2);
      buf[count++] = '\r';
      buf[count++] = '\n';
      return this;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }
  }
}
