package dev.parley.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the verticles apart: they meet only on the event bus, so no verticle
 * package imports another, and addresses are spelled only in the shared package.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/parley");
  /** Packages that hold a verticle. Library packages (shared, auth, config, http, delivery) may be used by all. */
  private static final Set<String> VERTICLE_PACKAGES = Set.of("api", "push", "store", "media", "bridge", "cluster", "webpush", "outgoing", "ops");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.parley\\.(\\w+)\\.", Pattern.MULTILINE);
  private static final Pattern ADDRESS_LITERAL = Pattern.compile("\"(store|chat|event|media|bridge|webpush)\\.[a-z]+(\\.|\")");

  @Test
  void noVerticlePackageImportsAnother() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles()) {
      String own = SOURCES.relativize(file).getName(0).toString();
      Matcher imports = IMPORT.matcher(Files.readString(file));
      while (imports.find()) {
        String used = imports.group(1);
        if (!used.equals(own) && VERTICLE_PACKAGES.contains(used) && (VERTICLE_PACKAGES.contains(own) || isLibrary(own))) {
          violations.add(SOURCES.relativize(file) + " imports dev.parley." + used);
        }
      }
    }
    assertEquals(List.of(), violations);
  }

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

  private static boolean isLibrary(String pkg) {
    return Set.of("shared", "auth", "config", "http", "delivery").contains(pkg);
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(p -> p.toString().endsWith(".java") && SOURCES.relativize(p).getNameCount() > 1).toList();
    }
  }
}
