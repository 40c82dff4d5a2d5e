package dev.mailverify.core.internal;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AddressChangeContext;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The built-in renderer: a plain-text mail in English, or Simplified Chinese for any {@code zh}
 * locale. It produces no HTML, so nothing needs escaping; values are used as given.
 */
public final class PlainTextRenderer implements TemplateRenderer {
  /** The one instance; the renderer has no state. */
  public static final PlainTextRenderer INSTANCE = new PlainTextRenderer();

  private static final Map<VerificationType, String> PURPOSE_EN = Map.of(
      VerificationType.REGISTER, "confirm your e-mail address and finish signing up",
      VerificationType.LOGIN, "log in",
      VerificationType.RESET_PASSWORD, "reset your password",
      VerificationType.CHANGE_EMAIL, "confirm your new e-mail address",
      VerificationType.APPROVE_EMAIL_CHANGE, "approve changing the e-mail address of your account");
  private static final Map<VerificationType, String> PURPOSE_ZH = Map.of(
      VerificationType.REGISTER, "完成注册",
      VerificationType.LOGIN, "登录",
      VerificationType.RESET_PASSWORD, "重置密码",
      VerificationType.CHANGE_EMAIL, "验证新的邮箱地址",
      VerificationType.APPROVE_EMAIL_CHANGE, "确认更换账户的邮箱地址");

  private PlainTextRenderer() {}

  @Override
  public RenderedMail render(TemplateContext c) {
    boolean zh = "zh".equals(c.locale().getLanguage());
    String app = c.appName();
    if (zh) {
      String purpose = PURPOSE_ZH.getOrDefault(c.type(), "验证您的邮箱地址");
      String subject = (app == null ? "" : app + " ") + "验证码";
      String text = "您好：\n\n"
          + "您正在" + (app == null ? "" : "「" + app + "」") + purpose + "，验证码是：\n\n"
          + "    " + c.code() + "\n\n"
          + c.link().map(l -> "也可以打开下面的链接，在页面上点击按钮完成验证：\n\n    " + l + "\n\n").orElse("")
          + "验证码 " + c.validityMinutes() + " 分钟内有效，请勿告诉任何人。\n\n"
          + "如果这不是您本人的操作，请忽略本邮件，您的账户不会有任何变化。\n";
      return new RenderedMail(subject, text, null);
    }
    String purpose = PURPOSE_EN.getOrDefault(c.type(), "verify your e-mail address");
    String subject = "Your verification code" + (app == null ? "" : " for " + app);
    String text = "Hello,\n\n"
        + "Use this code to " + purpose + (app == null ? "" : " at " + app) + ":\n\n"
        + "    " + c.code() + "\n\n"
        + c.link().map(l -> "Or open this link and press the button on the page:\n\n    " + l + "\n\n").orElse("")
        + "It is valid for " + c.validityMinutes() + (c.validityMinutes() == 1 ? " minute" : " minutes")
        + ". Do not share it with anyone.\n\n"
        + "If you did not ask for this code, ignore this e-mail: nothing will change.\n";
    return new RenderedMail(subject, text, null);
  }

  /** The time of a change of address as every notice shows it: {@code 2026-12-06 14:30 UTC}. */
  private static final DateTimeFormatter CHANGED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * Formats the time of a change of address, in UTC, to the minute.
   *
   * @param at the instant
   * @return for example {@code 2026-12-06 14:30 UTC}
   */
  private static String changedAt(Instant at) {
    return CHANGED_AT.format(at);
  }

  /**
   * Says how long a revert link works, in whole days when it is a whole number of days, else in
   * hours (rounded down, at least 1).
   *
   * @param validity the validity
   * @param zh {@code true} for Chinese
   * @return for example {@code 7 days} or {@code 7 天}
   */
  private static String revertValidity(Duration validity, boolean zh) {
    long days = validity.toDays();
    if (days > 0 && validity.equals(Duration.ofDays(days))) {
      return zh ? days + " 天" : days + (days == 1 ? " day" : " days");
    }
    long hours = Math.max(1, validity.toHours());
    return zh ? hours + " 小时" : hours + (hours == 1 ? " hour" : " hours");
  }

  @Override
  public RenderedMail renderAddressChanged(AddressChangeContext c) {
    boolean zh = "zh".equals(c.locale().getLanguage());
    String app = c.appName();
    String when = changedAt(c.changedAt());
    String validity = revertValidity(c.revertValidity(), zh);
    if (zh) {
      String subject = (app == null ? "" : app + " ") + "您账户的邮箱地址已更改";
      String text = "您好：\n\n"
          + "您" + (app == null ? "" : "在「" + app + "」") + "的账户邮箱地址已于 " + when + " 由 "
          + c.oldAddress().masked() + " 更改为 " + c.newAddress().masked() + "。\n\n"
          + "如果这是您本人的操作，无需理会本邮件。\n\n"
          + "如果这不是您本人的操作，请打开下面的链接，在页面上点击按钮撤销这次更改：\n\n"
          + "    " + c.revertLink() + "\n\n"
          + "链接 " + validity + "内有效，只能使用一次。\n";
      return new RenderedMail(subject, text, null);
    }
    String subject = "The e-mail address of your account was changed" + (app == null ? "" : " at " + app);
    String text = "Hello,\n\n"
        + "The e-mail address of your account" + (app == null ? "" : " at " + app) + " was changed from "
        + c.oldAddress().masked() + " to " + c.newAddress().masked() + " on " + when + ".\n\n"
        + "If you made this change, you need not do anything.\n\n"
        + "If this wasn't you, open this link and press the button on the page to undo the change:\n\n"
        + "    " + c.revertLink() + "\n\n"
        + "The link works once, for " + validity + ".\n";
    return new RenderedMail(subject, text, null);
  }

  @Override
  public String toString() {
    return "PlainTextRenderer[en, zh]";
  }

}
