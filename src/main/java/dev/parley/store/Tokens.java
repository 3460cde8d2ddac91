package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Events;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.UserCommands;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;

/**
 * Refresh tokens, stored only as hashes. Each login starts a family; each refresh rotates the
 * token within its family. Presenting a token that was already rotated means it was stolen or
 * replayed: the whole family is revoked, which logs out the thief and the owner alike.
 */
final class Tokens {
  private static final String REFUSED = "invalid or expired refresh token";

  private final StoreState state;
  private final WriteQueue writes;
  private final EventBus bus;

  Tokens(StoreState state, WriteQueue writes, EventBus bus) {
    this.state = state;
    this.writes = writes;
    this.bus = bus;
  }

  Future<BusBody.Empty> issue(UserCommands.IssueToken cmd) {
    return writes.submit(tx -> tx.conn.preparedQuery("INSERT INTO refresh_tokens (token_hash, family_id, user_id,"
            + " expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(cmd.tokenHash(), cmd.familyId() == null ? Ids.next("f") : cmd.familyId(), cmd.userId(),
            cmd.expiresAt(), WireViews.now()))
        .map(rows -> BusBody.Empty.INSTANCE));
  }

  Future<UserCommands.Rotated> rotate(UserCommands.RotateToken cmd) {
    return writes.submit(tx -> tx.conn.preparedQuery("SELECT family_id, user_id, expires_at, rotated, revoked"
            + " FROM refresh_tokens WHERE token_hash = ?")
        .execute(Tuple.of(cmd.tokenHash()))
        .compose(rows -> {
          RowIterator<Row> it = rows.iterator();
          if (!it.hasNext()) {
            return Failure.future(ErrorCode.UNAUTHORIZED, REFUSED);
          }
          Row row = it.next();
          String family = row.getString("family_id");
          if (row.getInteger("rotated") == 1 && row.getInteger("revoked") == 0) {
            // Reuse of a rotated token: revoke the family. A rejection does not roll back, so this sticks.
            return revokeFamily(tx, row.getString("user_id"), family)
                .compose(v -> Failure.future(ErrorCode.UNAUTHORIZED, REFUSED));
          }
          if (row.getInteger("revoked") == 1 || row.getLong("expires_at") < System.currentTimeMillis()) {
            return Failure.future(ErrorCode.UNAUTHORIZED, REFUSED);
          }
          String userId = row.getString("user_id");
          StoreState.User user = state.users.get(userId);
          if (user != null && user.disabled()) {
            return Failure.future(ErrorCode.UNAUTHORIZED, REFUSED);
          }
          return tx.conn.preparedQuery("UPDATE refresh_tokens SET rotated = 1 WHERE token_hash = ?")
              .execute(Tuple.of(cmd.tokenHash()))
              .compose(v -> tx.conn.preparedQuery("INSERT INTO refresh_tokens (token_hash, family_id, user_id,"
                      + " expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
                  .execute(Tuple.of(cmd.newTokenHash(), family, userId, cmd.expiresAt(), WireViews.now())))
              .map(v -> new UserCommands.Rotated(userId, family));
        }));
  }

  Future<BusBody.Empty> revoke(UserCommands.RevokeToken cmd) {
    return writes.submit(tx -> tx.conn.preparedQuery("SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = ?")
        .execute(Tuple.of(cmd.tokenHash()))
        .compose(rows -> rows.size() == 0
            ? Future.succeededFuture()
            : revokeFamily(tx, rows.iterator().next().getString("user_id"), rows.iterator().next().getString("family_id")))
        .map(v -> BusBody.Empty.INSTANCE));
  }

  /**
   * {@code store.user.password}: the new hash, and every other sign-in of the user revoked (a
   * changed password ends the sessions it may have been stolen for), each announced after commit.
   */
  Future<BusBody.Empty> changePassword(UserCommands.ChangePassword cmd) {
    String userId = cmd.userId();
    String keep = cmd.keepFamilyId();
    StoreState.User user = state.users.get(userId);
    if (user == null || user.bot) {
      return Future.failedFuture(Failure.notFound("user"));
    }
    return writes.submit(tx -> tx.conn.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ?")
        .execute(Tuple.of(cmd.passwordHash(), userId))
        .compose(v -> revokeAll(tx, userId, keep))
        .map(v -> BusBody.Empty.INSTANCE));
  }

  /** Revokes every live sign-in of the user but {@code keep} (null: all), each announced after commit. */
  Future<Void> revokeAll(WriteQueue.Tx tx, String userId, String keep) {
    return tx.conn.preparedQuery("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND revoked = 0")
        .execute(Tuple.of(userId))
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row row : rows) {
            String family = row.getString("family_id");
            if (!family.equals(keep)) {
              chain = chain.compose(v -> revokeFamily(tx, userId, family));
            }
          }
          return chain;
        });
  }

  /** Revokes the family and, once that has committed, tells push and the bridge on every node to end its connections. */
  private Future<Void> revokeFamily(WriteQueue.Tx tx, String userId, String family) {
    tx.afterCommit(() -> Bus.publish(bus, Address.SESSIONS_REVOKED, new Events.SessionsRevoked(userId, family)));
    return tx.conn.preparedQuery("UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?")
        .execute(Tuple.of(family)).mapEmpty();
  }
}
