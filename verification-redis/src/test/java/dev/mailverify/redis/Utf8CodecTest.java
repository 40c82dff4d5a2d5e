package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The codec tells Lettuce its sizes are exact, and Lettuce writes each argument's length before
 * the argument: a size off by one byte would corrupt every command after it. So the size must be
 * the bytes written, for every string a caller can pass, malformed ones included.
 */
class Utf8CodecTest {

  @Property(tries = 2_000)
  @Label("C28: the announced size is the bytes written, for any string (unpaired surrogates included)")
  void sizeIsTheBytesWritten(@ForAll("anyChars") String value) {
    assertThat(written(value)).isEqualTo(Utf8Codec.INSTANCE.estimateSize(value));
  }

  @Property(tries = 500)
  @Label("C28: well-formed text is written as UTF-8, byte for byte what the JDK encodes")
  void wellFormedTextIsUtf8(@ForAll("wellFormed") String value) {
    ByteBuf buf = Unpooled.buffer();
    Utf8Codec.INSTANCE.encodeValue(value, buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    assertThat(bytes).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
  }

  @Example
  @Label("C28: the edge cases by name: empty, ASCII, two-, three- and four-byte characters, lone surrogates")
  void edgeCases() {
    for (String value : new String[] {"", "a", "ü", "中文", "😀", "\uD800", "\uDC00x", "\uD800\uD800\uDC00", "x\uD83D"}) {
      assertThat(written(value)).as("%s", value.codePoints().mapToObj(Integer::toHexString).toList())
          .isEqualTo(Utf8Codec.INSTANCE.estimateSize(value));
    }
    assertThat(Utf8Codec.INSTANCE.isEstimateExact()).isTrue();
    assertThat(Utf8Codec.INSTANCE.estimateSize(null)).isZero();
  }

  private static int written(String value) {
    ByteBuf buf = Unpooled.buffer();
    Utf8Codec.INSTANCE.encodeValue(value, buf);
    return buf.readableBytes();
  }

  @Provide
  Arbitrary<String> anyChars() {
    return Arbitraries.strings().all().ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> wellFormed() {
    return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(20)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }
}
