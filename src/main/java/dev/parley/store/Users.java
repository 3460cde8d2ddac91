package dev.parley.store;

import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.UserCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Accounts: creation, credentials lookup, profile reads and changes, search by prefix. */
final class Users {
  private final StoreState state;
  private final WireViews views;
  private final WriteQueue writes;
  private final Pool reader;
  private final Administration administration;

  Users(StoreState state, WireViews views, WriteQueue writes, Pool reader, Administration administration) {
    this.state = state;
    this.views = views;
    this.writes = writes;
    this.reader = reader;
    this.administration = administration;
  }

  /**
   * A person registering: refused while registration is closed, or by invitation without a valid
   * one ({@code inviteCodeHash}). The first person of a fresh server becomes its admin.
   */
  Future<UserCommands.UserReply> create(UserCommands.Create cmd) {
    String username = cmd.username();
    return writes.submit(tx -> {
      if (state.usersByName.containsKey(username)) {
        return Future.failedFuture(Failure.conflict("the username is taken"));
      }
      StoreState.User u = new StoreState.User();
      u.id = Ids.next("u");
      u.username = username;
      u.displayName = cmd.displayName();
      u.readReceipts = true;
      u.createdAt = WireViews.now();
      u.admin = state.users.values().stream().allMatch(other -> other.bot);
      return administration.admitRegistration(tx, cmd.inviteCodeHash())
          .compose(admitted -> tx.conn.preparedQuery("INSERT INTO users (id, username, display_name, password_hash, bot,"
                  + " read_receipts, created_at, admin) VALUES (?, ?, ?, ?, 0, 1, ?, ?)")
              .execute(Tuple.of(u.id, u.username, u.displayName, cmd.passwordHash(), u.createdAt, u.admin ? 1 : 0)))
          .map(rows -> {
            state.putUser(u);
            return new UserCommands.UserReply(views.me(u));
          });
    });
  }

  Future<UserCommands.CredentialsReply> credentials(UserCommands.Credentials cmd) {
    StoreState.User u = state.usersByName.get(cmd.username());
    if (u == null || u.bot) {
      return Future.failedFuture(Failure.notFound("user"));
    }
    // The reader sees committed rows only: a registration still being committed is not there yet.
    return reader.preparedQuery("SELECT password_hash FROM users WHERE id = ?").execute(Tuple.of(u.id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failure.notFound("user"))
            : Future.succeededFuture(new UserCommands.CredentialsReply(u.id,
                rows.iterator().next().getString("password_hash"), u.disabled())));
  }

  Future<UserCommands.UserReply> get(UserCommands.Get cmd) {
    StoreState.User u = state.users.get(cmd.userId());
    if (u == null) {
      return Future.failedFuture(Failure.notFound("user"));
    }
    String viewerId = cmd.viewerId();
    return Future.succeededFuture(new UserCommands.UserReply(u.id.equals(viewerId) ? views.me(u) : views.user(u, viewerId)));
  }

  Future<UserCommands.UserReply> update(UserCommands.Update cmd) {
    String userId = cmd.userId();
    return writes.submit(tx -> {
      StoreState.User u = state.users.get(userId);
      if (u == null) {
        return Future.failedFuture(Failure.notFound("user"));
      }
      String displayName = cmd.displayName() == null ? u.displayName : cmd.displayName();
      boolean readReceipts = cmd.readReceipts() == null ? u.readReceipts : cmd.readReceipts();
      String avatar = cmd.changesAvatar() ? cmd.avatarMediaId() : u.avatarMediaId;
      return MediaRecords.ownImage(tx, userId, avatar == null || avatar.equals(u.avatarMediaId) ? null : avatar)
          .compose(ok -> tx.conn.preparedQuery("UPDATE users SET display_name = ?, read_receipts = ?, avatar_media_id = ?"
              + " WHERE id = ?").execute(Tuple.of(displayName, readReceipts ? 1 : 0, avatar, userId)))
          .map(rows -> {
            u.displayName = displayName;
            u.readReceipts = readReceipts;
            u.avatarMediaId = avatar;
            return new UserCommands.UserReply(views.me(u));
          });
    });
  }

  /** One page of a prefix search over accounts, and the cursor of the next page (null at the end). */
  record Page(List<StoreState.User> users, String nextCursor) {
  }

  /**
   * Prefix search over username and display name, ordered by username; the cursor is the last
   * username. Webhook senders are no one to find: not to start a conversation with, not to administer.
   */
  static Page find(StoreState state, String q, String cursor, int limit) {
    String prefix = q == null ? "" : q.toLowerCase(Locale.ROOT);
    String after = cursor == null ? "" : cursor;
    List<StoreState.User> found = state.users.values().stream()
        .filter(u -> u.username.compareTo(after) > 0)
        .filter(u -> !Webhooks.isSender(u))
        .filter(u -> u.username.startsWith(prefix) || u.displayName.toLowerCase(Locale.ROOT).startsWith(prefix))
        .sorted(Comparator.comparing(u -> u.username))
        .limit(limit + 1L)
        .toList();
    return found.size() > limit ? new Page(found.subList(0, limit), found.get(limit - 1).username) : new Page(found, null);
  }

  Future<UserCommands.UsersPage> search(UserCommands.Search cmd) {
    String viewerId = cmd.viewerId();
    Page page = find(state, cmd.q(), cmd.cursor(), cmd.limit());
    JsonArray users = new JsonArray();
    page.users().forEach(u -> users.add(views.user(u, viewerId)));
    return Future.succeededFuture(new UserCommands.UsersPage(users, page.nextCursor()));
  }

  /**
   * Records when a user was last seen (they just went offline). Known at once to readers, who
   * may ask the moment the {@code presence} event reaches them; written to the database next.
   */
  Future<Void> seen(String userId) {
    String at = WireViews.now();
    StoreState.User u = state.users.get(userId);
    if (u != null) {
      u.lastSeenAt = at;
    }
    return writes.submit(tx -> tx.conn.preparedQuery("UPDATE users SET last_seen_at = ? WHERE id = ?")
        .execute(Tuple.of(at, userId))
        .map(v -> {
          // Again once written: a rollback of another job's batch reloads users from the database.
          StoreState.User now = state.users.get(userId);
          if (now != null && (now.lastSeenAt == null || now.lastSeenAt.compareTo(at) < 0)) {
            now.lastSeenAt = at;
          }
          return null;
        }));
  }
}
