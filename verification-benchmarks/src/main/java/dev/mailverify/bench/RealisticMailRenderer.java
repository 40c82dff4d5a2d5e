package dev.mailverify.bench;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the Mustache renderer of {@code verification-template}, so that the benchmarks
 * send mails of realistic size before that module lands: a UTF-8 subject, a bilingual text part
 * of about 400 bytes and an HTML part of about 2 KB with inline styles, as transactional mail
 * has. The templates are split once into literal and placeholder parts; rendering appends them,
 * escaping every value put into HTML (contract C21). It is the floor a template engine can reach,
 * not a template engine.
 *
 * <p>Thread-safe and stateless after construction.
 */
public final class RealisticMailRenderer implements TemplateRenderer {

  private static final String HTML = """
      <!DOCTYPE html>
      <html lang="{{lang}}"><head><meta charset="UTF-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>{{title}}</title></head>
      <body style="margin:0;padding:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,\
      'PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328;">
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;\
      padding:32px 0;"><tr><td align="center">
      <table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;\
      border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);">
      <tr><td style="padding:28px 40px 8px 40px;font-size:20px;font-weight:600;">{{app}}</td></tr>
      <tr><td style="padding:8px 40px;font-size:15px;line-height:24px;">{{greeting}}</td></tr>
      <tr><td style="padding:8px 40px;font-size:15px;line-height:24px;">{{purpose}}</td></tr>
      <tr><td align="center" style="padding:20px 40px;">
      <div style="display:inline-block;padding:14px 28px;border:1px solid #d0d7de;border-radius:6px;\
      background:#f6f8fa;font-family:'SFMono-Regular',Consolas,'Liberation Mono',monospace;\
      font-size:32px;letter-spacing:8px;font-weight:700;">{{code}}</div></td></tr>
      <tr><td style="padding:8px 40px;font-size:14px;line-height:22px;color:#57606a;">{{validity}}</td></tr>
      <tr><td style="padding:8px 40px 28px 40px;font-size:13px;line-height:20px;color:#57606a;">\
      {{ignore}}</td></tr>
      <tr><td style="padding:16px 40px;border-top:1px solid #eaeef2;font-size:12px;line-height:18px;\
      color:#8c959f;">{{sentTo}} &middot; {{footer}}</td></tr>
      </table></td></tr></table></body></html>
      """;

  private static final Map<VerificationType, String[]> PURPOSE = Map.of(
      VerificationType.REGISTER, new String[] {"完成注册", "confirm your e-mail address and finish signing up"},
      VerificationType.LOGIN, new String[] {"登录", "log in"},
      VerificationType.RESET_PASSWORD, new String[] {"重置密码", "reset your password"},
      VerificationType.CHANGE_EMAIL, new String[] {"验证新的邮箱地址", "confirm your new e-mail address"});

  private final List<Part> html = compile(HTML);

  /** Creates the renderer. */
  public RealisticMailRenderer() {}

  /** A literal run, or a placeholder when {@code name} is set. */
  private record Part(@Nullable String literal, @Nullable String name) {}

  private static List<Part> compile(String template) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (true) {
      int open = template.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Part(template.substring(at), null));
        return List.copyOf(parts);
      }
      int close = template.indexOf("}}", open);
      parts.add(new Part(template.substring(at, open), null));
      parts.add(new Part(null, template.substring(open + 2, close)));
      at = close + 2;
    }
  }

  @Override
  public RenderedMail render(TemplateContext c) {
    boolean zh = "zh".equals(c.locale().getLanguage());
    String app = c.appName() == null ? "Roamio" : c.appName();
    String[] purpose = PURPOSE.getOrDefault(c.type(), new String[] {"验证您的邮箱地址", "verify your e-mail address"});
    long minutes = c.validityMinutes();
    String subject = zh ? "【" + app + "】您的验证码 · Your verification code"
        : "Your " + app + " verification code · 您的验证码";
    String purposeLine = zh ? "您正在" + purpose[0] + "，请输入下面的验证码。"
        : "Use this code to " + purpose[1] + ".";
    String validity = zh ? "验证码 " + minutes + " 分钟内有效，请勿告诉任何人。"
        : "It is valid for " + minutes + " minutes. Do not share it with anyone.";
    String ignore = zh ? "如果这不是您本人的操作，请忽略本邮件，您的账户不会有任何变化。"
        : "If you did not ask for this code, ignore this e-mail: nothing will change.";
    String text = (zh ? "您好：\n\n" : "Hello,\n\n") + purposeLine + "\n\n    " + c.code() + "\n\n" + validity
        + "\n\n" + ignore + "\n\n-- \n" + app + (zh ? " · 此邮件由系统自动发送，请勿回复。\n" : " · This is an automated message.\n");
    StringBuilder sb = new StringBuilder(2600);
    for (Part p : html) {
      if (p.name() == null) {
        sb.append(p.literal());
        continue;
      }
      String value = switch (p.name()) {
        case "lang" -> zh ? "zh-CN" : "en";
        case "title" -> subject;
        case "app" -> app;
        case "greeting" -> zh ? "您好：" : "Hello,";
        case "purpose" -> purposeLine;
        case "code" -> c.code();
        case "validity" -> validity;
        case "ignore" -> ignore;
        case "sentTo" -> (zh ? "发送至 " : "Sent to ") + c.recipient().address();
        case "footer" -> zh ? "此邮件由系统自动发送，请勿回复。" : "This is an automated message, please do not reply.";
        default -> throw new IllegalStateException("no value for {{" + p.name() + "}}");
      };
      escapeHtml(value, sb);
    }
    return new RenderedMail(subject, text, sb.toString());
  }

  private static void escapeHtml(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
  }

  @Override
  public String toString() {
    return "RealisticMailRenderer[text + ~2 KB HTML, en, zh]";
  }
}
