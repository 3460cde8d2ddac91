package dev.parley.store;

import dev.parley.config.ParleyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;

/**
 * Where the store keeps its data: the embedded SQLite files under the data folder
 * ({@link SqliteDatabase}, the default) or a PostgreSQL database ({@link PostgresDatabase}).
 * Either way the store talks to {@code io.vertx.sqlclient} pools and connections and writes
 * through one connection only; what differs in the SQL is the {@link #dialect()}'s.
 */
interface Database {
  static Database of(Vertx vertx, ParleyConfig.Store config) {
    return config.postgres() == null
        ? new SqliteDatabase(vertx, Path.of(config.dataDir()), config.readPoolSize())
        : new PostgresDatabase(vertx, config.postgres(), config.readPoolSize());
  }

  Dialect dialect();

  /** Creates or migrates the schema (Flyway), then opens the read pools. */
  Future<Void> open();

  /**
   * A new connection for the store's single writer, which {@link WriteQueue} holds and whose
   * transactions it runs. On PostgreSQL it must first win the {@link WriterFence}.
   */
  Future<SqlConnection> connectWriter();

  /** Queries that read committed data, in parallel with the writer. */
  Pool reader();

  /** Where idempotency keys are moved some time after their messages ({@link ClientKeys}). */
  Pool keys();

  /** The full-text index's upkeep. */
  SearchIndex searchIndex(long lingerMs);

  /** For logs and {@code /health}: which database, without secrets. */
  String describe();

  /** True if several nodes may run a store on this database, one active and the others waiting. */
  boolean shared();

  Future<Void> close();
}
