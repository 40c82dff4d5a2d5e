package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The README's quick start, compiled and run; and a check that the README shows exactly this code. */
@Isolated
class QuickStartTest {
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

  /** Stands for the user reading the console mail and typing the code. */
  private String askTheUser() {
    Matcher m = Pattern.compile("\\n    ([0-9]{6})\\R").matcher(stdout.toString(StandardCharsets.UTF_8));
    String code = null;
    while (m.find()) {
      code = m.group(1);
    }
    return code;
  }

  private PrintStream originalOut;

  @BeforeEach
  void captureStdout() {
    originalOut = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    System.setOut(originalOut);
  }

  @Test
  @DisplayName("the README quick start sends, verifies and redeems")
  void quickStartRuns() {
    Optional<String> email = Optional.empty();
    // tag::quickstart[]
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(MailTransport.console()) // development: prints the mail; SmtpTransport sends it
        .build();

    SendResult sent = service.sendVerificationCode("user@example.com", VerificationType.REGISTER,
        Duration.ofMinutes(10));
    String typed = askTheUser(); // the code from the mail
    VerifyResult result = service.verifyCode("user@example.com", VerificationType.REGISTER, typed);
    if (result instanceof VerifyResult.Verified verified) {
      // later, when the registration form comes back with the token:
      email = service.redeemToken(verified.token(), VerificationType.REGISTER);
    }
    // end::quickstart[]
    assertThat(sent.isSent()).isTrue();
    assertThat(result.isVerified()).isTrue();
    assertThat(email).contains("user@example.com");
  }

  @Test
  @DisplayName("the README shows the quick start exactly as compiled here")
  void readmeMatchesThisCode() throws Exception {
    String source = Files.readString(Path.of("src/test/java/dev/mailverify/core/QuickStartTest.java"));
    String snippet = source.substring(source.indexOf("// tag::quickstart[]") + "// tag::quickstart[]".length(),
        source.indexOf("// end::quickstart[]"));
    String readme = Files.readString(Path.of("../README.md"));
    for (String line : snippet.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      assertThat(readme).as("README.md quick start line").contains(line);
    }
  }
}
