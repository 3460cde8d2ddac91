package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the single writer knows by heart: users, conversations with their members and last seq,
 * and the server-wide event counter. Only the store verticle touches it, on its own event loop,
 * and only the writer changes it, so it is always at least as new as the database. If a batch
 * rolls back, {@link #load} reads it all again. A small team's whole membership fits in memory.
 */
final class StoreState {
  static final class User {
    String id;
    String username;
    String displayName;
    String avatarMediaId;
    boolean bot;
    boolean readReceipts;
    String createdAt;
    String lastSeenAt;
    /** Made an admin by the first registration or by another admin ({@code auth.admins} adds more, see {@link Administration}). */
    boolean admin;
    /** When an admin disabled the account; null while it may sign in. */
    String disabledAt;

    boolean disabled() {
      return disabledAt != null;
    }
  }

  /** A member's delivery and read pointers (seqs); read never passes delivered. */
  static final class Pointers {
    long delivered;
    long read;

    Pointers(long delivered, long read) {
      this.delivered = delivered;
      this.read = read;
    }
  }

  static final class Conversation {
    String id;
    String type;
    String title;
    String createdAt;
    long lastSeq;
    /** Its own retention in days (0: forever); null: the server's default ({@link Retention}). */
    Integer retentionDays;
    /** Join order is kept: the first 20 members are the ones a conversation shows. */
    final Map<String, String> roles = new LinkedHashMap<>();
    /**
     * Each member's pointers, so a receipt that moves nothing costs no write and no event (see
     * Receipts). A new member's start at the current end, as their row does.
     */
    final Map<String, Pointers> pointers = new HashMap<>();
    /** Members who muted the conversation: never notified of it. */
    final Set<String> muted = new HashSet<>();
    /** A group member's notification level where it is not the default ({@code mentions}). */
    final Map<String, String> notifyLevels = new HashMap<>();

    boolean isGroup() {
      return "group".equals(type);
    }

    /**
     * Whether a member wants to be told of a message here: never when muted; in a direct
     * conversation always; in a group by their level (every message, mentions of them, nothing).
     */
    boolean notifies(String userId, boolean mentioned) {
      if (muted.contains(userId)) {
        return false;
      }
      if (!isGroup()) {
        return true;
      }
      return switch (notifyLevels.getOrDefault(userId, Conversations.NOTIFY_DEFAULT)) {
        case Conversations.NOTIFY_ALL -> true;
        case Conversations.NOTIFY_NOTHING -> false;
        default -> mentioned;
      };
    }
  }

  final Map<String, User> users = new HashMap<>();
  final Map<String, User> usersByName = new HashMap<>();
  final Map<String, Conversation> conversations = new HashMap<>();
  final Map<String, Set<String>> conversationsOfUser = new HashMap<>();
  long lastEventId;
  /** Live bot tokens: SHA-256 of the token → the bot's user id. A revoked token is not here. */
  final Map<String, String> botTokens = new HashMap<>();
  /** Every bot, revoked ones included → the user who made it. */
  final Map<String, String> botOwners = new HashMap<>();
  /** Every bot → the newest event id it acknowledged ({@code chat.ack}): where {@code resume: server} starts. */
  final Map<String, Long> botCursors = new HashMap<>();
  /** Usernames that {@code auth.admins} makes admins, whatever their row says. */
  Set<String> configuredAdmins = Set.of();
  /** The newest audit-log entry's id: the store hands out the next. */
  long lastAuditId;
  /** Settings an admin changed at run time ({@code server_settings}), by name. */
  final Map<String, String> settings = new HashMap<>();
  /** Every (sender, clientId) stored, as a Bloom filter; built once, only ever added to. */
  ClientIdFilter clientIds;

  /**
   * Reads everything again. All queries run first and the maps are replaced in one synchronous
   * step at the end, so a handler that runs meanwhile on the store's loop sees the old state
   * whole, never a half-filled one.
   */
  Future<Void> load(SqlClient db, Dialect sql) {
    Future<RowSet<Row>> userRows = db.query("SELECT id, username, display_name, avatar_media_id, bot, read_receipts,"
        + " created_at, last_seen_at, admin, disabled_at FROM users").execute();
    Future<RowSet<Row>> settingRows = db.query("SELECT name, value FROM server_settings").execute();
    Future<RowSet<Row>> auditRows = db.query("SELECT COALESCE(MAX(id), 0) AS last FROM audit_log").execute();
    Future<RowSet<Row>> botRows = db.query("SELECT user_id, owner_id, token_hash, acked_event_id FROM bots").execute();
    // Retention may have deleted a conversation's newest messages too (all of them expired): its
    // seq goes on from the highest one deleted (expired_seq), never back.
    Future<RowSet<Row>> conversationRows = db.query("SELECT c.id, c.type, c.title, c.created_at, c.retention_days,"
        + " " + sql.greatest("COALESCE((SELECT MAX(m.seq) FROM messages m WHERE m.conversation_id = c.id), 0)", "c.expired_seq")
        + " AS last_seq FROM conversations c").execute();
    Future<RowSet<Row>> memberRows = db.query("SELECT conversation_id, user_id, role, delivered_seq, last_read_seq,"
        + " muted, notify FROM members ORDER BY joined_seq, joined_at").execute();
    // The counter also numbers join order and conversation activity: resume past all of them, and
    // past the events of messages that retention deleted (expired_event_id).
    Future<RowSet<Row>> lastRows = db.query("SELECT " + sql.greatest(
        sql.greatest("COALESCE((SELECT MAX(event_id) FROM messages), 0)", "COALESCE((SELECT MAX(joined_seq) FROM members), 0)"),
        sql.greatest("COALESCE((SELECT MAX(activity_id) FROM conversations), 0)",
            "COALESCE((SELECT MAX(expired_event_id) FROM conversations), 0)")) + " AS last").execute();
    return Future.all(List.of(userRows, botRows, conversationRows, memberRows, lastRows, settingRows, auditRows)).compose(all -> {
      users.clear();
      usersByName.clear();
      conversations.clear();
      conversationsOfUser.clear();
      botTokens.clear();
      botOwners.clear();
      botCursors.clear();
      settings.clear();
      userRows.result().forEach(this::putUser);
      settingRows.result().forEach(row -> settings.put(row.getString("name"), row.getString("value")));
      lastAuditId = auditRows.result().iterator().next().getLong("last");
      for (Row row : botRows.result()) {
        putBot(row.getString("user_id"), row.getString("owner_id"), row.getString("token_hash"));
        botCursors.put(row.getString("user_id"), row.getLong("acked_event_id"));
      }
      for (Row row : conversationRows.result()) {
        Conversation c = new Conversation();
        c.id = row.getString("id");
        c.type = row.getString("type");
        c.title = row.getString("title");
        c.createdAt = row.getString("created_at");
        c.lastSeq = row.getLong("last_seq");
        c.retentionDays = row.getInteger("retention_days");
        conversations.put(c.id, c);
      }
      for (Row row : memberRows.result()) {
        Conversation c = conversations.get(row.getString("conversation_id"));
        String userId = row.getString("user_id");
        addMember(c, userId, row.getString("role"));
        c.pointers.put(userId, new Pointers(row.getLong("delivered_seq"), row.getLong("last_read_seq")));
        if (row.getInteger("muted") == 1) {
          c.muted.add(userId);
        }
        if (!Conversations.NOTIFY_DEFAULT.equals(row.getString("notify"))) {
          c.notifyLevels.put(userId, row.getString("notify"));
        }
      }
      lastEventId = lastRows.result().iterator().next().getLong("last");
      return clientIds != null ? Future.succeededFuture() : loadClientIds(db);
    });
  }

  private Future<Void> loadClientIds(SqlClient db) {
    return db.query("SELECT sender_id, client_id FROM messages WHERE client_id IS NOT NULL").execute().map(rows -> {
      clientIds = new ClientIdFilter(rows.size());
      rows.forEach(row -> clientIds.add(row.getString("sender_id"), row.getString("client_id")));
      return null;
    });
  }

  private void putUser(Row row) {
    User u = new User();
    u.id = row.getString("id");
    u.username = row.getString("username");
    u.displayName = row.getString("display_name");
    u.avatarMediaId = row.getString("avatar_media_id");
    u.bot = row.getInteger("bot") == 1;
    u.readReceipts = row.getInteger("read_receipts") == 1;
    u.createdAt = row.getString("created_at");
    u.lastSeenAt = row.getString("last_seen_at");
    u.admin = row.getInteger("admin") == 1;
    u.disabledAt = row.getString("disabled_at");
    putUser(u);
  }

  void putUser(User u) {
    users.put(u.id, u);
    usersByName.put(u.username, u);
  }

  void putBot(String userId, String ownerId, String tokenHash) {
    botOwners.put(userId, ownerId);
    if (tokenHash != null) {
      botTokens.put(tokenHash, userId);
    }
  }

  /** An admin: made one (the first registration, another admin) or named in {@code auth.admins}; never a bot. */
  boolean isAdmin(User u) {
    return !u.bot && (u.admin || configuredAdmins.contains(u.username));
  }

  long nextEventId() {
    return ++lastEventId;
  }

  void addMember(Conversation c, String userId, String role) {
    c.roles.put(userId, role);
    c.pointers.put(userId, new Pointers(c.lastSeq, c.lastSeq));
    conversationsOfUser.computeIfAbsent(userId, k -> new HashSet<>()).add(c.id);
  }

  void removeMember(Conversation c, String userId) {
    c.roles.remove(userId);
    c.pointers.remove(userId);
    c.muted.remove(userId);
    c.notifyLevels.remove(userId);
    Set<String> mine = conversationsOfUser.get(userId);
    if (mine != null) {
      mine.remove(c.id);
    }
  }

  /** The conversation if {@code userId} is a member; otherwise null (callers answer 404). */
  Conversation membership(String conversationId, String userId) {
    Conversation c = conversationId == null ? null : conversations.get(conversationId);
    return c != null && c.roles.containsKey(userId) ? c : null;
  }

  Collection<String> memberIds(Conversation c) {
    return c.roles.keySet();
  }

  /** Everyone who shares at least one conversation with {@code userId} (not the user). */
  Set<String> contacts(String userId) {
    Set<String> contacts = new HashSet<>();
    for (String conversationId : conversationsOfUser.getOrDefault(userId, Set.of())) {
      contacts.addAll(conversations.get(conversationId).roles.keySet());
    }
    contacts.remove(userId);
    return contacts;
  }

  boolean sharesConversation(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    Set<String> mine = conversationsOfUser.getOrDefault(a, Set.of());
    for (String conversationId : conversationsOfUser.getOrDefault(b, Set.of())) {
      if (mine.contains(conversationId)) {
        return true;
      }
    }
    return false;
  }

  List<String> firstMembers(Conversation c, int max) {
    List<String> ids = new ArrayList<>(Math.min(max, c.roles.size()));
    for (String id : c.roles.keySet()) {
      if (ids.size() == max) {
        break;
      }
      ids.add(id);
    }
    return ids;
  }
}
