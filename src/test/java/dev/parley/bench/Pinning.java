package dev.parley.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -Dbench.pin=true}: the server under test runs on one core, the benchmark's clients on
 * another (Linux {@code taskset}), so that the server's figures are one core's and its CPU time
 * per message is not blurred by the clients competing for the same core.
 */
final class Pinning {
  static final boolean ON = Boolean.getBoolean("bench.pin");
  static final int SERVER_CORE = Integer.getInteger("bench.serverCore", 0);
  static final int CLIENT_CORE = Integer.getInteger("bench.clientCore", 1);

  private Pinning() {
  }

  /** The command that starts a server process: prefixed with {@code taskset} when pinning. */
  static List<String> server(List<String> command) {
    if (!ON) {
      return command;
    }
    List<String> pinned = new ArrayList<>(List.of("taskset", "-c", String.valueOf(SERVER_CORE)));
    pinned.addAll(command);
    return pinned;
  }

  /** Moves every thread of this JVM to {@code core}; threads started later inherit it. */
  static void pinSelf(int core) throws IOException, InterruptedException {
    Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", String.valueOf(core),
        String.valueOf(ProcessHandle.current().pid())).redirectErrorStream(true).start();
    String out = new String(taskset.getInputStream().readAllBytes());
    if (taskset.waitFor() != 0) {
      throw new IllegalStateException("taskset failed: " + out);
    }
  }
}
