package dev.parley.bench;

import dev.parley.bench.Benchmark.Result;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Single node against a 3-node cluster, same machine, same run, same offered load
 * ({@code -Dbench.mode=cluster}). The cluster's node 1 holds the store (and api, push); nodes 2
 * and 3 run api and push and reach the store over the clustered bus. WebSocket clients are spread
 * over the nodes so that the two users of every pair sit on different nodes: every direct message
 * crosses the cluster at least once. Options as for {@link Benchmark}, plus
 * {@code -Dbench.rate=2000} (messages/s of the paced direct scenario).
 */
final class ClusterBenchmark {
  private static final int RATE = Integer.getInteger("bench.rate", 2000);
  private static final int LIGHT_PAIRS = Integer.getInteger("bench.lightPairs", 20);
  private static final int PAIRS = Integer.getInteger("bench.pairs", 200);

  private ClusterBenchmark() {
  }

  static void main(String[] args) throws Exception {
    System.out.println("Parley cluster benchmark — " + Benchmark.machine());
    System.out.printf("paced: %d pairs at %d messages/s in all; heavy: %d pairs; then group fan-out%n", LIGHT_PAIRS, RATE, PAIRS);
    List<Result> single;
    List<Result> cluster;
    System.out.println("== single node");
    try (ServerProcess node = ServerProcess.start(freePort(), "1g")) {
      single = scenarios(List.of(node));
    }
    System.out.println("== 3-node cluster (clients on all three nodes)");
    int h1 = freePort();
    int h2 = freePort();
    int h3 = freePort();
    String members = "127.0.0.1:" + h1 + ",127.0.0.1:" + h2 + ",127.0.0.1:" + h3;
    try (ServerProcess node1 = ServerProcess.clustered(freePort(), "1g", "bench1", "store,api,push", h1, members);
         ServerProcess node2 = ServerProcess.clustered(freePort(), "1g", "bench2", "api,push", h2, members);
         ServerProcess node3 = ServerProcess.clustered(freePort(), "1g", "bench3", "api,push", h3, members)) {
      cluster = scenarios(List.of(node1, node2, node3));
    }
    System.out.println();
    System.out.printf("%-16s | %-30s | %-30s | %s%n", "scenario", "single node", "3-node cluster", "p99 ratio");
    for (int i = 0; i < single.size(); i++) {
      Result one = single.get(i);
      Result three = cluster.get(i);
      System.out.printf("%-16s | %,9.0f/s p50 %5.1f p99 %6.1f ms | %,9.0f/s p50 %5.1f p99 %6.1f ms | %.2f%n",
          one.label(), one.rate(), one.p50(), one.p99(), three.rate(), three.p50(), three.p99(), three.p99() / one.p99());
    }
  }

  private static List<Result> scenarios(List<ServerProcess> nodes) throws Exception {
    List<Integer> ports = new ArrayList<>();
    nodes.forEach(node -> ports.add(node.port));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      Benchmark bench = new Benchmark(vertx, ports);
      // Server CPU figures below are node 1's (the store's).
      // -Dbench.pairs=0 or -Dbench.groups=0 leaves the heavy or the fan-out scenario out.
      List<Result> results = new ArrayList<>();
      results.add(bench.direct(nodes.get(0), LIGHT_PAIRS, "direct paced", RATE));
      if (PAIRS > 0) {
        results.add(bench.direct(nodes.get(0), PAIRS, "direct heavy"));
      }
      if (Integer.getInteger("bench.groups", 20) > 0) {
        results.add(bench.fanout(nodes.get(0)));
      }
      return results;
    } finally {
      vertx.close().await();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
