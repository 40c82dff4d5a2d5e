package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 21: the typo suggestions, proven with random domains: random names and endings, and the
 * listed providers with one or two random edits (a swap, a missing, extra or replaced character).
 */
class TypoSuggestionsPropertiesTest {
  private static final TypoSuggestions STANDARD = TypoSuggestions.standard();
  private static final List<String> PROVIDERS = TypoSuggestions.STANDARD_PROVIDERS;

  @Provide
  Arbitrary<String> randomDomains() {
    Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1)
        .ofMaxLength(12).filter(s -> !s.startsWith("-") && !s.endsWith("-"));
    Arbitrary<String> ending = Arbitraries.oneOf(Arbitraries.of("com", "con", "cm", "co", "net", "nte", "cn", "de",
        "ru", "me", "com.cn", "co.uk", "test"), label);
    return Combinators.combine(label, ending).as((n, e) -> n + "." + e);
  }

  /** A provider with one or two random edits. */
  @Provide
  Arbitrary<String> mistypedProviders() {
    return Combinators.combine(Arbitraries.of(PROVIDERS), edits(), edits(), Arbitraries.of(1, 2))
        .as((p, first, second, count) -> count == 1 ? first.apply(p) : second.apply(first.apply(p)));
  }

  private static Arbitrary<Edit> edits() {
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 40);
    Arbitrary<Character> letter = Arbitraries.chars().range('a', 'z');
    return Combinators.combine(kind, position, letter).as(Edit::new);
  }

  /** One edit of a string: 0 swap, 1 delete, 2 insert, 3 replace, at a position modulo its length. */
  record Edit(int kind, int position, char letter) {
    String apply(String s) {
      int i = position % s.length();
      return switch (kind) {
        case 0 -> i + 1 < s.length() ? s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2) : s;
        case 1 -> s.length() > 1 ? s.substring(0, i) + s.substring(i + 1) : s;
        case 2 -> s.substring(0, i) + letter + s.substring(i);
        default -> s.substring(0, i) + letter + s.substring(i + 1);
      };
    }
  }

  @Property(tries = 2000)
  @Label("A suggestion is never the domain typed, and always a listed provider")
  void neverTheSameDomain(@ForAll("randomDomains") String domain) {
    Optional<String> s = STANDARD.suggestDomain(domain);
    s.ifPresent(meant -> assertThat(meant).isNotEqualTo(domain).isIn(PROVIDERS));
  }

  @Property(tries = 2000)
  @Label("Mistyped providers: a suggestion is within the distance bound (name 1, or 2 from 10 letters; ending 1)")
  void distanceBound(@ForAll("mistypedProviders") String domain) {
    Optional<String> s = STANDARD.suggestDomain(domain);
    Statistics.collect(s.isPresent() ? "suggested" : "none");
    Statistics.coverage(c -> c.check("suggested").percentage(p -> p > 15)); // not a vacuous property
    if (s.isEmpty()) {
      return;
    }
    String meant = s.get();
    assertThat(meant).isNotEqualTo(domain).isIn(PROVIDERS);
    int dot = domain.indexOf('.');
    int pdot = meant.indexOf('.');
    String pname = meant.substring(0, pdot);
    int nameDistance = osa(domain.substring(0, dot), pname);
    int limit = pname.length() <= 3 ? 0 : pname.length() >= 10 ? 2 : 1;
    assertThat(nameDistance).as("name distance from %s to %s", domain, meant).isLessThanOrEqualTo(limit);
    assertThat(osa(domain.substring(dot + 1), meant.substring(pdot + 1)))
        .as("ending distance from %s to %s", domain, meant).isLessThanOrEqualTo(1);
    // what the service does: the address form gives the same answer
    if (EmailAddress.isValid("li@" + domain)) {
      assertThat(STANDARD.suggest(EmailAddress.parse("li@" + domain))).contains(EmailAddress.parse("li@" + meant));
    }
  }

  @Property(tries = 500)
  @Label("A listed provider never gets a suggestion, in any mix of upper and lower case")
  void providersNeverCorrected(@ForAll("casedProviders") String domain) {
    assertThat(STANDARD.suggestDomain(domain)).isEmpty();
    assertThat(STANDARD.suggest("li@" + domain)).isEmpty();
  }

  @Provide
  Arbitrary<String> casedProviders() {
    return Combinators.combine(Arbitraries.of(PROVIDERS), Arbitraries.longs()).as((p, bits) -> {
      StringBuilder sb = new StringBuilder(p);
      for (int i = 0; i < sb.length(); i++) {
        if ((bits >>> (i % 64) & 1) == 1) {
          sb.setCharAt(i, Character.toUpperCase(sb.charAt(i)));
        }
      }
      return sb.toString();
    });
  }

  @Property(tries = 1000)
  @Label("Deterministic and case-blind: the same domain in upper case gets the same answer")
  void deterministic(@ForAll("mistypedProviders") String domain) {
    assertThat(STANDARD.suggestDomain(domain.toUpperCase(Locale.ROOT))).isEqualTo(STANDARD.suggestDomain(domain));
    assertThat(STANDARD.suggestDomain(domain)).isEqualTo(TypoSuggestions.standard().suggestDomain(domain));
  }

  @Property(tries = 1000)
  @Label("One swap of two different letters in a provider name of 4 letters or more is corrected")
  void swapsAreFound(@ForAll("providersWithLongNames") String provider, @ForAll int seed) {
    String name = provider.substring(0, provider.indexOf('.'));
    int i = Math.floorMod(seed, name.length() - 1);
    if (name.charAt(i) == name.charAt(i + 1)) {
      return;
    }
    String typed = new Edit(0, i, 'a').apply(name) + provider.substring(name.length());
    if (!EmailAddress.isValid("li@" + typed)) {
      return; // a hyphen swapped to the front of a label: not an address anyone can type in
    }
    assertThat(STANDARD.suggestDomain(typed)).as(typed).contains(provider);
  }

  /** Plain optimal string alignment distance, every edit 1: an independent bound on the rules' own. */
  static int osa(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Provide
  Arbitrary<String> providersWithLongNames() {
    return Arbitraries.of(PROVIDERS.stream().filter(p -> p.indexOf('.') >= 4).toList());
  }
}
