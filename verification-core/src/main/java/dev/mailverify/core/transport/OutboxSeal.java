package dev.mailverify.core.transport;

import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.OutboxEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the mails a durable outbox holds, so that a dump of the outbox holds no code or link
 * (C14): each entry's stored form is encrypted with AES-256-GCM under a key derived from the
 * application's secret ({@code HMAC-SHA256(secret, "mailverify outbox seal v1")}), with a random
 * 96-bit nonce per entry and the entry's ID as associated data, so a payload cannot be moved to
 * another entry. Earlier secrets open what was sealed before a rotation; new entries are sealed
 * under the current one. Thread-safe.
 */
final class OutboxSeal {
  private static final String LABEL = "mailverify outbox seal v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<SecretKeySpec> keys;

  /** Thrown when no key opens an entry: it was sealed under a secret this instance does not have. */
  static final class CannotOpenException extends Exception {
    private static final long serialVersionUID = 1L;

    CannotOpenException(String message) {
      super(message);
    }
  }

  /**
   * Derives the keys.
   *
   * @param current the secret new entries are sealed under, at least 32 bytes
   * @param previous earlier secrets, each at least 32 bytes
   * @throws IllegalArgumentException if a secret is shorter than 32 bytes (the value never shown)
   */
  OutboxSeal(byte[] current, List<byte[]> previous) {
    List<SecretKeySpec> list = new ArrayList<>();
    for (byte[] key : new Secrets(current, previous).derivedKeys(LABEL)) {
      list.add(new SecretKeySpec(key, "AES"));
    }
    keys = List.copyOf(list);
  }

  /** Returns the sealed form of an open entry, or the entry itself if it is sealed already. */
  OutboxEntry seal(OutboxEntry open) {
    if (open.isSealed()) {
      return open;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(open.id().getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(open.toBytes());
      byte[] payload = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return OutboxEntry.sealed(open.id(), open.notAfter(), open.queuedAt(), payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available", e);
    }
  }

  /**
   * Opens a sealed entry with the first key that fits; an open entry (stored by a version that did
   * not seal) is returned as it is.
   *
   * @throws CannotOpenException if no key fits, or the payload was altered or moved to another entry
   */
  OutboxEntry open(OutboxEntry entry) throws CannotOpenException {
    if (!entry.isSealed()) {
      return entry;
    }
    byte[] payload = entry.sealedPayload();
    if (payload.length <= NONCE_BYTES) {
      throw new CannotOpenException("the sealed outbox entry " + entry.id() + " is too short");
    }
    for (SecretKeySpec key : keys) {
      byte[] plain;
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
        cipher.updateAAD(entry.id().getBytes(StandardCharsets.UTF_8));
        plain = cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
      } catch (AEADBadTagException e) {
        continue; // another key, or altered
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES/GCM is not available", e);
      }
      OutboxEntry open;
      try {
        open = OutboxEntry.fromBytes(plain);
      } catch (IllegalArgumentException e) {
        throw new CannotOpenException("the sealed outbox entry " + entry.id() + " holds no readable mail: "
            + e.getMessage());
      }
      if (!open.id().equals(entry.id()) || open.isSealed()) {
        throw new CannotOpenException("the sealed outbox entry " + entry.id() + " holds another entry");
      }
      return open;
    }
    throw new CannotOpenException("no secret of this instance opens the outbox entry " + entry.id()
        + ": it was sealed under a secret this instance does not have (give every instance sharing the"
        + " outbox the same secret, and the previous one after a rotation)");
  }
}
