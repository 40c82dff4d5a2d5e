package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The README's quick start, exactly as the README shows it (imports included): cut out of
 * README.md, compiled with javac against verification-core alone, and run with a user who types
 * the code the console mail printed.
 */
@Isolated
class QuickStartTest {

  /** The first {@code java} block after the "Quick start" heading. */
  static String readmeQuickStart() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int section = readme.indexOf("\n## Quick start");
    assertThat(section).as("README has a Quick start section").isPositive();
    int start = readme.indexOf("```java\n", section);
    int end = readme.indexOf("\n```", start + 8);
    return readme.substring(start + "```java\n".length(), end + 1);
  }

  private static String jarOrFolderOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  @DisplayName("the README quick start compiles as shown, with its own imports, and sends, verifies and redeems")
  void readmeQuickStartCompilesAndRuns(@TempDir Path dir) throws Exception {
    String source = readmeQuickStart();
    assertThat(source).contains("public class QuickStart").doesNotContain(".spi.");
    Path file = dir.resolve("QuickStart.java");
    Files.writeString(file, source);

    String classPath = String.join(java.io.File.pathSeparator, jarOrFolderOf(VerificationCodeService.class),
        jarOrFolderOf(org.slf4j.Logger.class), jarOrFolderOf(org.jspecify.annotations.Nullable.class));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status = javac.run(null, diagnostics, diagnostics, "-classpath", classPath, "-d", dir.toString(),
        "-Xlint:all", "-Werror", file.toString());
    assertThat(status).as("javac output:%n%s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    InputStream originalIn = System.in;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setIn(new TypedCode(stdout));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(originalOut);
      System.setIn(originalIn);
    }
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("DEVELOPMENT MODE").contains("verified: true");
  }

  /** Stands for the user: reads the code from the console mail printed so far, then types it. */
  private static final class TypedCode extends InputStream {
    private final ByteArrayOutputStream console;
    private List<Byte> line;

    TypedCode(ByteArrayOutputStream console) {
      this.console = console;
    }

    @Override
    public int read() {
      if (line == null) {
        Matcher m = Pattern.compile("\\n    ([0-9]{6})\\R").matcher(console.toString(StandardCharsets.UTF_8));
        String code = "000000";
        while (m.find()) {
          code = m.group(1);
        }
        line = new ArrayList<>();
        for (byte b : (code + "\n").getBytes(StandardCharsets.US_ASCII)) {
          line.add(b);
        }
      }
      return line.isEmpty() ? -1 : line.remove(0);
    }
  }
}
