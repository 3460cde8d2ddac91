package dev.parley.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;

/**
 * The SQLite file and its two pools. SQLite has one writer, so writes go through a pool of
 * exactly one connection (fed by {@link WriteQueue}); queries run on a
 * separate read-only pool in parallel under WAL. Agroal owns the physical connections (pragmas
 * in the URL, validation, lifetime); vertx-jdbc-client wraps each data source in a pool of the
 * same size.
 */
final class Database {
  private final Vertx vertx;
  private final Path file;
  private final int readPoolSize;
  private AgroalDataSource writerSource;
  private AgroalDataSource readerSource;
  private Pool writer;
  private Pool reader;

  Database(Vertx vertx, Path dataDir, int readPoolSize) {
    this.vertx = vertx;
    this.file = dataDir.toAbsolutePath().resolve("parley.db");
    this.readPoolSize = readPoolSize;
  }

  /** Creates the file if needed, migrates it (Flyway), then opens both pools. */
  Future<Void> open() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(file.getParent());
      writerSource = dataSource(writerUrl(), 1);
      Flyway.configure().dataSource(writerSource).locations("classpath:db/migration").load().migrate();
      readerSource = dataSource(readerUrl(), readPoolSize);
      return null;
    }).map(v -> {
      writer = JDBCPool.pool(vertx, writerSource, new PoolOptions().setMaxSize(1).setName("parley-writer"));
      reader = JDBCPool.pool(vertx, readerSource, new PoolOptions().setMaxSize(readPoolSize).setName("parley-reader"));
      return null;
    });
  }

  Pool writer() {
    return writer;
  }

  Pool reader() {
    return reader;
  }

  Future<Void> close() {
    Future<Void> pools = Future.join(
        writer == null ? Future.succeededFuture() : writer.close(),
        reader == null ? Future.succeededFuture() : reader.close()).mapEmpty();
    return pools.eventually(() -> vertx.executeBlocking(() -> {
      if (readerSource != null) {
        readerSource.close();
      }
      if (writerSource != null) {
        writerSource.close();
      }
      return null;
    }));
  }

  /**
   * WAL: readers never block the writer. FULL: an acknowledged commit survives power loss.
   * DEFERRED rather than IMMEDIATE: vertx-jdbc-client 5.0.8 leaves autocommit off after a commit,
   * and sqlite-jdbc then begins the next transaction at once; an IMMEDIATE one would hold the
   * write lock while the writer idles (locking out backups and maintenance). With exactly one
   * writer connection a deferred transaction never loses a lock upgrade race.
   */
  private String writerUrl() {
    return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=FULL&foreign_keys=on"
        + "&busy_timeout=5000&transaction_mode=DEFERRED";
  }

  private String readerUrl() {
    return "jdbc:sqlite:" + file + "?open_mode=1&foreign_keys=on&busy_timeout=5000";
  }

  private static AgroalDataSource dataSource(String url, int size) throws SQLException {
    return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            .initialSize(1)
            .minSize(1)
            .maxSize(size)
            .acquisitionTimeout(Duration.ofSeconds(10))
            .maxLifetime(Duration.ofHours(1))
            .connectionValidator(ConnectionValidator.defaultValidator())
            .connectionFactoryConfiguration(factory -> factory.jdbcUrl(url))));
  }
}
