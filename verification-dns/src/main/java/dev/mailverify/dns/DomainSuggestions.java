package dev.mailverify.dns;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Suggests the intended domain for a mistyped address at a well-known provider
 * ({@code alice@gamil.com} -> {@code alice@gmail.com}, {@code 12345@qq.con} -> {@code 12345@qq.com}):
 * a value the application shows as "did you mean ...?". It never refuses an address by itself.
 *
 * <p>The rules are cautious, so that real domains are not "corrected": a domain that is itself a
 * provider, or a known real look-alike ({@code email.com}, {@code ymail.com}, {@code gmx.com},
 * {@code mail.com} ...), gets no suggestion; a provider name of three characters or fewer
 * ({@code qq}, {@code 163}, {@code 126}) is only matched exactly, with a mistyped ending; names of
 * four or five characters allow one swap, missing or extra character, not a replaced one
 * ({@code love.com} is not {@code live.com}); longer names allow one edit, or two for seven
 * characters and more. A mistyped ending ({@code .con}, {@code .cm}, {@code .comm}) is corrected
 * only when it is not itself a common real ending ({@code yahoo.fr} and {@code 163.net} stay; {@code .cm}
 * and {@code .co}, real but the classic slips for {@code .com}, are corrected).
 *
 * <p>Immutable and thread-safe.
 */
public final class DomainSuggestions {
  /** The providers of {@link #standard()}, most used first (the first wins a tie). */
  public static final List<String> STANDARD_PROVIDERS = List.of("qq.com", "163.com", "126.com", "gmail.com",
      "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "foxmail.com", "sina.com", "live.com", "yeah.net",
      "sohu.com", "aliyun.com", "139.com", "msn.com", "aol.com", "protonmail.com");

  /** Real domains that are one or two edits from a provider and must not be corrected. */
  private static final Set<String> KNOWN_REAL = Set.of("email.com", "ymail.com", "gmx.com", "gmx.net", "gmx.de",
      "mail.com", "me.com", "mac.com", "163.net", "263.net", "188.com", "189.cn", "tom.com", "21cn.com", "sina.cn",
      "vip.qq.com", "vip.163.com", "vip.126.com", "yahoo.cn", "hotmail.co.uk", "outlook.cn", "live.cn", "msn.cn",
      "aim.com", "aol.co.uk", "soho.com", "sohu.net", "proton.me", "protonmail.ch", "rocketmail.com", "qmail.com",
      "inbox.com", "gmail.de");

  /** Endings that are real top-level or second-level domains, never corrected. */
  private static final Set<String> REAL_SUFFIXES = Set.of("com", "net", "org", "edu", "gov", "cn", "com.cn",
      "net.cn", "org.cn", "de", "fr", "uk", "co.uk", "jp", "co.jp", "ru", "it", "es", "nl", "ca", "com.au", "au",
      "com.br", "br", "in", "co.in", "kr", "co.kr", "hk", "com.hk", "tw", "com.tw", "sg", "com.sg", "mx", "com.mx",
      "ar", "com.ar", "ie", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "gr", "tr", "com.tr", "ua", "cz",
      "hu", "ro", "my", "com.my", "ph", "id", "co.id", "vn", "com.vn", "th", "co.th", "nz", "co.nz", "za", "co.za",
      "us", "info", "biz", "me", "cc", "tv", "io", "ai", "app", "dev", "mo", "eu", "asia", "top", "xyz");

  private final List<String> providers;

  private DomainSuggestions(List<String> providers) {
    this.providers = providers;
  }

  /**
   * Returns suggestions for the {@link #STANDARD_PROVIDERS}.
   *
   * @return the standard suggestions
   */
  public static DomainSuggestions standard() {
    return new DomainSuggestions(STANDARD_PROVIDERS);
  }

  /**
   * Returns suggestions for the application's own list of domains.
   *
   * @param domains the intended domains, most likely first
   * @return the suggestions
   * @throws IllegalArgumentException if an entry has no dot
   */
  public static DomainSuggestions of(Collection<String> domains) {
    List<String> list = Objects.requireNonNull(domains, "domains").stream()
        .map(d -> Objects.requireNonNull(d, "domains contains null").strip().toLowerCase(Locale.ROOT)).toList();
    for (String d : list) {
      if (d.indexOf('.') <= 0 || d.endsWith(".")) {
        throw new IllegalArgumentException("domains must be names such as gmail.com, was '" + d + "'");
      }
    }
    return new DomainSuggestions(list);
  }

  /**
   * Suggests the intended address.
   *
   * @param email the address as typed, such as {@code alice@gamil.com}
   * @return the address with the corrected domain, such as {@code alice@gmail.com}; empty when the
   *     domain looks right, is unknown, or the text is not an address
   */
  public Optional<String> suggest(String email) {
    Objects.requireNonNull(email, "email");
    String trimmed = email.strip();
    int at = trimmed.lastIndexOf('@');
    if (at <= 0 || at == trimmed.length() - 1) {
      return Optional.empty();
    }
    return suggestDomain(trimmed.substring(at + 1)).map(d -> trimmed.substring(0, at + 1) + d);
  }

  /**
   * Suggests the intended domain.
   *
   * @param domain the domain as typed, such as {@code qq.con}
   * @return the corrected domain, such as {@code qq.com}; empty when none applies
   */
  public Optional<String> suggestDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    String d = domain.strip().toLowerCase(Locale.ROOT);
    int dot = d.indexOf('.');
    if (dot <= 0 || d.endsWith(".") || providers.contains(d) || KNOWN_REAL.contains(d)) {
      return Optional.empty();
    }
    String name = d.substring(0, dot);
    String suffix = d.substring(dot + 1);
    String best = null;
    int bestCost = Integer.MAX_VALUE;
    for (String provider : providers) {
      int pdot = provider.indexOf('.');
      String pname = provider.substring(0, pdot);
      String psuffix = provider.substring(pdot + 1);
      int nameCost = nameDistance(name, pname);
      int suffixCost = suffix.equals(psuffix) ? 0
          : REAL_SUFFIXES.contains(suffix) ? -1 : distanceWithin(suffix, psuffix, 2);
      if (nameCost < 0 || suffixCost < 0 || nameCost + suffixCost == 0) {
        continue;
      }
      if (nameCost + suffixCost < bestCost) {
        best = provider;
        bestCost = nameCost + suffixCost;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The edit cost from a typed name to a provider's name, or -1 when too far to be a typo. */
  private static int nameDistance(String typed, String provider) {
    if (typed.equals(provider)) {
      return 0;
    }
    int n = provider.length();
    if (n <= 3) {
      return -1;
    }
    int d = osa(typed, provider);
    if (n <= 5) {
      // one swap, deletion or insertion; a replaced character makes another word (love, live)
      return d == 1 && (typed.length() != n || isTransposition(typed, provider)) ? 1 : -1;
    }
    int limit = n >= 7 ? 2 : 1;
    return d <= limit ? d : -1;
  }

  private static int distanceWithin(String a, String b, int limit) {
    int d = osa(a, b);
    return d <= limit ? d : -1;
  }

  private static boolean isTransposition(String a, String b) {
    for (int i = 0; i + 1 < a.length(); i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
            && a.substring(i + 2).equals(b.substring(i + 2));
      }
    }
    return false;
  }

  /** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps). */
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

  @Override
  public String toString() {
    return "DomainSuggestions" + providers;
  }
}
