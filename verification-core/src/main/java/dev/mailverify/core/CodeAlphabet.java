package dev.mailverify.core;

/**
 * The characters a code is made of (contract C1).
 *
 * <p>What the user types is checked against the alphabet after spaces and dashes are removed
 * (C2); anything else never matches.
 */
public enum CodeAlphabet {
  /** ASCII digits {@code 0-9}: easy to type on a phone. The default. */
  DIGITS("0123456789", false),
  /**
   * Upper-case letters and digits without look-alikes ({@code 0 O 1 I L} are left out): 31
   * symbols. Input is upper-cased before checking, so the user may type lower case.
   */
  ALPHANUMERIC("23456789ABCDEFGHJKMNPQRSTUVWXYZ", true);

  private final String symbols;
  private final boolean caseInsensitive;

  CodeAlphabet(String symbols, boolean caseInsensitive) {
    this.symbols = symbols;
    this.caseInsensitive = caseInsensitive;
  }

  /**
   * Returns the symbols codes are drawn from.
   *
   * @return the symbols, in order
   */
  public String symbols() {
    return symbols;
  }

  /**
   * Returns whether lower-case input is accepted as its upper-case symbol.
   *
   * @return {@code true} for {@link #ALPHANUMERIC}
   */
  public boolean isCaseInsensitive() {
    return caseInsensitive;
  }

  /**
   * Returns the strength of a code of the given length, in bits.
   *
   * @param length the code length
   * @return {@code length * log2(symbol count)}
   */
  public double bits(int length) {
    return length * (Math.log(symbols.length()) / Math.log(2));
  }
}
