package dev.mailverify.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable set of disposable (throw-away) mail domains, used by
 * {@link MxRecipientCheck.Builder#refuseDisposableDomains(boolean)}. A domain matches when it or
 * any parent domain is listed: with {@code mailinator.com} listed, {@code mailinator.com} and
 * {@code eu.mailinator.com} match, {@code notmailinator.com} does not.
 *
 * <p>{@link #bundled()} is the CC0 list of the
 * <a href="https://github.com/disposable-email-domains/disposable-email-domains">disposable-email-domains</a>
 * project shipped in this jar ({@code dev/mailverify/dns/disposable-domains.txt}; its header names
 * the version and date). Files read by {@link #fromFile(Path)} have the same format: one domain a
 * line, {@code #} starts a comment line, blank lines are ignored. Thread-safe.
 */
public final class DisposableDomains {
  private static final String RESOURCE = "disposable-domains.txt";

  private final Set<String> domains;

  private DisposableDomains(Set<String> domains) {
    this.domains = Set.copyOf(domains);
  }

  /**
   * Returns the list bundled with this library (about 8,900 domains, CC0).
   *
   * @return the bundled list, read once per call
   * @throws UncheckedIOException if the bundled file cannot be read (a broken jar)
   */
  public static DisposableDomains bundled() {
    try (InputStream in = DisposableDomains.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException(RESOURCE + " is missing from the jar"));
      }
      return new DisposableDomains(read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a list from a file (UTF-8, one domain a line, {@code #} comments).
   *
   * @param file the file
   * @return the list in the file, replacing the bundled one
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if a line is not a domain name
   */
  public static DisposableDomains fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new DisposableDomains(read(reader));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the disposable domain list " + file, e);
    }
  }

  /**
   * Makes a list from domain names.
   *
   * @param domains the domains (case and a final dot do not matter; IDN is converted to ASCII)
   * @return the list
   * @throws IllegalArgumentException if an entry is not a domain name
   */
  public static DisposableDomains of(Collection<String> domains) {
    Objects.requireNonNull(domains, "domains");
    Set<String> set = new HashSet<>();
    for (String d : domains) {
      set.add(normalize(Objects.requireNonNull(d, "domains contains null")));
    }
    return new DisposableDomains(set);
  }

  /**
   * Returns this list with more domains.
   *
   * @param more the domains to add
   * @return a new list; this one is unchanged
   * @throws IllegalArgumentException if an entry is not a domain name
   */
  public DisposableDomains plus(Collection<String> more) {
    Set<String> set = new HashSet<>(domains);
    set.addAll(of(more).domains);
    return new DisposableDomains(set);
  }

  /**
   * Tells whether a domain, or one of its parent domains, is listed.
   *
   * @param domain a domain such as {@code eu.mailinator.com}
   * @return {@code true} when it is disposable
   */
  public boolean contains(String domain) {
    Objects.requireNonNull(domain, "domain");
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    while (true) {
      if (domains.contains(d)) {
        return true;
      }
      int dot = d.indexOf('.');
      if (dot < 0) {
        return false;
      }
      d = d.substring(dot + 1);
    }
  }

  /**
   * Returns how many domains are listed.
   *
   * @return the number of entries
   */
  public int size() {
    return domains.size();
  }

  @Override
  public String toString() {
    return "DisposableDomains[" + domains.size() + " domains]";
  }

  private static Set<String> read(BufferedReader reader) throws IOException {
    Set<String> set = new HashSet<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      try {
        set.add(normalize(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
      }
    }
    return set;
  }

  private static String normalize(String raw) {
    String d = raw.strip();
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty() || d.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '/')) {
      throw new IllegalArgumentException("not a domain name: '" + raw + "'");
    }
    try {
      return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a domain name: '" + raw + "'", e);
    }
  }
}
