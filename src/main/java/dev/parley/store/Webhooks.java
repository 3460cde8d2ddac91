package dev.parley.store;

import dev.parley.shared.BotCommands;
import dev.parley.shared.BusBody;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.RateLimits;
import dev.parley.shared.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Incoming webhooks (issue 20): a conversation's integrations post messages through a secret URL.
 *
 * <p>Each webhook has its own sender, a bot user ({@code bot = 1}, no password, username
 * {@code webhook:<id>}, which no person can register, left out of user search). That user is not a
 * member of the conversation (a direct conversation keeps its two members, a group's member list
 * its people); {@link MessageWrites} lets it post because its message carries {@code via}, which
 * only this class sets. So history, search, unread counts, receipts, pushes and the WebSocket see
 * an ordinary message with a real {@code senderId}, marked {@code via: {webhook, name}}.
 *
 * <p>The URL's secret is kept only as its SHA-256, and found by that hash. A webhook works while it
 * is not revoked and its creator is still a member of the conversation (as shares: someone who left
 * cannot keep posting into it). Revoking empties the hash (404 from then on); the row and the user
 * stay as the author of what was posted.
 */
final class Webhooks {
  static final int MAX_LIVE_PER_CONVERSATION = 20;
  /** Revoked ones keep their sender user, so making and revoking is bounded too. */
  static final int MAX_EVER_PER_CONVERSATION = 200;
  /** Posts per webhook: 60 a minute, at most 20 at once. */
  static final int POSTS_PER_MINUTE = 60;
  static final int POST_BURST = 20;
  /** The username prefix of webhook senders: a colon no registered username may contain. */
  static final String USERNAME_PREFIX = "webhook:";
  private static final String COLUMNS = "id, conversation_id, creator_id, sender_id, name, created_at";

  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  private final MessageWrites messages;
  private final RateLimits posts = new RateLimits(POSTS_PER_MINUTE, POST_BURST);

  Webhooks(StoreState state, WriteQueue writes, Pool reader, MessageWrites messages) {
    this.state = state;
    this.writes = writes;
    this.reader = reader;
    this.messages = messages;
  }

  static boolean isSender(StoreState.User u) {
    return u.bot && u.username.startsWith(USERNAME_PREFIX);
  }

  /** In a group its owner and admins; in a direct conversation either member. */
  private static boolean manages(StoreState.Conversation c, String userId) {
    if (!c.isGroup()) {
      return c.roles.containsKey(userId);
    }
    String role = c.roles.get(userId);
    return "owner".equals(role) || "admin".equals(role);
  }

  /** {@code store.webhook.create}: the api checked the name; the avatar must be the creator's own image. */
  Future<BotCommands.WebhookReply> create(BotCommands.CreateWebhook cmd) {
    String userId = cmd.userId();
    String name = cmd.name();
    String avatar = cmd.avatarMediaId();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      if (!manages(c, userId)) {
        return Future.failedFuture(Failure.forbidden("only a group's owner or admins may add webhooks"));
      }
      return tx.conn.preparedQuery("SELECT COUNT(*) AS n, COUNT(secret_hash) AS live FROM webhooks WHERE conversation_id = ?")
          .execute(Tuple.of(c.id))
          .compose(rows -> {
            Row counts = rows.iterator().next();
            if (counts.getLong("live") >= MAX_LIVE_PER_CONVERSATION) {
              return Future.failedFuture(Failure.conflict("a conversation has at most " + MAX_LIVE_PER_CONVERSATION
                  + " webhooks; revoke one first"));
            }
            if (counts.getLong("n") >= MAX_EVER_PER_CONVERSATION) {
              return Future.failedFuture(Failure.conflict("a conversation may have at most " + MAX_EVER_PER_CONVERSATION
                  + " webhooks, revoked ones included"));
            }
            return MediaRecords.ownImage(tx, userId, avatar);
          })
          .compose(ok -> {
            String id = Ids.next("w");
            StoreState.User sender = new StoreState.User();
            sender.id = Ids.next("u");
            sender.username = USERNAME_PREFIX + id;
            sender.displayName = name;
            sender.avatarMediaId = avatar;
            sender.bot = true;
            sender.readReceipts = false;
            sender.createdAt = WireViews.now();
            return tx.conn.preparedQuery("INSERT INTO users (id, username, display_name, password_hash, bot, avatar_media_id,"
                    + " read_receipts, created_at) VALUES (?, ?, ?, NULL, 1, ?, 0, ?)")
                .execute(Tuple.of(sender.id, sender.username, sender.displayName, avatar, sender.createdAt))
                .compose(v -> tx.conn.preparedQuery("INSERT INTO webhooks (id, conversation_id, creator_id, sender_id, name,"
                        + " secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .execute(Tuple.of(id, c.id, userId, sender.id, name, cmd.secretHash(), sender.createdAt)))
                .map(v -> {
                  state.putUser(sender);
                  return new BotCommands.WebhookReply(json(id, c.id, userId, sender.id, name, sender.createdAt));
                });
          });
    });
  }

