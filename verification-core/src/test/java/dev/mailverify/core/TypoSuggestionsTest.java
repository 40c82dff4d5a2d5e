package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 21: "did you mean li@gmail.com?" for typo domains of major providers, by example. */
class TypoSuggestionsTest {
  private static final TypoSuggestions STANDARD = TypoSuggestions.standard();

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Typos at the international providers are corrected: swapped, missing, extra letters and TLD slips")
  @CsvSource({
      "li@gmial.com, li@gmail.com", "li@gamil.com, li@gmail.com", "li@gmai.com, li@gmail.com",
      "li@gmaill.com, li@gmail.com", "li@gmail.con, li@gmail.com", "li@gmail.co, li@gmail.com",
      "li@gmail.cm, li@gmail.com", "li@gmail.comm, li@gmail.com", "li@gmail.cmo, li@gmail.com",
      "li@gmial.con, li@gmail.com", "li@gnail.com, li@gmail.com", "li@gotmail.com, li@hotmail.com",
      "li@hptmail.com, li@hotmail.com", "li@gmail.xom, li@gmail.com", "li@googlemial.com, li@googlemail.com",
      "li@gooogelmail.com, li@googlemail.com", "bob@hotmial.com, bob@hotmail.com",
      "bob@hotmal.com, bob@hotmail.com", "bob@hotmai.com, bob@hotmail.com", "bob@outlok.com, bob@outlook.com",
      "bob@outllook.com, bob@outlook.com", "bob@yaho.com, bob@yahoo.com", "bob@yahooo.com, bob@yahoo.com",
      "bob@iclod.com, bob@icloud.com", "bob@icoud.com, bob@icloud.com", "bob@lvie.com, bob@live.com",
      "bob@aol.con, bob@aol.com", "bob@me.con, bob@me.com", "bob@protonmial.com, bob@protonmail.com",
      "bob@proton.em, bob@proton.me", "hans@gmx.dee, hans@gmx.de", "hans@web.ed, hans@web.de",
      "hans@tonline.de, hans@t-online.de", "ivan@yandx.ru, ivan@yandex.ru", "ivan@mial.ru, ivan@mail.ru"})
  void correctsInternationalTypos(String typed, String meant) {
    assertThat(STANDARD.suggest(typed)).contains(meant);
    assertThat(STANDARD.suggest(EmailAddress.parse(typed))).contains(EmailAddress.parse(meant));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Typos at the Chinese providers are corrected: QQ, NetEase 163/126/yeah, Foxmail, Sina, Sohu, Aliyun, 139")
  @CsvSource({
      "12345@qq.con, 12345@qq.com", "12345@qq.cmo, 12345@qq.com", "12345@qq.vom, 12345@qq.com",
      "12345@qq.co, 12345@qq.com", "zhang@163.con, zhang@163.com", "zhang@163.cm, zhang@163.com",
      "zhang@126.cpm, zhang@126.com", "li@foxmial.com, li@foxmail.com", "li@foxmai.com, li@foxmail.com",
      "li@sian.com, li@sina.com", "li@yeah.nte, li@yeah.net", "li@sohu.con, li@sohu.com",
      "li@aliyun.con, li@aliyun.com", "li@alyun.com, li@aliyun.com", "li@139.con, li@139.com"})
  void correctsChineseTypos(String typed, String meant) {
    assertThat(STANDARD.suggest(typed)).contains(meant);
  }

  @Test
  @DisplayName("Upper case, spaces and full-width letters are normalized first; the local part keeps its case")
  void normalizedInput() {
    assertThat(STANDARD.suggest(" Bob.Smith+tag@GMIAL.COM ")).contains("Bob.Smith+tag@gmail.com");
    assertThat(STANDARD.suggest("li@\uff27\uff2d\uff29\uff21\uff2c.com")).contains("li@gmail.com"); // full-width GMIAL
    assertThat(STANDARD.suggestDomain("HOTMIAL.com")).contains("hotmail.com");
    assertThat(STANDARD.suggest(EmailAddress.parse("Li@QQ.CON"))).contains(EmailAddress.parse("Li@qq.com"));
  }

  @ParameterizedTest
  @DisplayName("Internationalized domains are compared in ASCII (punycode) and are not corrected into a provider")
  @ValueSource(strings = {"li@例子.中国", "li@bücher.de", "li@xn--bcher-kva.de", "li@gmäil.com", "li@почта.рф"})
  void idnDomains(String typed) {
    assertThat(STANDARD.suggest(typed)).isEmpty();
  }

  static final List<String> PROVIDERS = TypoSuggestions.STANDARD_PROVIDERS;

  @ParameterizedTest
  @DisplayName("A listed provider gets no suggestion, in any case")
  @FieldSource("PROVIDERS")
  void providersUnchanged(String domain) {
    assertThat(STANDARD.suggest("alice@" + domain)).isEmpty();
    assertThat(STANDARD.suggest("alice@" + domain.toUpperCase(java.util.Locale.ROOT))).isEmpty();
  }

  @ParameterizedTest
  @DisplayName("Real look-alikes, country versions and unrelated domains get no suggestion")
  @ValueSource(strings = {"email.com", "ymail.com", "mail.com", "163.net", "vip.qq.com", "vip.163.com", "yahoo.fr",
      "yahoo.co.jp", "yahoo.co.uk", "hotmail.fr", "hotmail.co.uk", "outlook.de", "live.cn", "qq.cn", "love.com",
      "line.com", "life.com", "soho.com", "china.com", "sina.cn", "example.com", "example.test", "company.cn",
      "university.edu", "tsinghua.edu.cn", "mail.gmail.com", "aq.com", "qa.com", "136.com", "162.com", "wahoo.com",
      "yeah.com", "icloud.com.cn", "foxmail.cn", "myqq.com", "gmail.co.uk", "gmail.de", "gmx.at", "gmx.ch",
      "web.com", "gmail.ru", "email.ru", "yandex.ua", "ya.ru", "bk.ru", "never.com", "proton.com", "pm.me",
      "mailinator.com", "protonmail.ch", "mac.com", "mailbox.org", "posteo.de", "yopmail.com", "lastmail.com",
      "zetmail.com", "zoemail.com", "famamail.com", "mail.ml", "mail.tm", "kmail.li", "proton.mr", "web.dk",
      "hot-mail.cf", "yahoox.cyou", "sin.cl", "online.ms", "gmail.cn", "qq.com.cn", "hotmail.de", "outlook.jp"})
  void noFalsePositives(String domain) {
    assertThat(STANDARD.suggest("alice@" + domain)).isEmpty();
  }

  @ParameterizedTest
  @DisplayName("Text that is not an address gets no suggestion and no exception")
  @ValueSource(strings = {"", " ", "@", "alice@", "@gamil.com", "alice", "alice@gamil", "alice@.com", "alice@gamil.com.",
      "al ice@gamil.com", "alice@gamil.com\r\nBcc: x@y.com", "用户@gamil.com"})
  void notAnAddress(String typed) {
    assertThat(STANDARD.suggest(typed)).isEmpty();
  }

  @Test
  @DisplayName("A replaced character counts only when its key touches the right one on a QWERTY keyboard")
  void keyboardNeighbours() {
    assertThat(TypoSuggestions.adjacentKeys('g', 'h')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('g', 't')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('g', 'y')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('g', 'b')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('g', 'v')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('o', '0')).isTrue();
    assertThat(TypoSuggestions.adjacentKeys('y', 'p')).isFalse();
    assertThat(TypoSuggestions.adjacentKeys('g', 'n')).isFalse();
    assertThat(TypoSuggestions.adjacentKeys('l', 'f')).isFalse();
    assertThat(TypoSuggestions.adjacentKeys('a', '.')).isFalse();
    for (char c = 'a'; c <= 'z'; c++) {
      for (char d = 'a'; d <= 'z'; d++) {
        assertThat(TypoSuggestions.adjacentKeys(c, d)).isEqualTo(TypoSuggestions.adjacentKeys(d, c));
      }
    }
  }

  @Test
  @DisplayName("none() suggests nothing; of() suggests only the application's own domains; plus() adds to the standard list")
  void ownLists() {
    assertThat(TypoSuggestions.none().suggest("li@gmial.com")).isEmpty();
    assertThat(TypoSuggestions.none().providers()).isEmpty();
    TypoSuggestions own = TypoSuggestions.of(List.of("Roamio.test"));
    assertThat(own.suggest("ops@roamoi.test")).contains("ops@roamio.test");
    assertThat(own.suggest("ops@roamio.tset")).contains("ops@roamio.test");
    assertThat(own.suggest("ops@roamio.test")).isEmpty();
    assertThat(own.suggest("li@gmial.com")).isEmpty();
    TypoSuggestions both = TypoSuggestions.standard().plus(List.of("roamio.test"));
    assertThat(both.suggest("li@gmial.com")).contains("li@gmail.com");
    assertThat(both.suggest("ops@roamoi.test")).contains("ops@roamio.test");
    assertThat(both.providers()).startsWith("qq.com").endsWith("roamio.test");
    assertThatThrownBy(() -> TypoSuggestions.of(List.of("localhost"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domains");
    assertThatThrownBy(() -> TypoSuggestions.of(List.of("bad domain.com"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(TypoSuggestions.none()).hasToString("TypoSuggestions[none]");
  }
}
