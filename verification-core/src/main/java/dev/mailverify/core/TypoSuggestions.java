package dev.mailverify.core;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * "Did you mean li@gmail.com?": suggests the intended address when the domain looks like a typo of
 * a major mail provider's ({@code li@gmial.com}, {@code li@gmail.con}, {@code 12345@qq.con}). The
 * service applies {@link #standard()} to every send by default, so that
 * {@link SendResult.Sent#suggestion()} and {@link SendResult.InvalidAddress#suggestion()} carry the
 * address meant; {@link VerificationCodeService.Builder#typoSuggestions} replaces the list or turns
 * suggestions off ({@link #none()}).
 *
 * <p><b>Which list wins.</b> Typo domains of big providers are registered by squatters and sit on
 * disposable-domain lists ({@code gmial.com} and {@code hotmial.com} are on the bundled one of
 * {@code verification-dns}). A person who mistyped is not using a throw-away address, so the typo
 * list is checked first: when a recipient check refuses a domain as
 * {@link InvalidAddressReason#DISPOSABLE_DOMAIN} and this class has a suggestion for it, the send
 * answers {@link InvalidAddressReason#LIKELY_TYPO} with the suggestion instead. Other refusals
 * ({@link InvalidAddressReason#DOMAIN_NOT_FOUND} for {@code gmail.con}, ...) keep their reason and
 * gain the suggestion. With {@link #none()} nothing is suggested and the disposable list decides.
 *
 * <p><b>The rules</b> are cautious, so that real domains are not "corrected" ({@code yopmail.com}
 * is not {@code hotmail.com}, {@code love.com} is not {@code live.com}). The domain is split at its
 * first dot into a name ({@code gmial}) and an ending ({@code com}), each compared with a provider's
 * by optimal string alignment distance (Damerau-Levenshtein with adjacent swaps) in which a replaced
 * character counts only when its key touches the right one on a QWERTY keyboard ({@code gotmail}:
 * {@code g} is beside {@code h}):
 *
 * <ul>
 *   <li>a listed provider, or a known real look-alike ({@code email.com}, {@code ymail.com},
 *       {@code mail.com}, {@code 163.net}, {@code vip.qq.com} ...), gets no suggestion;
 *   <li>a provider name of three characters or fewer ({@code qq}, {@code 163}, {@code gmx},
 *       {@code me}) matches only exactly, with a mistyped ending ({@code qq.con});
 *   <li>names of four characters allow one swap, missing or extra character, not a replaced one
 *       ({@code lvie} is {@code live}, {@code love} is not);
 *   <li>longer names allow one edit ({@code gmial}, {@code gnail}, {@code hotmial},
 *       {@code outllook}, {@code iclod}), or two from ten characters ({@code googlemail});
 *   <li>the ending allows one edit ({@code .con}, {@code .cm}, {@code .comm}, {@code .co},
 *       {@code .nte}), in a two-letter ending not a replaced letter ({@code .dk} is a country), and
 *       never when the typed ending is itself a common real one: {@code yahoo.fr},
 *       {@code hotmail.co.uk} and {@code 163.net} stay; {@code .cm} and {@code .co}, real but the
 *       classic slips for {@code .com}, are corrected;
 *   <li>of several candidates the fewest edits win, then the provider listed first.
 * </ul>
 *
 * <p>Of the 8,883 domains on the bundled disposable list of {@code verification-dns}, the standard
 * rules suggest a provider for six, all look-alikes of a provider: {@code gmial.com},
 * {@code tmail.com}, {@code hotmial.com}, {@code hotmai.com}, {@code gotmail.com} and
 * {@code fboxmail.com}.
 *
 * <p>Deterministic and without I/O: pure string work, a few microseconds per address (one distance
 * per listed provider of about the same length), which is why it lives in core and is on by
 * default, while the network checks live in {@code verification-dns}. Input is compared in its
 * normalized form: lower case, internationalized names in ASCII (punycode), as
 * {@link EmailAddress#domain()} has it.
 *
 * <p>Immutable and thread-safe.
 */
public final class TypoSuggestions {
  /**
   * The providers of {@link #standard()}, most used first (the first wins a tie): the big Chinese
   * providers (QQ, NetEase, Sina, Sohu, Aliyun, China Mobile), Google, Microsoft, Yahoo, Apple, AOL,
   * Proton, GMX and web.de, T-Online, Yandex and Mail.ru, Naver, Zoho, Fastmail.
   */
  public static final List<String> STANDARD_PROVIDERS = List.of("qq.com", "163.com", "126.com", "gmail.com",
      "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "foxmail.com", "sina.com", "live.com", "yeah.net",
      "sohu.com", "aliyun.com", "139.com", "msn.com", "aol.com", "googlemail.com", "me.com", "mac.com",
      "protonmail.com", "proton.me", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de", "yandex.ru",
      "yandex.com", "mail.ru", "naver.com", "zoho.com", "fastmail.com");

  /** Real domains that are one or two edits from a provider and must not be corrected. */
  private static final Set<String> KNOWN_REAL = Set.of("email.com", "ymail.com", "mail.com", "163.net", "263.net",
      "188.com", "189.cn", "tom.com", "21cn.com", "sina.cn", "vip.qq.com", "vip.163.com", "vip.126.com", "yahoo.cn",
      "hotmail.co.uk", "outlook.cn", "live.cn", "msn.cn", "aim.com", "aol.co.uk", "soho.com", "sohu.net",
      "protonmail.ch", "rocketmail.com", "qmail.com", "inbox.com", "gmail.de", "gmx.at", "gmx.ch", "gmx.us",
      "yandex.by", "yandex.kz", "yandex.ua", "ya.ru", "bk.ru", "list.ru", "inbox.ru", "email.de", "online.de",
      "zohomail.com", "pm.me", "gmail.ru", "email.ru");

  /** Endings that are real top-level or second-level domains, never corrected. */
  private static final Set<String> REAL_SUFFIXES = Set.of("com", "net", "org", "edu", "gov", "cn", "com.cn",
      "net.cn", "org.cn", "de", "fr", "uk", "co.uk", "jp", "co.jp", "ru", "it", "es", "nl", "ca", "com.au", "au",
      "com.br", "br", "in", "co.in", "kr", "co.kr", "hk", "com.hk", "tw", "com.tw", "sg", "com.sg", "mx", "com.mx",
      "ar", "com.ar", "ie", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "gr", "tr", "com.tr", "ua", "cz",
      "hu", "ro", "my", "com.my", "ph", "id", "co.id", "vn", "com.vn", "th", "co.th", "nz", "co.nz", "za", "co.za",
      "us", "info", "biz", "me", "cc", "tv", "io", "ai", "app", "dev", "mo", "eu", "asia", "top", "xyz", "by",
      "kz");

  private static final TypoSuggestions STANDARD = new TypoSuggestions(STANDARD_PROVIDERS);
  private static final TypoSuggestions NONE = new TypoSuggestions(List.of());

  private final List<String> providers;
  private final Set<String> providerSet;
  /** Each provider split at its first dot, computed once. */
  private final String[] names;
  private final String[] suffixes;

  private TypoSuggestions(List<String> providers) {
    this.providers = providers;
    this.providerSet = Set.copyOf(providers);
    this.names = new String[providers.size()];
    this.suffixes = new String[providers.size()];
    for (int i = 0; i < providers.size(); i++) {
      String p = providers.get(i);
      names[i] = p.substring(0, p.indexOf('.'));
      suffixes[i] = p.substring(p.indexOf('.') + 1);
    }
  }

  /**
   * Returns suggestions for the {@link #STANDARD_PROVIDERS}: the service's default.
   *
   * @return the standard suggestions
   */
  public static TypoSuggestions standard() {
    return STANDARD;
  }

  /**
   * Returns suggestions that never suggest anything: turns them off in
   * {@link VerificationCodeService.Builder#typoSuggestions}. Then a recipient check's
   * {@link InvalidAddressReason#DISPOSABLE_DOMAIN} stands for a typo domain too.
   *
   * @return the empty suggestions
   */
  public static TypoSuggestions none() {
    return NONE;
  }

  /**
   * Returns suggestions for the application's own list of domains only (a company's
   * {@code roamio.com}), without the standard providers; see {@link #plus} to add to them.
   *
   * @param domains the intended domains, most likely first; lower-cased
   * @return the suggestions
   * @throws IllegalArgumentException if an entry is not a domain name with a dot
   * @throws NullPointerException if the collection or an entry is null
   */
  public static TypoSuggestions of(Collection<String> domains) {
    return new TypoSuggestions(validated(domains));
  }

  /**
   * Returns these suggestions with more domains, listed after this one's (so they lose a tie).
   *
   * @param domains the domains to add, such as the application's own {@code roamio.com}
   * @return the extended suggestions
   * @throws IllegalArgumentException if an entry is not a domain name with a dot
   * @throws NullPointerException if the collection or an entry is null
   */
  public TypoSuggestions plus(Collection<String> domains) {
    Set<String> all = new LinkedHashSet<>(providers);
    all.addAll(validated(domains));
    return new TypoSuggestions(List.copyOf(all));
  }

  private static List<String> validated(Collection<String> domains) {
    List<String> list = new ArrayList<>();
    for (String raw : Objects.requireNonNull(domains, "domains")) {
      String d = Objects.requireNonNull(raw, "domains contains null").strip().toLowerCase(Locale.ROOT);
      if (d.indexOf('.') <= 0 || d.endsWith(".") || !EmailAddress.isValid("x@" + d)) {
        throw new IllegalArgumentException("domains must be names such as gmail.com, was '" + raw + "'");
      }
      list.add(EmailAddress.parse("x@" + d).domain());
    }
    return List.copyOf(new LinkedHashSet<>(list));
  }

  /**
   * Returns the domains suggestions point to, in order of preference.
   *
   * @return the providers; empty for {@link #none()}
   */
  public List<String> providers() {
    return providers;
  }

  /**
   * Suggests the intended address: the same local part at the corrected domain.
   *
   * @param address the address as parsed, such as {@code li@gmial.com}
   * @return the address meant, such as {@code li@gmail.com}; empty when the domain looks right or
   *     is unknown
   */
  public Optional<EmailAddress> suggest(EmailAddress address) {
    Objects.requireNonNull(address, "address");
    return suggestDomain(address.domain()).map(d -> EmailAddress.parse(address.localPart() + "@" + d));
  }

  /**
   * Suggests the intended address for text as typed (under a form field, before submitting).
   *
   * @param email the address as typed, such as {@code Li@GMIAL.com}
   * @return the normalized address meant, such as {@code Li@gmail.com}; empty when the domain looks
   *     right, is unknown, or the text is not a valid address ({@link EmailAddress#isValid})
   */
  public Optional<String> suggest(String email) {
    Objects.requireNonNull(email, "email");
    if (!EmailAddress.isValid(email)) {
      return Optional.empty();
    }
    return suggest(EmailAddress.parse(email)).map(EmailAddress::address);
  }

  /**
   * Suggests the intended domain.
   *
   * @param domain the domain as typed, such as {@code qq.con}, {@code GMIAL.com} or an
   *     internationalized name
   * @return the corrected domain, such as {@code qq.com}; empty when none applies
   */
  public Optional<String> suggestDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (providers.isEmpty()) {
      return Optional.empty();
    }
    String d = ascii(domain.strip());
    if (d == null) {
      return Optional.empty();
    }
    int dot = d.indexOf('.');
    if (dot <= 0 || d.endsWith(".") || providerSet.contains(d) || KNOWN_REAL.contains(d)) {
      return Optional.empty();
    }
    String name = d.substring(0, dot);
    String suffix = d.substring(dot + 1);
    boolean realSuffix = REAL_SUFFIXES.contains(suffix);
    int best = -1;
    int bestCost = Integer.MAX_VALUE;
    for (int i = 0; i < names.length; i++) {
      // the ending first: an equality or a set lookup rules most providers out without a distance
      int suffixCost = suffix.equals(suffixes[i]) ? 0 : realSuffix ? -1 : endingDistance(suffix, suffixes[i]);
      if (suffixCost < 0 || suffixCost >= bestCost) {
        continue;
      }
      int nameCost = nameDistance(name, names[i]);
      if (nameCost < 0 || nameCost + suffixCost == 0) {
        continue;
      }
      if (nameCost + suffixCost < bestCost) {
        best = i;
        bestCost = nameCost + suffixCost;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(providers.get(best));
  }

  /**
   * The answer to a send a recipient check refused: the check's own suggestion stands; a typo domain
   * refused as disposable becomes {@link InvalidAddressReason#LIKELY_TYPO} (the typo list wins);
   * any other refusal gains the suggestion.
   */
  SendResult.InvalidAddress explain(SendResult.InvalidAddress refusal, Optional<EmailAddress> suggestion) {
    if (refusal.suggestion().isPresent() || suggestion.isEmpty()) {
      return refusal;
    }
    EmailAddress meant = suggestion.get();
    if (refusal.reason() == InvalidAddressReason.DISPOSABLE_DOMAIN) {
      return new SendResult.InvalidAddress(InvalidAddressReason.LIKELY_TYPO,
          "The address's domain looks like a typo: did you mean " + meant.address() + "?", suggestion);
    }
    return new SendResult.InvalidAddress(refusal.reason(),
        refusal.message() + " Did you mean " + meant.address() + "?", suggestion);
  }

  /** The domain lower-cased and in ASCII, or null if it is not a valid internationalized name. */
  private static @Nullable String ascii(String domain) {
    if (isLdh(domain)) {
      return domain.toLowerCase(Locale.ROOT); // already ASCII (what EmailAddress.domain() gives): no IDN work
    }
    try {
      return IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Letters, digits, hyphens and dots only. */
  private static boolean isLdh(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** The edit cost from a typed name to a provider's name, or -1 when too far to be a typo. */
  private static int nameDistance(String typed, String provider) {
    if (typed.equals(provider)) {
      return 0;
    }
    int n = provider.length();
    int limit = n >= 10 ? 2 : 1;
    if (n <= 3 || Math.abs(typed.length() - n) > limit) {
      return -1;
    }
    int d = distance(typed, provider);
    if (n == 4) {
      // one swap, deletion or insertion; a replaced character makes another word (love, live)
      return d == 1 && (typed.length() != n || isTransposition(typed, provider)) ? 1 : -1;
    }
    return d <= limit ? d : -1;
  }

  /**
   * The edit cost from a typed ending to a provider's, or -1: one edit; in an ending of two letters
   * ({@code de}, {@code ru}) not a replaced one, which makes another country's ({@code dk}).
   */
  private static int endingDistance(String typed, String provider) {
    if (Math.abs(typed.length() - provider.length()) > 1 || distance(typed, provider) != 1) {
      return -1;
    }
    boolean replaced = typed.length() == provider.length() && !isTransposition(typed, provider);
    return replaced && provider.length() <= 2 ? -1 : 1;
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

  /** The rows of a QWERTY keyboard, each shifted half a key right of the one above. */
  private static final String[] KEY_ROWS = {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"};

  /** {@link #adjacentKeys} for every pair of ASCII characters, computed once. */
  private static final boolean[][] ADJACENT = adjacency();

  private static boolean[][] adjacency() {
    boolean[][] table = new boolean[128][128];
    for (int r = 0; r < KEY_ROWS.length; r++) {
      String row = KEY_ROWS[r];
      for (int c = 0; c < row.length(); c++) {
        char key = row.charAt(c);
        if (c + 1 < row.length()) {
          touch(table, key, row.charAt(c + 1));
        }
        if (r + 1 < KEY_ROWS.length) { // the row below: under the key, and half a key to the left
          String below = KEY_ROWS[r + 1];
          if (c < below.length()) {
            touch(table, key, below.charAt(c));
          }
          if (c >= 1 && c - 1 < below.length()) {
            touch(table, key, below.charAt(c - 1));
          }
        }
      }
    }
    return table;
  }

  private static void touch(boolean[][] table, char a, char b) {
    table[a][b] = true;
    table[b][a] = true;
  }

  /**
   * Whether two keys touch on a QWERTY keyboard ({@code g}: {@code t y f h v b}): a replaced
   * character is a slip of the finger only then ({@code gotmail} is {@code hotmail};
   * {@code yopmail}, a real domain, is not).
   */
  static boolean adjacentKeys(char a, char b) {
    return a < 128 && b < 128 && ADJACENT[a][b];
  }

  /**
   * Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), where replacing a
   * character costs 1 only by a neighbouring key ({@link #adjacentKeys}) and 3 otherwise, more than
   * any rule allows.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        char x = a.charAt(i - 1);
        char y = b.charAt(j - 1);
        int cost = x == y ? 0 : adjacentKeys(x, y) ? 1 : 3;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && x == b.charAt(j - 2) && a.charAt(i - 2) == y) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Override
  public String toString() {
    return providers.isEmpty() ? "TypoSuggestions[none]" : "TypoSuggestions" + providers;
  }
}
