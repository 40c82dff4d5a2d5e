package dev.mailverify.template;

import dev.mailverify.core.VerificationType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The localized words the renderer puts into values: what the code is for ({@code purpose}) and
 * how long it is valid ({@code validity}). Built-in for English and Chinese; the application adds
 * purposes for its own types and languages.
 *
 * <p>English purposes complete "Use this code to ..."; Chinese ones complete "您正在...".
 */
final class Wording {
  /** The name under which the fallback wording and templates are filed. */
  static final String GENERIC = "generic";
  private static final String ENGLISH_GENERIC = "verify your e-mail address";

  private static final Map<String, Map<String, String>> BUILT_IN = Map.of(
      "en", Map.of(
          VerificationType.REGISTER.name(), "confirm your e-mail address and finish signing up",
          VerificationType.LOGIN.name(), "log in",
          VerificationType.RESET_PASSWORD.name(), "reset your password",
          VerificationType.CHANGE_EMAIL.name(), "confirm your new e-mail address",
          VerificationType.APPROVE_EMAIL_CHANGE.name(), "approve changing the e-mail address of your account",
          GENERIC, ENGLISH_GENERIC),
      "zh", Map.of(
          VerificationType.REGISTER.name(), "完成注册",
          VerificationType.LOGIN.name(), "登录",
          VerificationType.RESET_PASSWORD.name(), "重置密码",
          VerificationType.CHANGE_EMAIL.name(), "验证新的邮箱地址",
          VerificationType.APPROVE_EMAIL_CHANGE.name(), "确认更换账户的邮箱地址",
          GENERIC, "验证您的邮箱地址"));

  /** The application's purposes: locale tag, then type name. */
  private final Map<String, Map<String, String>> custom;

  Wording(Map<String, Map<String, String>> custom) {
    this.custom = Map.copyOf(custom);
  }

  /**
   * Returns the purpose for a type in the first language of the chain that has any wording: the
   * application's words for the type, the built-in ones, then the language's generic words.
   *
   * @param type the type
   * @param localeTags the locale chain, most specific first, ending with the default locale
   * @return the purpose; English generic wording if no language of the chain has any
   */
  String purpose(VerificationType type, List<String> localeTags) {
    for (String tag : localeTags) {
      String found = lookup(custom.get(tag), type.name());
      if (found == null) {
        found = lookup(BUILT_IN.get(tag), type.name());
      }
      if (found != null) {
        return found;
      }
    }
    return ENGLISH_GENERIC;
  }

  private static @Nullable String lookup(@Nullable Map<String, String> words, String type) {
    if (words == null) {
      return null;
    }
    String found = words.get(type);
    return found != null ? found : words.get(GENERIC);
  }

  /**
   * Returns the validity in words, such as {@code 10 minutes}, {@code 1 hour} or
   * {@code 10 分钟}: Chinese for the first Chinese tag of the chain unless an English one comes
   * first, otherwise English.
   *
   * @param minutes at least 1
   * @param localeTags the locale chain
   * @return the words
   */
  static String validity(long minutes, List<String> localeTags) {
    boolean zh = false;
    for (String tag : localeTags) {
      if (tag.equals("zh") || tag.startsWith("zh-")) {
        zh = true;
        break;
      }
      if (tag.equals("en") || tag.startsWith("en-")) {
        break;
      }
    }
    boolean hours = minutes % 60 == 0;
    long n = hours ? minutes / 60 : minutes;
    if (zh) {
      return n + (hours ? " 小时" : " 分钟");
    }
    return n + " " + (hours ? "hour" : "minute") + (n == 1 ? "" : "s");
  }

  /** The time of a change of address in a notice: {@code 2026-12-06 14:30 UTC}. */
  private static final java.time.format.DateTimeFormatter CHANGED_AT = java.time.format.DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

  /**
   * Formats the time of a change of address (C33), in UTC, to the minute.
   *
   * @param at the instant
   * @return for example {@code 2026-12-06 14:30 UTC}
   */
  static String changedAt(java.time.Instant at) {
    return CHANGED_AT.format(at);
  }

  /**
   * Says how long a revert link works: whole days as days ({@code 7 days}, {@code 7 天}), anything
   * else as {@link #validity(long, List)} does.
   *
   * @param validity at least 1 minute
   * @param localeTags the locale chain
   * @return the words
   */
  static String revertValidity(java.time.Duration validity, List<String> localeTags) {
    long days = validity.toDays();
    if (days > 0 && validity.equals(java.time.Duration.ofDays(days))) {
      String hours = validity(days * 24 * 60, localeTags); // the language decision, once
      boolean zh = hours.endsWith("小时");
      return zh ? days + " 天" : days + (days == 1 ? " day" : " days");
    }
    return validity(Math.max(1, validity.toMinutes()), localeTags);
  }
}
