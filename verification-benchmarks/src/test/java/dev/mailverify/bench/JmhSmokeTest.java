package dev.mailverify.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.bench.core.CodeGenerationBenchmark;
import dev.mailverify.bench.core.EmailAddressBenchmark;
import dev.mailverify.bench.core.SendCodeBenchmark;
import dev.mailverify.bench.core.VerifyCodeBenchmark;
import dev.mailverify.bench.store.CodeStoreBenchmark;
import dev.mailverify.bench.template.TemplateRenderBenchmark;
import java.util.Arrays;
import java.util.Collection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark method once, briefly, in this JVM: the benchmarks are wired right and
 * their own checks (each call gives the result it claims to measure) pass. Measures nothing.
 */
class JmhSmokeTest {

  @DisplayName("every benchmark method of the class runs one short iteration and passes its own checks")
  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {VerifyCodeBenchmark.class, SendCodeBenchmark.class, CodeGenerationBenchmark.class,
      EmailAddressBenchmark.class,
      CodeStoreBenchmark.class, TemplateRenderBenchmark.class})
  void runsOnce(Class<?> benchmark) throws RunnerException {
    Options options = new OptionsBuilder()
        .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .param("initialPool", "256")
        .param("keysPerThread", "256")
        .shouldFailOnError(true)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    long methods = Arrays.stream(benchmark.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).count();
    long params = benchmark == TemplateRenderBenchmark.class ? 6 // renderer (3) x locale (2)
        : benchmark == EmailAddressBenchmark.class ? 2 : 1;
    assertThat(results).hasSize((int) (methods * params));
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getSampleCount()).as(r.getParams().getBenchmark()).isPositive();
    }
  }
}
