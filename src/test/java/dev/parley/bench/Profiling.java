package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * {@code -Dbench.profile=cpu} (or {@code wall}, {@code alloc}): async-profiler in the server
 * during each scenario's measured interval only, loaded with {@code jcmd JVMTI.agent_load} from
 * the async-profiler jar on the benchmark's class path. Each scenario leaves collapsed stacks in
 * {@code target/profiles/<scenario>-<event>.collapsed} (one line per stack with its sample count,
 * for flame graphs and for summing by package) and an HTML flame graph beside it.
 */
final class Profiling {
  static final String EVENT = System.getProperty("bench.profile", "");
  static final boolean ON = !EVENT.isEmpty();
  private static Path library;

  private Profiling() {
  }

  static void start(ServerProcess server) throws IOException, InterruptedException {
    if (ON) {
      String event = "wall".equals(EVENT) ? "wall,interval=1ms" : EVENT + ",interval=1ms";
      agent(server, "start,event=" + event + (EVENT.equals("wall") ? ",threads" : ""));
    }
  }

  /** Stops the profiler and writes the scenario's files; returns the collapsed file, or null. */
  static Path stop(ServerProcess server, String scenario) throws IOException, InterruptedException {
    if (!ON) {
      return null;
    }
    Path dir = Path.of("target", "profiles").toAbsolutePath();
    Files.createDirectories(dir);
    String base = scenario.trim().replace(' ', '-') + "-" + EVENT;
    Path collapsed = dir.resolve(base + ".collapsed");
    agent(server, "dump,collapsed,file=" + collapsed);
    agent(server, "stop,flamegraph,file=" + dir.resolve(base + ".html"));
    return collapsed;
  }

  private static void agent(ServerProcess server, String options) throws IOException, InterruptedException {
    // Quoted: jcmd would read the options' '=' as its own named arguments.
    Process jcmd = new ProcessBuilder("jcmd", String.valueOf(server.process.pid()), "JVMTI.agent_load",
        library().toString(), "\"" + options + "\"").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor(60, TimeUnit.SECONDS);
    if (!out.contains("return code: 0") && !out.isBlank()) {
      System.out.println("profiler: " + out.strip());
    }
  }

  /** libasyncProfiler.so out of the async-profiler jar, once. */
  private static synchronized Path library() throws IOException {
    if (library == null) {
      String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
      try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(arch + "/libasyncProfiler.so")) {
        if (in == null) {
          throw new IllegalStateException("async-profiler's library is not on the class path");
        }
        library = Files.createTempFile("libasyncProfiler", ".so");
        Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        library.toFile().deleteOnExit();
      }
    }
    return library;
  }
}
