package dev.mailverify.bench.smtp;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.RealisticMailRenderer;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic verification mails for the SMTP benchmarks, as the service would hand them to a
 * transport: sender {@code Roamio 旅行 <noreply@roamio.example>}, a distinct recipient and code
 * each, alternately Chinese and English, with a UTF-8 subject, a text part and about 2 KB of HTML
 * ({@link RealisticMailRenderer}).
 */
public final class VerificationMails {

  private VerificationMails() {}

  /**
   * Makes {@code count} mails, the same ones for the same seed.
   *
   * @param count how many
   * @param seed the random seed for the codes
   * @return the mails
   */
  public static List<EmailMessage> generate(int count, long seed) {
    RealisticMailRenderer renderer = new RealisticMailRenderer();
    Mailbox from = Mailbox.parse(BenchServices.FROM);
    SplittableRandom random = new SplittableRandom(seed);
    List<EmailMessage> mails = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      EmailAddress to = EmailAddress.parse("user" + i + "@example.com");
      String code = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
      Locale locale = i % 2 == 0 ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
      RenderedMail r = renderer.render(TemplateContext.builder(VerificationType.REGISTER, code, to).locale(locale).validity(Duration.ofMinutes(10)).appName("Roamio 旅行").build());
      mails.add(EmailMessage.builder(to).from(from).subject(r.subject()).text(r.text()).html(r.html()).code(code)
          .build());
    }
    return mails;
  }
}
