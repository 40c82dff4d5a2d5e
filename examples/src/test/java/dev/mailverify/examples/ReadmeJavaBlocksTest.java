package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles as a reader would copy it.
 *
 * <p><b>The convention.</b> Every {@code java} block in README.md is a whole Java source file: it
 * starts with its {@code import} lines (or a {@code package} line) and declares at least one class,
 * record or interface. Statements or a method on their own are refused, because what a reader
 * copies must compile: a value the example needs from the application (the transport, a secret, a
 * {@code DataSource}) is a parameter of the example's method, with its type in plain sight. A block
 * whose public type is {@code X} is compiled as {@code X.java}; every block is compiled on its own,
 * so two blocks may use the same class name.
 *
 * <p><b>The check.</b> Each block is compiled with {@code javac --release 17 -Xlint:all -Werror}
 * against this module's test class path, which holds every library module (and {@code spring-web}
 * and Micrometer for the Spring Boot and metrics blocks). A failure is reported as
 * {@code README.md:<line>: <javac message>}, the line being the README's, so the block to fix is
 * one click away. The Quick start is also run, by {@code QuickStartTest} in verification-core.
 */
class ReadmeJavaBlocksTest {
  private static final Path README = Path.of("../README.md");
  private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```java\\s*$");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum|@interface)\\s+(\\w+)");
  private static final Pattern ANY_TYPE =
      Pattern.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+\\w+");

  /** One {@code ```java} block: its text and the README line of its first line of code. */
  record Block(int firstLine, String source) {
    String name() {
      return "README.md line " + firstLine;
    }
  }

  /** Cuts every {@code ```java} block out of the README, indented ones (in lists) included. */
  static List<Block> javaBlocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE_OPEN.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      StringBuilder source = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) {
        String line = lines.get(j);
        source.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading()).append('\n');
        j++;
      }
      assertThat(j).as("README.md line %d: the java block is never closed with ```", i + 1).isLessThan(lines.size());
      blocks.add(new Block(i + 2, source.toString()));
      i = j;
    }
    return blocks;
  }

  private static List<Block> readmeBlocks() {
    try {
      return javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("the README has java blocks to check, the quick start first")
  void readmeHasJavaBlocks() {
    List<Block> blocks = readmeBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
    assertThat(blocks.get(0).source()).contains("public class QuickStart");
  }

  @Test
  @DisplayName("the block cutter finds indented blocks and reports README line numbers")
  void cutterReportsReadmeLines() {
    List<Block> blocks = javaBlocks(List.of("# t", "", "```java", "class A {}", "```", "1. step", "",
        "   ```java", "   import java.util.List;", "   class B { List<String> l; }", "   ```"));
    assertThat(blocks).containsExactly(new Block(4, "class A {}\n"),
        new Block(9, "import java.util.List;\nclass B { List<String> l; }\n"));
  }

  @Test
  @DisplayName("a statement-only block is refused, naming its README line and the convention")
  void fragmentIsRefused(@TempDir Path dir) {
    List<String> problems = compile(new Block(42, "service.sendVerificationCode(request);\n"), dir);
    assertThat(problems).singleElement().asString().startsWith("README.md:42: ")
        .contains("whole Java source file");
  }

  @Test
  @DisplayName("a compile error is reported at its README line")
  void compileErrorHasReadmeLine(@TempDir Path dir) {
    List<String> problems = compile(new Block(100, "import java.util.List;\n\nclass Broken {\n  List<String> l = 42;\n}\n"), dir);
    assertThat(problems).isNotEmpty();
    assertThat(problems.get(0)).startsWith("README.md:103: ").contains("incompatible types");
  }

  @TestFactory
  @DisplayName("every README java block compiles with its own imports (javac --release 17 -Xlint:all -Werror)")
  Stream<DynamicTest> everyBlockCompiles(@TempDir Path dir) {
    return readmeBlocks().stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> {
      Path folder = Files.createDirectories(dir.resolve("line-" + block.firstLine()));
      List<String> problems = compile(block, folder);
      if (!problems.isEmpty()) {
        fail(block.name() + " does not compile:\n" + String.join("\n", problems) + "\n--- the block ---\n"
            + block.source());
      }
    }));
  }

  /** Compiles one block in its own folder; returns javac's errors and warnings at README lines. */
  static List<String> compile(Block block, Path folder) {
    String source = block.source();
    String start = firstCodeLine(source);
    if (!(start.startsWith("import ") || start.startsWith("package ")) || !ANY_TYPE.matcher(source).find()) {
      return List.of("README.md:" + block.firstLine() + ": a java block must be a whole Java source file - its"
          + " imports, then a class, record or interface - so that a reader can copy it (see ReadmeJavaBlocksTest)");
    }
    Matcher publicType = PUBLIC_TYPE.matcher(source);
    String fileName = (publicType.find() ? publicType.group(1) : "ReadmeBlock" + block.firstLine()) + ".java";
    try {
      Path file = folder.resolve(fileName);
      Files.writeString(file, source, StandardCharsets.UTF_8);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        List<String> options = List.of("--release", "17", "-Xlint:all,-path", "-Werror", "-proc:none",
            "-encoding", "UTF-8", "-classpath", testClassPath(), "-d", folder.toString());
        boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file.toFile()))
            .call();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() == Diagnostic.Kind.NOTE) {
            continue;
          }
          String where = d.getLineNumber() > 0 ? "README.md:" + (block.firstLine() + d.getLineNumber() - 1)
              : "README.md block at line " + block.firstLine();
          problems.add(where + ": " + d.getKind().name().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT));
        }
        if (!ok && problems.isEmpty()) {
          problems.add("README.md block at line " + block.firstLine() + ": javac failed without a message");
        }
        return problems;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstCodeLine(String source) {
    boolean inComment = false;
    for (String line : source.split("\n")) {
      String s = line.strip();
      if (inComment) {
        inComment = !s.contains("*/");
        continue;
      }
      if (s.isEmpty() || s.startsWith("//")) {
        continue;
      }
      if (s.startsWith("/*")) {
        inComment = !s.contains("*/");
        continue;
      }
      return s;
    }
    return "";
  }

  /** The class path of this test run: every library module and their dependencies. */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
