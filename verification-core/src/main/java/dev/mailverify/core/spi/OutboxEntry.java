package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.VerificationType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One mail in a durable {@link MailOutbox}: the {@link EmailMessage} itself (every field, so the
 * instance that sends it writes the same bytes with the same Message-ID and Date as any other
 * would, C31) and its {@link DeliveryContext} (which code it carries and when it was queued, so
 * the instance that finishes it can report it and, on a permanent failure, invalidate the code;
 * the code's expiry is the message's {@link EmailMessage#notAfter()}, so an expired mail is never
 * sent).
 *
 * <p><b>Sealed entries (C14).</b> The mail carries the verification code and link in clear, so
 * {@code AsyncMailTransport} never hands an outbox the mail itself: it {@linkplain #sealed seals}
 * each entry under a key derived from the application's secret (AES-256-GCM) and opens it again
 * after a claim. A sealed entry shows only what an outbox needs to store and order it: its
 * {@linkplain #id() ID}, its {@linkplain #notAfter() expiry} and {@linkplain #queuedAt() when it
 * was queued}; {@link #message()} and {@link #context()} are for the transport that opens it. A
 * {@link MailOutbox} stores and returns every entry as it got it, sealed or not.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} are the one stored form, versioned, so that
 * Redis and SQL store the same thing and instances of different library versions can share an
 * outbox: format 1 is an open entry, format 2 a sealed one (an earlier version, which reads only
 * format 1, refuses a sealed entry rather than send it). {@link #toString()} shows neither code nor
 * body (C16).
 *
 * <p>Immutable and thread-safe.
 */
public final class OutboxEntry {
  private static final int FORMAT = 1;
  private static final int SEALED_FORMAT = 2;
  /** Longest stored form accepted back (16 MiB), so a corrupt length cannot exhaust memory. */
  private static final int MAX_BYTES = 16 << 20;

  private final String id;
  private final @Nullable EmailMessage message;
  private final @Nullable DeliveryContext context;
  private final byte @Nullable [] sealed;
  private final @Nullable Instant notAfter;
  private final Instant queuedAt;

  private OutboxEntry(String id, EmailMessage message, DeliveryContext context) {
    this.id = id;
    this.message = message;
    this.context = context;
    this.sealed = null;
    this.notAfter = message.notAfter();
    this.queuedAt = context.queuedAt();
  }

  private OutboxEntry(String id, @Nullable Instant notAfter, Instant queuedAt, byte[] sealed) {
    this.id = id;
    this.message = null;
    this.context = null;
    this.sealed = sealed;
    this.notAfter = notAfter;
    this.queuedAt = queuedAt;
  }

  /**
   * Creates an entry with a new random ID.
   *
   * @param message the mail; not null
   * @param context what the sender knew about it; not null
   * @return the entry
   */
  public static OutboxEntry of(EmailMessage message, DeliveryContext context) {
    return new OutboxEntry(UUID.randomUUID().toString(), Objects.requireNonNull(message, "message"),
        Objects.requireNonNull(context, "context"));
  }

  /**
   * Makes a sealed entry: the form in which the transport hands a mail to an outbox. Only the
   * transport that holds the key makes and opens them; an outbox stores them as they are.
   *
   * @param id the open entry's ID; not null
   * @param notAfter the mail's expiry, or null for none
   * @param queuedAt when the mail was queued; not null
   * @param payload the sealed open entry; not null, 1 byte or more
   * @return the entry
   * @throws IllegalArgumentException if the payload is empty
   */
  public static OutboxEntry sealed(String id, @Nullable Instant notAfter, Instant queuedAt, byte[] payload) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(queuedAt, "queuedAt");
    Objects.requireNonNull(payload, "payload");
    if (payload.length == 0) {
      throw new IllegalArgumentException("a sealed payload is not empty");
    }
    return new OutboxEntry(id, notAfter, queuedAt, payload.clone());
  }

  /**
   * Returns the entry's ID: a random UUID made when it was created, the same on every instance.
   *
   * @return the ID, 36 characters
   */
  public String id() {
    return id;
  }

  /**
   * Tells whether this entry is sealed: its mail is readable only by a transport holding the key.
   *
   * @return {@code true} if sealed
   */
  public boolean isSealed() {
    return sealed != null;
  }

  /**
   * Returns the sealed payload.
   *
   * @return new bytes
   * @throws IllegalStateException if the entry is not sealed
   */
  public byte[] sealedPayload() {
    if (sealed == null) {
      throw new IllegalStateException("the outbox entry " + id + " is not sealed");
    }
    return sealed.clone();
  }

  /**
   * Returns the mail's expiry (its code's), after which it is never sent; readable on a sealed
   * entry too.
   *
   * @return the expiry, or null for a mail without one
   */
  public @Nullable Instant notAfter() {
    return notAfter;
  }

  /**
   * Returns when the mail was queued; readable on a sealed entry too.
   *
   * @return the time
   */
  public Instant queuedAt() {
    return queuedAt;
  }

  /**
   * Returns the mail.
   *
   * @return the mail
   * @throws IllegalStateException if the entry is sealed (only the transport that sealed it opens it)
   */
  public EmailMessage message() {
    if (message == null) {
      throw new IllegalStateException("the outbox entry " + id + " is sealed: its mail is opened by the transport");
    }
    return message;
  }

  /**
   * Returns what the sender knew about the mail.
   *
   * @return the context
   * @throws IllegalStateException if the entry is sealed (only the transport that sealed it opens it)
   */
  public DeliveryContext context() {
    if (context == null) {
      throw new IllegalStateException("the outbox entry " + id + " is sealed: its mail is opened by the transport");
    }
    return context;
  }

  /**
   * Returns the stored form: a version byte, then every field of the message and the context (an
   * open entry) or the ID, the expiry, the time queued and the sealed payload (a sealed one).
   *
   * @return new bytes
   */
  public byte[] toBytes() {
    if (sealed != null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + sealed.length);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(SEALED_FORMAT);
        string(out, id);
        instant(out, notAfter);
        instant(out, queuedAt);
        out.writeInt(sealed.length);
        out.write(sealed);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
      return bytes.toByteArray();
    }
    EmailMessage message = Objects.requireNonNull(this.message);
    DeliveryContext context = Objects.requireNonNull(this.context);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + message.text().length()
        + (message.html() == null ? 0 : message.html().length()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      string(out, id);
      Mailbox from = message.from();
      out.writeBoolean(from != null);
      if (from != null) {
        string(out, from.address());
        optional(out, from.displayName());
      }
      string(out, message.to().address());
      string(out, message.subject());
      string(out, message.text());
      optional(out, message.html());
      out.writeInt(message.headers().size());
      for (Map.Entry<String, String> h : message.headers().entrySet()) {
        string(out, h.getKey());
        string(out, h.getValue());
      }
      optional(out, message.code());
      string(out, message.messageId());
      instant(out, message.date());
      instant(out, message.notAfter());
      CodeKey key = context.codeKey();
      out.writeBoolean(key != null);
      if (key != null) {
        string(out, key.type().name());
        string(out, key.address());
      }
      optional(out, context.clientKey());
      instant(out, context.queuedAt());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Reads an entry back from {@link #toBytes()}.
   *
   * @param bytes the stored form; not null
   * @return the entry, equal to the one written
   * @throws IllegalArgumentException if the bytes are not a stored entry of a known version (the
   *     message names the version found, never the content)
   */
  public static OutboxEntry fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("an outbox entry is at most " + MAX_BYTES + " bytes, was " + bytes.length);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format == SEALED_FORMAT) {
        String id = string(in);
        Instant notAfter = instant(in);
        Instant queuedAt = instant(in);
        int n = in.readInt();
        if (queuedAt == null || n <= 0 || n > in.available()) {
          throw new IllegalArgumentException("corrupt sealed outbox entry");
        }
        byte[] payload = in.readNBytes(n);
        if (in.read() != -1) {
          throw new IllegalArgumentException("corrupt sealed outbox entry: bad trailer");
        }
        return new OutboxEntry(id, notAfter, queuedAt, payload);
      }
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown outbox entry format " + format + " (this version reads "
            + FORMAT + " and " + SEALED_FORMAT + "): an instance of a newer mailverify wrote it");
      }
      String id = string(in);
      Mailbox from = in.readBoolean() ? new Mailbox(string(in), optional(in)) : null;
      EmailMessage.Builder b = EmailMessage.builder(EmailAddress.parse(string(in)))
          .from(from)
          .subject(string(in))
          .text(string(in))
          .html(optional(in));
      int headers = in.readInt();
      if (headers < 0 || headers > 1000) {
        throw new IllegalArgumentException("corrupt outbox entry: " + headers + " headers");
      }
      for (int i = 0; i < headers; i++) {
        b.header(string(in), string(in));
      }
      b.code(optional(in)).messageId(string(in)).date(instant(in)).notAfter(instant(in));
      CodeKey key = in.readBoolean() ? new CodeKey(VerificationType.of(string(in)), string(in)) : null;
      String clientKey = optional(in);
      Instant queuedAt = instant(in);
      if (queuedAt == null || in.read() != -1) {
        throw new IllegalArgumentException("corrupt outbox entry: bad trailer");
      }
      return new OutboxEntry(id, b.build(), new DeliveryContext(key, clientKey, queuedAt));
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt outbox entry: truncated", e);
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void optional(DataOutputStream out, @Nullable String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      string(out, s);
    }
  }

  private static void instant(DataOutputStream out, @Nullable Instant t) throws IOException {
    out.writeBoolean(t != null);
    if (t != null) {
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    }
  }

  private static String string(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IllegalArgumentException("corrupt outbox entry: string of " + n + " bytes");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static @Nullable String optional(DataInputStream in) throws IOException {
    return in.readBoolean() ? string(in) : null;
  }

  private static @Nullable Instant instant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof OutboxEntry o && id.equals(o.id) && Objects.equals(message, o.message)
        && Objects.equals(context, o.context) && Arrays.equals(sealed, o.sealed)
        && Objects.equals(notAfter, o.notAfter) && queuedAt.equals(o.queuedAt);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /**
   * Shows the ID, the masked recipient and the Message-ID (a sealed entry: the ID and the expiry);
   * never the code or the body (C16).
   */
  @Override
  public String toString() {
    if (message == null) {
      return "OutboxEntry[id=" + id + ", sealed, notAfter=" + notAfter + "]";
    }
    return "OutboxEntry[id=" + id + ", to=" + message.to().masked() + ", messageId=" + message.messageId()
        + ", notAfter=" + message.notAfter() + "]";
  }
}
