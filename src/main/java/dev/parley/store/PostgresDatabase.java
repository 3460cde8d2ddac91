package dev.parley.store;

import dev.parley.config.ParleyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL database, through Vert.x's reactive client: no thread per query, statements
 * pipelined and prepared once per connection. Flyway migrates the schema (db/postgresql) over
 * pgjdbc at start, the only time pgjdbc is used. Any number of nodes may run a store here; the
 * {@link WriterFence} lets exactly one of them write.
 *
 * <p>Connections per store node: one writer, {@code store.readPoolSize} readers and two for
 * idempotency keys; a waiting store holds only the connection that asks for the fence.
 */
final class PostgresDatabase implements Database {
  /** The writer's application_name, so an operator (or a test) can find its backend in pg_stat_activity. */
  static final String WRITER_NAME = "parley-store-writer";
  private static final Dialect DIALECT = new PostgresDialect();

  private final Vertx vertx;
  private final ParleyConfig.Postgres config;
  private final int readPoolSize;
  private Pool reader;
  private Pool keys;

  PostgresDatabase(Vertx vertx, ParleyConfig.Postgres config, int readPoolSize) {
    this.vertx = vertx;
    this.config = config;
    this.readPoolSize = readPoolSize;
  }

  @Override
  public Dialect dialect() {
    return DIALECT;
  }

  @Override
  public Future<Void> open() {
    return vertx.executeBlocking(() -> {
      // Flyway takes PostgreSQL's advisory lock of its own: stores starting together migrate once.
      Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
          .locations("classpath:db/postgresql").load().migrate();
      return null;
    }).map(v -> {
      reader = pool("parley-reader", readPoolSize);
      keys = pool("parley-keys", 2);
      return null;
    });
  }

  private Pool pool(String name, int size) {
    return NumberedParameters.pool(PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name))
        .connectingTo(options(name))
        .using(vertx)
        .build());
  }

  private PgConnectOptions options(String applicationName) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setCachePreparedStatements(true);
    options.getProperties().put("application_name", applicationName);
    if (config.user() != null) {
      options.setUser(config.user());
    }
    if (config.password() != null) {
      options.setPassword(config.password());
    }
    if (config.sslMode() != null) {
      // As libpq: require encrypts without checking the certificate; verify-* check it against
      // the JVM's trust store, verify-full the host name too.
      options.setSslMode(SslMode.of(config.sslMode()));
      options.setSslOptions(new ClientSSLOptions()
          .setTrustAll(!config.sslMode().startsWith("verify"))
          .setHostnameVerificationAlgorithm("verify-full".equals(config.sslMode()) ? "HTTPS" : ""));
    }
    return options;
  }

  /**
   * The writer's own connection. PostgreSQL is asked to probe it with TCP keepalives every few
   * seconds: a store machine that vanishes without closing it (power, network) frees the fence in
   * about ten seconds instead of the system default of two hours.
   */
  @Override
  public Future<SqlConnection> connectWriter() {
    return PgConnection.connect(vertx, options(WRITER_NAME))
        .compose(conn -> conn.query("SET tcp_keepalives_idle = 3; SET tcp_keepalives_interval = 2;"
                + " SET tcp_keepalives_count = 3; SET synchronous_commit = on").execute()
            .map(v -> NumberedParameters.connection(conn))
            .onFailure(failed -> conn.close()));
  }

  @Override
  public Pool reader() {
    return reader;
  }

  @Override
  public Pool keys() {
    return keys;
  }

  @Override
  public SearchIndex searchIndex(long lingerMs) {
    return SearchIndex.maintainedByDatabase();
  }

  @Override
  public String describe() {
    return config.display();
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Future<Void> close() {
    return Future.join(
        reader == null ? Future.succeededFuture() : reader.close(),
        keys == null ? Future.succeededFuture() : keys.close()).mapEmpty();
  }
}
