package dev.mailverify.bench.core;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.CodeAlphabet;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.CodeKey;
import java.util.List;
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
 * Generating secrets, as the service does: a code ({@code Secrets.newCode}, once per send) and a
 * token ({@code Secrets.newToken}, once per right code), both from the one {@code SecureRandom} a
 * service shares between its threads; and the keyed hash of a code ({@code Secrets.mac}, once per
 * send and once per verify), the "one HMAC" of the issue's {@code verifyCode} target.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar CodeGenerationBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodeGenerationBenchmark {

  /** A {@link CodeAlphabet} name. */
  @Param("DIGITS")
  public String alphabet;

  /** Characters per code, 4-10. */
  @Param("6")
  public int length;

  Secrets secrets;
  String symbols;
  CodeKey key;
  String code;

  @Setup
  public void setUp() {
    secrets = new Secrets(BenchServices.secret(), List.of());
    symbols = CodeAlphabet.valueOf(alphabet).symbols();
    key = CodeKey.of(VerificationType.REGISTER, EmailAddress.parse("zhang.wei@example.com"));
    code = secrets.newCode(symbols, length);
  }

  /**
   * A code on one thread.
   *
   * @return the code
   */
  @Benchmark
  @Threads(1)
  public String codeOneThread() {
    return secrets.newCode(symbols, length);
  }

  /**
   * A code on two threads sharing the service's {@code SecureRandom}.
   *
   * @return the code
   */
  @Benchmark
  @Threads(2)
  public String codeTwoThreads() {
    return secrets.newCode(symbols, length);
  }

  /**
   * A token (256 random bits, base64url) on one thread.
   *
   * @return the token
   */
  @Benchmark
  @Threads(1)
  public String tokenOneThread() {
    return secrets.newToken();
  }

  /**
   * A token on two threads.
   *
   * @return the token
   */
  @Benchmark
  @Threads(2)
  public String tokenTwoThreads() {
    return secrets.newToken();
  }

  /**
   * The HMAC-SHA256 of a code, bound to its address and type, on one thread.
   *
   * @return 32 bytes
   */
  @Benchmark
  @Threads(1)
  public byte[] hmacOneThread() {
    return secrets.mac(key, code);
  }
}
