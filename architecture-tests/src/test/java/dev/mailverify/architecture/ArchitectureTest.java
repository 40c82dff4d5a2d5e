package dev.mailverify.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/design.md and docs/style.md, checked on the main classes of every
 * library module (test classes are not imported).
 *
 * <p>A module is known by its package root: {@code dev.mailverify.core..} is verification-core,
 * {@code dev.mailverify.smtp..} verification-smtp, and so on for template, dns, test, redis, jdbc,
 * micrometer and spring (the starter). The examples and the benchmarks are not imported: they are
 * not libraries, and the benchmarks measure core's internals on purpose.
 */
@DisplayName("Architecture: module and package boundaries")
class ArchitectureTest {

  private static final String BASE = "dev.mailverify";

  /** The plug-in modules of design.md's table: each depends on core and on nothing else of ours. */
  private static final Set<String> PLUG_INS = Set.of("smtp", "template", "dns", "test", "redis", "jdbc", "micrometer");

  /** design.md's "depends on" column, for mailverify modules: the only allowed directions. */
  private static final Map<String, Set<String>> ALLOWED_MODULE_DEPENDENCIES = allowedModuleDependencies();

  /**
   * The library modules whose classes must be on this module's class path, so that no rule passes
   * on an empty set. verification-dns and verification-test join this list (and the pom) when they
   * are merged.
   */
  private static final Set<String> LIBRARY_MODULES =
      Set.of("core", "smtp", "dns", "template", "test", "micrometer", "redis", "jdbc", "spring");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("/dev/mailverify/architecture/"))
        .importPackages(BASE);
  }

  @Test
  @DisplayName("The rules see the main classes of every library module, and no test class")
  void everyLibraryModuleIsImported() {
    Set<String> modules = new TreeSet<>();
    for (JavaClass c : classes) {
      modules.add(moduleOf(c.getPackageName()));
    }
    assertThat(modules).containsAll(LIBRARY_MODULES);
    assertThat(classes).noneMatch(c -> c.getSimpleName().endsWith("Test"));
  }

  @Test
  @DisplayName("A module's internal packages (dev.mailverify.<module>.internal..) are used by that module only")
  void internalPackagesStayInsideTheirModule() {
    classes().should(notUseInternalPackagesOfOtherModules()).check(classes);
  }

  @Test
  @DisplayName("A module reaches another module only through the packages that module exports"
      + " (its module-info.java; without one, its root package and .spi)")
  void modulesMeetOnlyThroughExportedPackages() {
    classes().should(useOtherModulesOnlyThroughExportedPackages(exportedPackages())).check(classes);
  }

  @Test
  @DisplayName("An .spi package uses only its own module's and core's .spi, the value types of the API"
      + " (records, enums, exceptions, immutable final classes), and internal built-ins only inside its"
      + " static factories; never a transport or any other implementation")
  void spiUsesOnlyValueTypesOfTheApi() {
    classes().that().resideInAPackage(BASE + "..spi..")
        .should(useOnlyValueTypesOfTheApi())
        .check(classes);
  }

  @Test
  @DisplayName("Modules depend on each other only as design.md's table says: core on no other module,"
      + " each plug-in (smtp, template, dns, test, redis, jdbc, micrometer) on core only (dns also on smtp's"
      + " SenderCheck SPI, an optional dependency), the starter on any")
  void moduleDependenciesFollowTheDesign() {
    classes().should(dependOnlyOnModulesTheDesignAllows()).check(classes);
  }

  @Test
  @DisplayName("No library class depends on the examples or the benchmarks")
  void nothingDependsOnExamplesOrBenchmarks() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage(BASE + ".examples..", BASE + ".bench..")
        .check(classes);
  }

  // ---- module boundaries ------------------------------------------------------------------------

  private static Map<String, Set<String>> allowedModuleDependencies() {
    Map<String, Set<String>> allowed = new HashMap<>();
    allowed.put("core", Set.of());
    for (String plugIn : PLUG_INS) {
      allowed.put(plugIn, Set.of("core"));
    }
    // verification-dns plugs its sender checks into SmtpDiagnostics through smtp's SenderCheck SPI;
    // the dependency is optional, so an app that uses only the recipient check carries no SMTP code
    allowed.put("dns", Set.of("core", "smtp"));
    Set<String> everything = new HashSet<>(PLUG_INS);
    everything.add("core");
    allowed.put("spring", Set.copyOf(everything));
    return Collections.unmodifiableMap(allowed);
  }

  /** The module of a package: the segment after {@code dev.mailverify}, or "" outside it. */
  static String moduleOf(String packageName) {
    if (!packageName.startsWith(BASE + ".")) {
      return "";
    }
    String rest = packageName.substring(BASE.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private static boolean hasSegment(String packageName, String segment) {
    return List.of(packageName.split("\\.")).contains(segment);
  }

  /** The class a dependency really points at: the element type of an array. */
  private static JavaClass target(Dependency d) {
    return d.getTargetClass().getBaseComponentType();
  }

  private static ArchCondition<JavaClass> notUseInternalPackagesOfOtherModules() {
    return new ArchCondition<>("not use another module's internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = moduleOf(origin.getPackageName());
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String pkg = target(d).getPackageName();
          String to = moduleOf(pkg);
          if (!to.isEmpty() && !to.equals(from) && hasSegment(pkg, "internal")) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()
                + " (" + pkg + " is internal to module " + to + ")"));
          }
        }
      }
    };
  }

  /**
   * The unqualified exports of every mailverify module-info on the class path, by module root; a
   * qualified export ({@code exports p to m}) counts for the named modules only, stored as
   * {@code "p to root"}.
   */
  private static Map<String, Set<String>> exportedPackages() {
    Map<String, Set<String>> exports = new HashMap<>();
    try {
      for (URL url : Collections.list(ArchitectureTest.class.getClassLoader().getResources("module-info.class"))) {
        ModuleDescriptor descriptor;
        try (InputStream in = url.openStream()) {
          descriptor = ModuleDescriptor.read(in);
        }
        if (!descriptor.name().startsWith(BASE + ".")) {
          continue;
        }
        Set<String> packages = new HashSet<>();
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
          if (e.isQualified()) {
            e.targets().forEach(t -> packages.add(e.source() + " to " + moduleOf(t)));
          } else {
            packages.add(e.source());
          }
        }
        exports.put(moduleOf(descriptor.name()), packages);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading module-info.class from the class path", e);
    }
    assertThat(exports).as("module-info.class of the library modules on the class path").containsKey("core");
    return exports;
  }

  private static ArchCondition<JavaClass> useOtherModulesOnlyThroughExportedPackages(Map<String, Set<String>> exports) {
    return new ArchCondition<>("use other modules only through their exported packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = moduleOf(origin.getPackageName());
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String pkg = target(d).getPackageName();
          String to = moduleOf(pkg);
          if (to.isEmpty() || to.equals(from)) {
            continue;
          }
          Set<String> exported = exports.get(to);
          boolean allowed = exported != null
              ? exported.contains(pkg) || exported.contains(pkg + " to " + from)
              : pkg.equals(BASE + "." + to) || pkg.equals(BASE + "." + to + ".spi");
          if (!allowed) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription() + " (module " + to
                + (exported != null ? " exports only " + new TreeSet<>(exported) : " has no module-info: only "
                    + BASE + "." + to + " and its .spi") + ")"));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaClass> dependOnlyOnModulesTheDesignAllows() {
    return new ArchCondition<>("depend only on the modules design.md allows") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = moduleOf(origin.getPackageName());
        Set<String> allowed = ALLOWED_MODULE_DEPENDENCIES.get(from);
        if (allowed == null) {
          events.add(SimpleConditionEvent.violated(origin, origin.getName() + " is in package root " + BASE + "."
              + from + ", which design.md's module table does not name; add the module to this test"));
          return;
        }
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String to = moduleOf(target(d).getPackageName());
          if (!to.isEmpty() && !to.equals(from) && !allowed.contains(to)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription() + " (module " + from + " may depend on "
                + (allowed.isEmpty() ? "no other mailverify module" : new TreeSet<>(allowed)) + ", not on " + to + ")"));
          }
        }
      }
    };
  }

  // ---- .spi --------------------------------------------------------------------------------------

  /**
   * Today's .spi (core's) uses {@code EmailAddress}, {@code Mailbox}, {@code Quota},
   * {@code VerificationType}, {@code SendResult.InvalidAddress} and {@code HeaderInjectionException}
   * from the root package, and core.internal only in {@code CodeStore.inMemory()},
   * {@code RateLimiter.inMemory()} and {@code TemplateRenderer.plainText()}: the strictest rule that
   * holds allows exactly those kinds of use. So an SPI can never expose the service, its builder, a
   * listener, a transport or an internal class in a signature, nor call into them.
   */
  private static ArchCondition<JavaClass> useOnlyValueTypesOfTheApi() {
    return new ArchCondition<>("use only .spi types, value types of the API and, in static factories, internal built-ins") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = moduleOf(origin.getPackageName());
        Set<String> factoryAccesses = accessesFromStaticFactories(origin);
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          JavaClass t = target(d);
          String pkg = t.getPackageName();
          String to = moduleOf(pkg);
          if (to.isEmpty()) {
            continue; // the JDK and third-party libraries
          }
          boolean ownOrCore = to.equals(from) || to.equals("core");
          boolean allowed;
          if (hasSegment(pkg, "spi")) {
            allowed = ownOrCore;
          } else if (hasSegment(pkg, "internal")) {
            allowed = to.equals(from) && factoryAccesses.contains(key(t, d.getSourceCodeLocation().getLineNumber()));
          } else if (pkg.equals(BASE + "." + to)) {
            allowed = ownOrCore && isValueType(t);
          } else {
            allowed = false; // transports and any other implementation package
          }
          if (!allowed) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription() + " (an .spi may use .spi types, value"
                + " types of the root package and, inside a static factory, its module's internal built-ins)"));
          }
        }
      }
    };
  }

  /**
   * Calls and field reads made by a static method that returns its own class, such as
   * {@code static CodeStore inMemory()}: the one place an SPI may name an internal built-in.
   */
  private static Set<String> accessesFromStaticFactories(JavaClass owner) {
    Set<String> keys = new HashSet<>();
    for (JavaAccess<?> access : owner.getAccessesFromSelf()) {
      JavaCodeUnit unit = access.getOrigin();
      if (unit instanceof JavaMethod method && method.getModifiers().contains(JavaModifier.STATIC)
          && method.getRawReturnType().equals(owner)) {
        keys.add(key(access.getTargetOwner().getBaseComponentType(), access.getLineNumber()));
      }
    }
    return keys;
  }

  private static String key(JavaClass target, int line) {
    return target.getName() + "@" + line;
  }

  /** Records, enums, exceptions, and final classes whose instance fields are all final. */
  private static boolean isValueType(JavaClass type) {
    if (type.isRecord() || type.isEnum() || type.isAssignableTo(Throwable.class)) {
      return true;
    }
    if (type.isInterface() || !type.getModifiers().contains(JavaModifier.FINAL)) {
      return false;
    }
    for (JavaField field : type.getFields()) {
      if (!field.getModifiers().contains(JavaModifier.STATIC) && !field.getModifiers().contains(JavaModifier.FINAL)) {
        return false;
      }
    }
    return true;
  }
}
