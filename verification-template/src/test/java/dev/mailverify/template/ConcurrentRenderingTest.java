package dev.mailverify.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentRenderingTest {
  private static final int THREADS = 16;
  private static final int RENDERS = 200;
  private static final List<VerificationType> TYPES = List.of(VerificationType.REGISTER, VerificationType.LOGIN,
      VerificationType.RESET_PASSWORD, VerificationType.CHANGE_EMAIL, VerificationType.of("delete-account"));
  private static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE,
      Locale.forLanguageTag("zh-TW"), Locale.forLanguageTag("fr-CA"));

  @TempDir
  Path folder;

  @Test
  @DisplayName("16 threads rendering at once, first compilations included, each see only their own code and values")
  void concurrentRenderingKeepsEveryMailItsOwn() throws Exception {
    Contexts.write(folder, "delete-account.en.txt.mustache", "Hi {{userName}}, code {{code}}.");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          int checked = 0;
          for (int i = 0; i < RENDERS; i++) {
            String code = String.format("%02d%04d", thread, i);
            String user = "user-" + thread + "-" + i;
            VerificationType type = TYPES.get((thread + i) % TYPES.size());
            Locale locale = LOCALES.get((thread * 7 + i) % LOCALES.size());
            RenderedMail mail = renderer.render(Contexts.context(type, locale, code, "App" + thread,
                Map.of("userName", user)));
            assertThat(mail.text()).contains(code);
            assertThat(mail.html()).contains(">" + code + "</td>").contains("App" + thread);
            assertThat(mail.subject()).contains("App" + thread).doesNotContain(code);
            if (type.name().equals("delete-account") && locale.getLanguage().equals("fr")) {
              assertThat(mail.text()).isEqualTo("Hi " + user + ", code " + code + ".");
            }
            checked++;
          }
          return checked;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(THREADS * RENDERS);
    } finally {
      pool.shutdownNow();
    }
  }
}
