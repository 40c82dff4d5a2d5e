package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConsoleDemoTest {
  @Test
  @DisplayName("the console demo runs the whole flow without a terminal")
  void runsWithoutTerminal() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = ConsoleDemo.run(new String[0], new BufferedReader(new StringReader("")),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).isZero();
    assertThat(printed).contains("DEVELOPMENT MODE").contains("verified").contains("user created for " + DemoServer.DEFAULT_EMAIL)
        .contains("refused, as it should be");
  }

  @Test
  @DisplayName("a wrong code typed first costs one try, then the right one works")
  void wrongThenRight() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = ConsoleDemo.run(new String[] {"ada@example.com"}, new BufferedReader(new StringReader("000000\n")),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsAnyOf("wrong code, 4 tries left", "verified");
  }
}
