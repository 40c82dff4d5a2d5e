package dev.mailverify.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of the benchmark mains. Unknown options are refused, so a
 * typo never silently runs the default.
 */
public final class CommandLine {

  private final Map<String, String> values = new HashMap<>();

  private CommandLine() {}

  /**
   * Parses {@code --name value} pairs ({@code --name=value} also works).
   *
   * @param args the arguments
   * @param known the option names accepted, without dashes
   * @return the options
   * @throws IllegalArgumentException for an unknown option or a missing value
   */
  public static CommandLine parse(String[] args, Set<String> known) {
    CommandLine c = new CommandLine();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got '" + a + "'");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
      }
      c.values.put(name, value);
    }
    return c;
  }

  /**
   * Returns an option's value.
   *
   * @param name the option
   * @param fallback the value when it was not given
   * @return the value
   */
  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /**
   * Tells whether an option was given.
   *
   * @param name the option
   * @return {@code true} if given
   */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * Returns an integer option; {@code _} and {@code ,} may group digits.
   *
   * @param name the option
   * @param fallback the value when it was not given
   * @return the value
   */
  public int integer(String name, int fallback) {
    String v = values.get(name);
    return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
  }

  /**
   * Returns a comma-separated list option.
   *
   * @param name the option
   * @param fallback the value when it was not given, comma-separated
   * @return the items, trimmed, empty ones dropped
   */
  public List<String> list(String name, String fallback) {
    List<String> out = new ArrayList<>();
    for (String s : get(name, fallback).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
