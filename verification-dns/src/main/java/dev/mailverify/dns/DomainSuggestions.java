package dev.mailverify.dns;

import dev.mailverify.core.TypoSuggestions;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Suggests the intended domain for a mistyped address at a well-known provider
 * ({@code alice@gamil.com} -> {@code alice@gmail.com}, {@code 12345@qq.con} -> {@code 12345@qq.com}):
 * a value the application shows as "did you mean ...?". It never refuses an address by itself.
 *
 * <p>A view of core's {@link TypoSuggestions}, which holds the rules and the provider list. They
 * live in core because they are pure string work without a dependency: the service applies them to
 * every send by default ({@code SendResult.Sent#suggestion()},
 * {@code SendResult.InvalidAddress#suggestion()}), so most applications need neither class. This one
 * stays for code that suggests before a send (under a form field); new code can use
 * {@link TypoSuggestions} directly.
 *
 * <p>Immutable and thread-safe.
 */
public final class DomainSuggestions {
  /** The providers of {@link #standard()}, most used first (the first wins a tie). */
  public static final List<String> STANDARD_PROVIDERS = TypoSuggestions.STANDARD_PROVIDERS;

  private final TypoSuggestions rules;

  private DomainSuggestions(TypoSuggestions rules) {
    this.rules = rules;
  }

  /**
   * Returns suggestions for the {@link #STANDARD_PROVIDERS}.
   *
   * @return the standard suggestions
   */
  public static DomainSuggestions standard() {
    return new DomainSuggestions(TypoSuggestions.standard());
  }

  /**
   * Returns suggestions for the application's own list of domains.
   *
   * @param domains the intended domains, most likely first
   * @return the suggestions
   * @throws IllegalArgumentException if an entry is not a domain name with a dot
   */
  public static DomainSuggestions of(Collection<String> domains) {
    return new DomainSuggestions(TypoSuggestions.of(domains));
  }

  /**
   * Returns the core suggestions this view applies, for
   * {@code VerificationCodeService.builder().typoSuggestions(...)}.
   *
   * @return the rules
   */
  public TypoSuggestions rules() {
    return rules;
  }

  /**
   * Suggests the intended address.
   *
   * @param email the address as typed, such as {@code alice@gamil.com}
   * @return the address with the corrected domain, such as {@code alice@gmail.com}; empty when the
   *     domain looks right, is unknown, or the text is not an address
   */
  public Optional<String> suggest(String email) {
    return rules.suggest(Objects.requireNonNull(email, "email"));
  }

  /**
   * Suggests the intended domain.
   *
   * @param domain the domain as typed, such as {@code qq.con}
   * @return the corrected domain, such as {@code qq.com}; empty when none applies
   */
  public Optional<String> suggestDomain(String domain) {
    return rules.suggestDomain(Objects.requireNonNull(domain, "domain"));
  }

  @Override
  public String toString() {
    return "DomainSuggestions" + rules.providers();
  }
}
