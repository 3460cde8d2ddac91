package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.spi.DatabaseMetadata;

/**
 * The store writes its SQL once, with JDBC's {@code ?} marks; PostgreSQL numbers its parameters
 * ({@code $1}, {@code $2}…). These wrappers of the reactive PostgreSQL client's pool and
 * connections number the marks of every statement on its way in, outside quoted text, and change
 * nothing else. The pg client caches prepared statements by their numbered text.
 */
final class NumberedParameters {
  private NumberedParameters() {
  }

  /** {@code sql} with its {@code ?} marks numbered, those inside quotes and identifiers left alone. */
  static String number(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int n = 0;
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        }
        out.append(ch);
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        out.append(ch);
      } else if (ch == '?') {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  static Pool pool(Pool pool) {
    return new NumberedPool(pool);
  }

  static SqlConnection connection(SqlConnection conn) {
    return new NumberedConnection(conn);
  }

  private record NumberedPool(Pool pool) implements Pool {
    @Override
    public Future<SqlConnection> getConnection() {
      return pool.getConnection().map(NumberedParameters::connection);
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
      return pool.query(sql);
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
      return pool.preparedQuery(number(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
      return pool.preparedQuery(number(sql), options);
    }

    @Override
    public int size() {
      return pool.size();
    }

    @Override
    public Future<Void> close() {
      return pool.close();
    }
  }

  private record NumberedConnection(SqlConnection conn) implements SqlConnection {
    @Override
    public Future<PreparedStatement> prepare(String sql) {
      return conn.prepare(number(sql));
    }

    @Override
    public Future<PreparedStatement> prepare(String sql, PrepareOptions options) {
      return conn.prepare(number(sql), options);
    }

    @Override
    public SqlConnection exceptionHandler(Handler<Throwable> handler) {
      conn.exceptionHandler(handler);
      return this;
    }

    @Override
    public SqlConnection closeHandler(Handler<Void> handler) {
      conn.closeHandler(handler);
      return this;
    }

    @Override
    public Future<Transaction> begin() {
      return conn.begin();
    }

    @Override
    public Transaction transaction() {
      return conn.transaction();
    }

    @Override
    public boolean isSSL() {
      return conn.isSSL();
    }

    @Override
    public DatabaseMetadata databaseMetadata() {
      return conn.databaseMetadata();
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
      return conn.query(sql);
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
      return conn.preparedQuery(number(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
      return conn.preparedQuery(number(sql), options);
    }

    @Override
    public Future<Void> close() {
      return conn.close();
    }
  }
}
