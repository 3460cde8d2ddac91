package dev.parley;

import dev.parley.auth.SigningKeys;
import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import dev.parley.store.Backup;
import dev.parley.store.MigrateStore;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Parley node: loads the configuration, starts Vert.x, deploys the verticles of the
 * node's roles, and on SIGTERM undeploys them in reverse (stop accepting, finish in-flight writes,
 * close the database). {@code migrate-store} instead copies a SQLite store into PostgreSQL
 * ({@link MigrateStore}); {@code backup} and {@code restore} make and restore a backup of a SQLite
 * store ({@link Backup}).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && "migrate-store".equals(args[0])) {
      System.exit(MigrateStore.command(java.util.Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    if (args.length > 0 && "backup".equals(args[0])) {
      System.exit(Backup.backupCommand(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv()));
      return;
    }
    if (args.length > 0 && "restore".equals(args[0])) {
      System.exit(Backup.restoreCommand(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv()));
      return;
    }
    JsonObject config;
    try {
      config = SigningKeys.resolve(ConfigLoader.resolve(ConfigLoader.load(args, System.getenv())));
    } catch (RuntimeException e) {
      log.error("cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Node node = new Node(config);
    try {
      node.start().await();
    } catch (Throwable e) {
      log.error("cannot start: {}", e.getMessage(), e);
      node.stop().await();
      System.exit(1);
    }
    ParleyConfig typed = ParleyConfig.from(config);
    log.info("Parley node {} up with roles {} on http://{}:{}/", typed.nodeId(), typed.roles(),
        typed.http().host(), typed.http().port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      node.stop().await();
    }, "parley-shutdown"));
  }
}
