package dev.mailverify.bench.core;

import dev.mailverify.core.EmailAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code EmailAddress.parse}: validation and normalization of what the user typed, done on every
 * {@code sendVerificationCode} and every {@code verifyCode}. An ASCII address, as nearly all are,
 * and one with an internationalized domain.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar EmailAddressBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EmailAddressBenchmark {

  /** What the user typed. */
  @Param({"Zhang.Wei@Example.com", "zhang.wei@例子.中国"})
  public String input;

  /**
   * Parses the input.
   *
   * @return the address
   */
  @Benchmark
  public EmailAddress parse() {
    return EmailAddress.parse(input);
  }
}