  /** {@code store.webhook.list}: the live webhooks of a conversation, oldest first, for every member. */
  Future<BotCommands.WebhookList> list(ConversationCommands.Scoped cmd) {
    StoreState.Conversation c = state.membership(cmd.conversationId(), cmd.userId());
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE conversation_id = ? AND secret_hash IS NOT NULL"
            + " ORDER BY created_at, id")
        .execute(Tuple.of(c.id))
        .map(rows -> {
          JsonArray hooks = new JsonArray();
          rows.forEach(row -> hooks.add(json(row)));
          return new BotCommands.WebhookList(hooks);
        });
  }

  /**
   * {@code store.webhook.revoke}: its creator, a group's owner or admins, either member of a direct
   * conversation. 404 for non-members, unknown and already revoked webhooks.
   */
  Future<BusBody.Empty> revoke(BotCommands.RevokeWebhook cmd) {
    String userId = cmd.userId();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      return tx.conn.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ? AND conversation_id = ?"
              + " AND secret_hash IS NOT NULL")
          .execute(Tuple.of(cmd.webhookId(), c.id))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.failedFuture(Failure.notFound("webhook"));
            }
            Row row = rows.iterator().next();
            if (!userId.equals(row.getString("creator_id")) && !manages(c, userId)) {
              return Future.failedFuture(Failure.forbidden("only the webhook's creator or a group owner/admin may revoke it"));
            }
            return tx.conn.preparedQuery("UPDATE webhooks SET secret_hash = NULL, revoked_at = ? WHERE id = ?")
                .execute(Tuple.of(WireViews.now(), row.getString("id")))
                .map(v -> BusBody.Empty.INSTANCE);
          });
    });
  }

  /**
   * {@code store.webhook.post}: the api checked and rendered the text. 404 for an unknown or revoked
   * secret, or a creator who left; 429 past the webhook's limit; then the ordinary send, idempotent
   * by (the webhook's sender, clientId).
   */
  Future<MessageCommands.Sent> post(BotCommands.PostToWebhook cmd) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE secret_hash = ?")
        .execute(Tuple.of(cmd.secretHash()))
        .compose(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          if (row == null || state.membership(row.getString("conversation_id"), row.getString("creator_id")) == null) {
            return Future.failedFuture(Failure.notFound("webhook"));
          }
          String id = row.getString("id");
          long wait = posts.tryTake(id);
          if (wait > 0) {
            return Future.failedFuture(Failure.rateLimited("posts to this webhook", wait));
          }
          String shown = cmd.username();
          JsonObject via = new JsonObject().put("webhook", id).put("name", shown != null ? shown : row.getString("name"));
          SendRequest text = new SendRequest(row.getString("conversation_id"), cmd.clientId(), "text",
              cmd.text(), null, null, List.of());
          return messages.sendVia(MessageCommands.Send.of(row.getString("sender_id"), text), via);
        });
  }

  private JsonObject json(Row row) {
    return json(row.getString("id"), row.getString("conversation_id"), row.getString("creator_id"),
        row.getString("sender_id"), row.getString("name"), row.getString("created_at"));
  }

  private JsonObject json(String id, String conversationId, String creatorId, String senderId, String name, String createdAt) {
    JsonObject hook = new JsonObject().put("id", id).put("conversationId", conversationId).put("name", name)
        .put("senderId", senderId).put("creatorId", creatorId).put("createdAt", createdAt);
    StoreState.User sender = state.users.get(senderId);
    if (sender != null && sender.avatarMediaId != null) {
      hook.put("avatarMediaId", sender.avatarMediaId);
    }
    return hook;
  }
}
