package dev.parley.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.parley.shared.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the verticles apart: they meet only on the event bus, so no verticle
 * package uses another (checked on the bytecode, fully qualified names and all), library packages
 * use no verticle package, and addresses are spelled only in the shared package.
 */
class ArchitectureTest {
  /** Packages that hold a verticle. */
  private static final List<String> VERTICLE_PACKAGES =
      List.of("api", "push", "store", "media", "bridge", "cluster", "webpush", "outgoing", "ops");
  /** Packages every verticle may use. */
  private static final List<String> LIBRARY_PACKAGES = List.of("shared", "auth", "config", "http", "delivery");
  private static final Path SOURCES = Path.of("src/main/java/dev/parley");
  /** A string that looks like a bus address: what only {@code shared.Address} may spell. */
  private static final Pattern ADDRESS_LITERAL =
      Pattern.compile("\"(store|chat|event|media|bridge|webpush|cluster|api|outgoing)\\.[a-z]+(\\.|\")");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley");
  }

  private static String pkg(String name) {
    return "dev.parley." + name + "..";
  }

  @Test
  void noVerticlePackageUsesAnother() {
    for (String own : VERTICLE_PACKAGES) {
      String[] others = VERTICLE_PACKAGES.stream().filter(other -> !other.equals(own)).map(ArchitectureTest::pkg)
          .toArray(String[]::new);
      noClasses().that().resideInAPackage(pkg(own))
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .because("verticles meet only on the event bus")
          .check(classes);
    }
  }

  @Test
  void libraryPackagesUseNoVerticlePackage() {
    noClasses().that().resideInAnyPackage(LIBRARY_PACKAGES.stream().map(ArchitectureTest::pkg).toArray(String[]::new))
        .should().dependOnClassesThat().resideInAnyPackage(VERTICLE_PACKAGES.stream().map(ArchitectureTest::pkg).toArray(String[]::new))
        .because("every verticle may use a library package, so a library may not pull a verticle in")
        .check(classes);
  }

  @Test
  void noTwoPackagesDependOnEachOther() {
    slices().matching("dev.parley.(*)..").should().beFreeOfCycles()
        .because("a package that needs another must not be needed by it: config knows nothing of auth, ids are shared's")
        .check(classes);
  }

  @Test
  void storeAndMediaMakeIdsWithoutTheAuthPackage() {
    noClasses().that().resideInAnyPackage(pkg("store"), pkg("media"))
        .should().dependOnClassesThat().resideInAPackage(pkg("auth"))
        .because("ids are not secrets: shared.Ids makes them")
        .check(classes);
  }

  /** On the sources: a constant's value is copied into each class that uses it, so the bytecode cannot tell. */
  @Test
  void addressesAreSpelledOnlyInTheSharedPackage() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles()) {
      if (SOURCES.relativize(file).startsWith("shared")) {
        continue;
      }
      // Config key paths ("media.dir" in ConfigLoader's environment table) look like addresses but are not.
      boolean spelled = Files.readAllLines(file).stream()
          .filter(line -> !line.strip().startsWith("new Env("))
          .anyMatch(line -> ADDRESS_LITERAL.matcher(line).find());
      if (spelled) {
        violations.add(SOURCES.relativize(file).toString());
      }
    }
    assertEquals(List.of(), violations);
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(p -> p.toString().endsWith(".java") && SOURCES.relativize(p).getNameCount() > 1).toList();
    }
  }
}
