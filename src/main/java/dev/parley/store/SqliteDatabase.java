package dev.parley.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;

/**
 * The SQLite files and their pools. SQLite has one writer per file, so changes to
 * {@code parley.db} go through a pool of exactly one connection (fed by {@link WriteQueue}), and
 * the full-text index lives in {@code search.db} with a writer of its own ({@link SearchIndex}),
 * so indexing never lengthens a message batch, and so do the idempotency keys in {@code keys.db}
 * ({@link ClientKeys}). Queries run on a separate read-only pool in
 * parallel under WAL, with {@code search.db} attached. Agroal owns the physical connections
 * (pragmas in the URL, validation, lifetime); vertx-jdbc-client wraps each data source in a
 * pool of the same size.
 */
final class SqliteDatabase implements Database {
  private static final Dialect DIALECT = new SqliteDialect();

  private final Vertx vertx;
  private final Path file;
  private final Path searchFile;
  private final Path keysFile;
  private final int readPoolSize;
  private AgroalDataSource writerSource;
  private AgroalDataSource readerSource;
  private AgroalDataSource searchSource;
  private AgroalDataSource keysSource;
  private Pool writer;
  private Pool reader;
  private Pool search;
  private Pool keys;

  SqliteDatabase(Vertx vertx, Path dataDir, int readPoolSize) {
    this.vertx = vertx;
    this.file = dataDir.toAbsolutePath().resolve("parley.db");
    this.searchFile = dataDir.toAbsolutePath().resolve("search.db");
    this.keysFile = dataDir.toAbsolutePath().resolve("keys.db");
    this.readPoolSize = readPoolSize;
  }

  @Override
  public Dialect dialect() {
    return DIALECT;
  }

  /** Creates the files if needed, migrates them (Flyway), then opens the pools. */
  @Override
  public Future<Void> open() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(file.getParent());
      writerSource = dataSource(writerUrl(), 1, null);
      Flyway.configure().dataSource(writerSource).locations("classpath:db/migration").load().migrate();
      searchSource = dataSource(derivedUrl(searchFile), 1, null);
      Flyway.configure().dataSource(searchSource).locations("classpath:db/search").table("flyway_search_history")
          .load().migrate();
      // Two: a lookup of an old key (a retried send) never waits behind a move of keys.
      keysSource = dataSource(derivedUrl(keysFile), 2, null);
      Flyway.configure().dataSource(keysSource).locations("classpath:db/keys").table("flyway_keys_history")
          .load().migrate();
      // Readers see the search index as the schema "search", for queries that join both files.
      readerSource = dataSource(readerUrl(), readPoolSize,
          "ATTACH DATABASE '" + searchFile.toString().replace("'", "''") + "' AS search");
      return null;
    }).map(v -> {
      writer = JDBCPool.pool(vertx, writerSource, new PoolOptions().setMaxSize(1).setName("parley-writer"));
      reader = JDBCPool.pool(vertx, readerSource, new PoolOptions().setMaxSize(readPoolSize).setName("parley-reader"));
      search = JDBCPool.pool(vertx, searchSource, new PoolOptions().setMaxSize(1).setName("parley-search"));
      keys = JDBCPool.pool(vertx, keysSource, new PoolOptions().setMaxSize(2).setName("parley-keys"));
      return null;
    });
  }

  /** The pool of one connection to parley.db that may write; the Hazelcast {@link StoreLease} keeps it to one node. */
  @Override
  public Future<SqlConnection> connectWriter() {
    return writer.getConnection();
  }

  @Override
  public Pool reader() {
    return reader;
  }

  /** search.db, written by its own connection; readers see it attached as the schema "search". */
  @Override
  public SearchIndex searchIndex(long lingerMs) {
    return new SqliteSearchIndex(vertx, search, reader, lingerMs);
  }

  @Override
  public String describe() {
    return "sqlite:" + file;
  }

  /** One file on one disk: one store per cluster. */
  @Override
  public boolean shared() {
    return false;
  }

  /**
   * keys.db, where idempotency keys go some time after their messages: one connection moves keys
   * in, the other looks old ones up meanwhile (WAL).
   */
  @Override
  public Pool keys() {
    return keys;
  }

  @Override
  public Future<Void> close() {
    Future<Void> pools = Future.join(
        writer == null ? Future.succeededFuture() : writer.close(),
        reader == null ? Future.succeededFuture() : reader.close(),
        search == null ? Future.succeededFuture() : search.close(),
        keys == null ? Future.succeededFuture() : keys.close()).mapEmpty();
    return pools.eventually(() -> vertx.executeBlocking(() -> {
      for (AgroalDataSource source : new AgroalDataSource[] {readerSource, searchSource, keysSource, writerSource}) {
        if (source != null) {
          source.close();
        }
      }
      return null;
    }));
  }

  /**
   * WAL: readers never block the writer. FULL: an acknowledged commit survives power loss. The
   * writer keeps autocommit on and {@link WriteQueue} opens each transaction itself with
   * {@code BEGIN IMMEDIATE}, pipelined with the batch's statements; so no driver-opened
   * transaction ever holds the write lock while the writer idles (vertx-jdbc-client 5.0.8 would
   * leave autocommit off after a commit, and sqlite-jdbc would then begin the next one at once).
   * A 64 MiB page cache keeps the index pages that every batch touches in memory.
   */
  private String writerUrl() {
    return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=FULL&foreign_keys=on"
        + "&busy_timeout=5000&transaction_mode=DEFERRED&cache_size=-65536";
  }

  /**
   * search.db and keys.db hold data derived from parley.db and are rebuilt from it (each keeps its
   * mark in the same transactions as its data), so NORMAL durability is enough.
   */
  private static String derivedUrl(Path file) {
    return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000"
        + "&transaction_mode=DEFERRED";
  }

  private String readerUrl() {
    return "jdbc:sqlite:" + file + "?open_mode=1&foreign_keys=on&busy_timeout=5000";
  }

  private static AgroalDataSource dataSource(String url, int size, String initialSql) throws SQLException {
    return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            .initialSize(1)
            .minSize(1)
            .maxSize(size)
            .acquisitionTimeout(Duration.ofSeconds(10))
            .maxLifetime(Duration.ofHours(1))
            .connectionValidator(ConnectionValidator.defaultValidator())
            .connectionFactoryConfiguration(factory -> initialSql == null
                ? factory.jdbcUrl(url)
                : factory.jdbcUrl(url).initialSql(initialSql))));
  }
}
