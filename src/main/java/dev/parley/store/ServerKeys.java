package dev.parley.store;

import com.interaso.webpush.VapidKeys;
import dev.parley.config.ParleyConfig;
import dev.parley.shared.PushCommands;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;

/**
 * The server's VAPID key pair, which signs every Web Push request and which every browser
 * subscription is bound to. Configured by the operator, or made once and kept in the database's
 * {@code server_keys}: a store that takes over, and a copy made by migrate-store, sign with the
 * same key, so no device has to subscribe again.
 */
final class ServerKeys {
  private static final String VAPID = "vapid";

  private ServerKeys() {
  }

  /** The pair as {@link dev.parley.shared.Address#PUSH_VAPID} answers it. */
  static PushCommands.VapidPair wire(VapidKeys keys) {
    return new PushCommands.VapidPair(Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getApplicationServerKey()),
        keys.getX509PublicKey(), keys.getPkcs8PrivateKey());
  }

  /**
   * The configured pair, or the kept one, made first if there is none. Two stores starting
   * together both insert-if-absent and then read: they end up with the one pair that won.
   */
  static Future<VapidKeys> vapid(SqlClient db, ParleyConfig.WebPush config) {
    if (config.vapidPublicKey() != null || config.vapidPrivateKey() != null) {
      try {
        return Future.succeededFuture(VapidKeys.fromUncompressedBytes(config.vapidPublicKey(), config.vapidPrivateKey()));
      } catch (RuntimeException e) {
        return Future.failedFuture(new IllegalArgumentException("webPush.vapidPublicKey and webPush.vapidPrivateKey must be"
            + " a matching P-256 pair, base64url (uncompressed point, raw scalar): " + e.getMessage(), e));
      }
    }
    return kept(db).compose(found -> {
      if (found != null) {
        return Future.succeededFuture(found);
      }
      VapidKeys made = VapidKeys.generate();
      return db.preparedQuery("INSERT INTO server_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
          .execute(Tuple.of(VAPID, made.getX509PublicKey() + "\n" + made.getPkcs8PrivateKey()))
          .compose(v -> kept(db));
    });
  }

  private static Future<VapidKeys> kept(SqlClient db) {
    return db.preparedQuery("SELECT value FROM server_keys WHERE name = ?").execute(Tuple.of(VAPID)).map((RowSet<Row> rows) -> {
      if (rows.size() == 0) {
        return null;
      }
      String[] pair = rows.iterator().next().getString("value").split("\n");
      return VapidKeys.create(pair[0], pair[1]);
    });
  }
}
