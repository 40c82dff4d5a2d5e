package dev.mailverify.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainSuggestionsTest {
  private static final DomainSuggestions SUGGESTIONS = DomainSuggestions.standard();

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Typos at the providers people use are corrected")
  @CsvSource({
      "alice@gamil.com, alice@gmail.com", "alice@gmial.com, alice@gmail.com", "alice@gmai.com, alice@gmail.com",
      "alice@gmaill.com, alice@gmail.com", "alice@gmail.con, alice@gmail.com", "alice@gmail.cm, alice@gmail.com",
      "alice@gmail.comm, alice@gmail.com", "alice@gmail.cmo, alice@gmail.com", "alice@gmial.con, alice@gmail.com",
      "12345@qq.con, 12345@qq.com", "12345@qq.cmo, 12345@qq.com", "12345@qq.vom, 12345@qq.com",
      "zhang@163.con, zhang@163.com", "zhang@126.cpm, zhang@126.com", "bob@hotmial.com, bob@hotmail.com",
      "bob@hotmal.com, bob@hotmail.com", "bob@hotmai.com, bob@hotmail.com", "bob@outlok.com, bob@outlook.com",
      "bob@outllook.com, bob@outlook.com", "bob@yahooo.com, bob@yahoo.com", "bob@yaho.com, bob@yahoo.com",
      "bob@iclod.com, bob@icloud.com", "bob@icoud.com, bob@icloud.com", "li@foxmial.com, li@foxmail.com",
      "li@foxmai.com, li@foxmail.com", "li@sian.com, li@sina.com", "li@yeah.nte, li@yeah.net",
      "li@sohu.con, li@sohu.com", "bob@lvie.com, bob@live.com", "Bob.Smith+tag@GAMIL.COM, Bob.Smith+tag@gmail.com"})
  void correctsTypos(String typed, String expected) {
    assertThat(SUGGESTIONS.suggest(typed)).contains(expected);
  }

  static final List<String> REAL = DomainSuggestions.STANDARD_PROVIDERS;

  @ParameterizedTest
  @DisplayName("The providers themselves get no suggestion")
  @FieldSource("REAL")
  void providersUnchanged(String domain) {
    assertThat(SUGGESTIONS.suggest("alice@" + domain)).isEmpty();
    assertThat(SUGGESTIONS.suggest("alice@" + domain.toUpperCase())).isEmpty();
  }

  @ParameterizedTest
  @DisplayName("Real look-alikes, country versions and unrelated domains get no suggestion")
  @ValueSource(strings = {"email.com", "ymail.com", "gmx.com", "gmx.net", "mail.com", "me.com", "163.net", "vip.qq.com",
      "vip.163.com", "yahoo.fr", "yahoo.co.jp", "yahoo.co.uk", "hotmail.fr", "hotmail.co.uk", "outlook.de", "live.cn",
      "qq.cn", "love.com", "line.com", "life.com", "soho.com", "china.com", "sina.cn", "example.com", "example.test",
      "company.cn", "university.edu", "tsinghua.edu.cn", "mail.gmail.com", "aq.com", "qa.com", "136.com", "162.com",
      "wahoo.com", "yeah.com", "icloud.com.cn", "foxmail.cn", "myqq.com", "gmail.co.uk", "gmail.de", "zoho.com"})
  void noFalsePositives(String domain) {
    assertThat(SUGGESTIONS.suggest("alice@" + domain)).isEmpty();
  }

  @ParameterizedTest
  @DisplayName("Text that is not an address gets no suggestion and no exception")
  @ValueSource(strings = {"", " ", "@", "alice@", "@gamil.com", "alice", "alice@gamil", "alice@.com", "alice@gamil.com."})
  void notAnAddress(String typed) {
    assertThat(SUGGESTIONS.suggest(typed)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("An application list of its own works the same way")
  @CsvSource({"ops@roamio.test, ''", "ops@roamoi.test, ops@roamio.test", "ops@roamio.tset, ops@roamio.test"})
  void ownList(String typed, String expected) {
    assertThat(DomainSuggestions.of(List.of("roamio.test")).suggest(typed).orElse("")).isEqualTo(expected);
  }
}
