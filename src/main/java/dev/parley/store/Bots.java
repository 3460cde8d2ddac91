package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Events;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/**
 * Bots: users with {@code bot = 1} and no password, made by a user who owns them. A bot signs in
 * with a long-lived token, kept only as its SHA-256 (in {@code bots} and in {@link StoreState}, so a
 * lookup is one map read). Revoking empties the hash and tells every bridge to drop the bot's
 * connections.
 *
 * <p>The server also keeps each bot's position: the newest event id it acknowledged
 * ({@code chat.ack}, cumulative), starting at the end of the stream when the bot is made. A bot
 * that registers with {@code resume: server} is delivered everything after it, so a bot that
 * restarts with no saved state misses nothing (and may see again what it had not acknowledged).
 */
final class Bots {
  static final int MAX_PER_OWNER = 20;
  /** Revoked bots keep their accounts (their messages stay), so making and revoking is bounded too. */
  static final int MAX_EVER_PER_OWNER = 100;

  private final StoreState state;
  private final WireViews views;
  private final WriteQueue writes;
  private final EventBus bus;

  Bots(StoreState state, WireViews views, WriteQueue writes, EventBus bus) {
    this.state = state;
    this.views = views;
    this.writes = writes;
    this.bus = bus;
  }

  /** {@code store.bot.create}. */
  Future<BotCommands.BotCreated> create(BotCommands.CreateBot cmd) {
    String ownerId = cmd.ownerId();
    String username = cmd.username();
    String tokenHash = cmd.tokenHash();
    return writes.submit(tx -> {
      StoreState.User owner = state.users.get(ownerId);
      if (owner == null) {
        return Future.failedFuture(Failure.notFound("user"));
      }
      if (owner.bot) {
        return Future.failedFuture(Failure.forbidden("a bot cannot make bots"));
      }
      if (state.usersByName.containsKey(username)) {
        return Future.failedFuture(Failure.conflict("the username is taken"));
      }
      long live = state.botTokens.values().stream().filter(id -> ownerId.equals(state.botOwners.get(id))).count();
      if (live >= MAX_PER_OWNER) {
        return Future.failedFuture(Failure.conflict("a user may have at most " + MAX_PER_OWNER + " bots"));
      }
      if (state.botOwners.values().stream().filter(ownerId::equals).count() >= MAX_EVER_PER_OWNER) {
        return Future.failedFuture(Failure.conflict("a user may make at most " + MAX_EVER_PER_OWNER + " bots, revoked ones included"));
      }
      StoreState.User bot = new StoreState.User();
      bot.id = Ids.next("u");
      bot.username = username;
      bot.displayName = cmd.displayName();
      bot.bot = true;
      bot.readReceipts = true;
      bot.createdAt = WireViews.now();
      long cursor = state.lastEventId;
      return tx.conn.preparedQuery("INSERT INTO users (id, username, display_name, password_hash, bot, read_receipts,"
              + " created_at) VALUES (?, ?, ?, NULL, 1, 1, ?)")
          .execute(Tuple.of(bot.id, bot.username, bot.displayName, bot.createdAt))
          .compose(rows -> tx.conn.preparedQuery("INSERT INTO bots (user_id, owner_id, token_hash, created_at, acked_event_id)"
                  + " VALUES (?, ?, ?, ?, ?)")
              .execute(Tuple.of(bot.id, ownerId, tokenHash, bot.createdAt, cursor)))
          .map(rows -> {
            state.putUser(bot);
            state.putBot(bot.id, ownerId, tokenHash);
            state.botCursors.put(bot.id, cursor);
            return new BotCommands.BotCreated(views.me(bot));
          });
    });
  }

  /** {@code store.bot.revoke}: the owner only; revoking a revoked bot changes nothing. */
  Future<BusBody.Empty> revoke(BotCommands.OwnedBot cmd) {
    String userId = cmd.userId();
    String botId = cmd.botId();
    return writes.submit(tx -> {
      String owner = botId == null ? null : state.botOwners.get(botId);
      if (owner == null) {
        return Future.failedFuture(Failure.notFound("bot"));
      }
      if (!owner.equals(userId)) {
        return Future.failedFuture(Failure.forbidden("only the bot's owner may revoke it"));
      }
      return revokeToken(tx, botId).map(revoked -> BusBody.Empty.INSTANCE);
    });
  }

  /**
   * Ends the bot's token (false if it had none left) and, after commit, closes its bridge
   * connections on every node. Its owner or an admin decided so.
   */
  Future<Boolean> revokeToken(WriteQueue.Tx tx, String botId) {
    String hash = state.botTokens.entrySet().stream().filter(e -> e.getValue().equals(botId))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    if (hash == null) {
      return Future.succeededFuture(false);
    }
    return tx.conn.preparedQuery("UPDATE bots SET token_hash = NULL, revoked_at = ? WHERE user_id = ?")
        .execute(Tuple.of(WireViews.now(), botId))
        .map(rows -> {
          state.botTokens.remove(hash);
          tx.afterCommit(() -> Bus.publish(bus, Address.BOT_REVOKED, new Events.BotRevoked(botId)));
          return true;
        });
  }

  /** {@code store.bot.cursor}: the bot's kept position; 403 for a user who is not a bot. */
  Future<BotCommands.Position> cursor(BotCommands.Cursor cmd) {
    Long acked = state.botCursors.get(cmd.userId());
    if (acked == null) {
      return Failure.future(ErrorCode.FORBIDDEN, "only bots have a server-kept position");
    }
    return Future.succeededFuture(new BotCommands.Position(acked));
  }

  /**
   * {@code store.bot.ack}: the bot's new kept position. Cumulative: an id at or below the kept one
   * changes nothing, and an id the store has not handed out yet is a 400.
   */
  Future<BotCommands.Position> ack(BotCommands.Ack cmd) {
    String botId = cmd.userId();
    Long id = cmd.id();
    if (!state.botCursors.containsKey(botId)) {
      return Failure.future(ErrorCode.FORBIDDEN, "only bots acknowledge events");
    }
    if (id == null || id > state.lastEventId) {
      return Future.failedFuture(Failure.invalid("id", "id must be the id of an event this bot received"));
    }
    return writes.submit(tx -> {
      long kept = state.botCursors.getOrDefault(botId, 0L);
      if (id <= kept) {
        return Future.succeededFuture(new BotCommands.Position(kept));
      }
      return tx.conn.preparedQuery("UPDATE bots SET acked_event_id = ? WHERE user_id = ?").execute(Tuple.of(id, botId))
          .map(rows -> {
            state.botCursors.put(botId, id);
            return new BotCommands.Position(id);
          });
    });
  }

  /** {@code store.bot.authenticate}: the bot of a live token. */
  Future<BotCommands.Authenticated> authenticate(BotCommands.Authenticate cmd) {
    String userId = state.botTokens.get(cmd.tokenHash());
    if (userId == null) {
      return Failure.future(ErrorCode.UNAUTHORIZED, "invalid or revoked bot token");
    }
    StoreState.User bot = state.users.get(userId);
    if (bot != null && bot.disabled()) {
      return Failure.future(ErrorCode.FORBIDDEN, Administration.DISABLED);
    }
    return Future.succeededFuture(new BotCommands.Authenticated(userId));
  }
}
