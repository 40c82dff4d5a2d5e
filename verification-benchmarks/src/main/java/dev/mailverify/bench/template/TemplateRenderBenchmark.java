package dev.mailverify.bench.template;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Renders one verification mail (subject, text and, where the renderer makes one, HTML) per call.
 * Renderers come from {@link RendererCandidates}: today core's {@code plain-text} and the
 * {@code realistic-html} stand-in; the Mustache renderer joins with
 * {@code -p renderer=mustache} once it is registered there.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar TemplateRenderBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TemplateRenderBenchmark {

  /** A {@link RendererCandidates} name. */
  @Param({"plain-text", "realistic-html", "mustache"})
  public String renderer;

  /** A language tag. */
  @Param({"en", "zh-CN"})
  public String locale;

  TemplateRenderer templates;
  TemplateContext context;

  @Setup
  public void setUp() {
    templates = RendererCandidates.named(renderer);
    context = TemplateContext.builder(VerificationType.REGISTER, "482913", EmailAddress.parse("zhang.wei@example.com")).locale(Locale.forLanguageTag(locale)).validity(Duration.ofMinutes(10)).appName(BenchServices.APP_NAME).build();
    RenderedMail once = templates.render(context);
    if (!once.text().contains("482913")) {
      throw new IllegalStateException(renderer + " left the code out of the text part");
    }
  }

  /**
   * One mail on one thread.
   *
   * @return the mail
   */
  @Benchmark
  @Threads(1)
  public RenderedMail renderOneThread() {
    return templates.render(context);
  }
}
