package dev.mailverify.core.internal;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
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
      VerificationType.CHANGE_EMAIL, "confirm your new e-mail address");
  private static final Map<VerificationType, String> PURPOSE_ZH = Map.of(
      VerificationType.REGISTER, "完成注册",
      VerificationType.LOGIN, "登录",
      VerificationType.RESET_PASSWORD, "重置密码",
      VerificationType.CHANGE_EMAIL, "验证新的邮箱地址");

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

  @Override
  public String toString() {
    return "PlainTextRenderer[en, zh]";
  }

}
