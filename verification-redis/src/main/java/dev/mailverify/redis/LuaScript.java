package dev.mailverify.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1, as {@code EVALSHA} names it. The SHA is computed here, so a store
 * never needs {@code SCRIPT LOAD}: the first call on a node that lacks the script gets
 * {@code NOSCRIPT} and sends the script once with {@code EVAL}, which caches it there.
 *
 * @param name a short name for messages
 * @param source the Lua source
 * @param sha the SHA-1 of the source, lower-case hex
 */
record LuaScript(String name, String source, String sha) {

  /** Makes a script and computes its SHA-1. */
  static LuaScript of(String name, String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }
}
