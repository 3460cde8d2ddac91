package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.AdminCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Events;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.MediaCommands;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's admins and what only they may do ({@code store.admin.*}): list and disable
 * accounts, make and drop admins, hand out password-reset links and invitations, set how people
 * register, revoke anyone's bots and shares, back up, read the audit log. Every command names its
 * {@code adminId} (see {@link AdminCommands}); the store, which knows who is an admin, checks it here and nowhere else, and
 * writes each change to {@code audit_log} in the same transaction as the change itself.
 */
final class Administration {
  private static final Logger log = LoggerFactory.getLogger(Administration.class);
  static final String DISABLED = "this account is disabled";
  static final String REGISTRATION = "registration";

  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  private final Dialect sql;
  private final EventBus bus;
  private final Tokens tokens;
  private final PushSubscriptions pushSubscriptions;
  private final Bots bots;
  private final Shares shares;
  /** Null on PostgreSQL, which is backed up with its own tools. */
  private final BackupSchedule backups;
  private final String nodeId;
  private final String database;
  private final String configuredRegistration;

  Administration(StoreState state, WriteQueue writes, Pool reader, Dialect sql, EventBus bus, Tokens tokens,
                 PushSubscriptions pushSubscriptions, Bots bots, Shares shares, BackupSchedule backups, ParleyConfig config,
                 String database) {
    this.state = state;
    this.writes = writes;
    this.reader = reader;
    this.sql = sql;
    this.bus = bus;
    this.tokens = tokens;
    this.pushSubscriptions = pushSubscriptions;
    this.bots = bots;
    this.shares = shares;
    this.backups = backups;
    this.nodeId = config.nodeId();
    this.database = database;
    this.configuredRegistration = config.auth().registration();
    state.configuredAdmins = Set.copyOf(config.auth().admins());
    for (String name : state.configuredAdmins) {
      if (!state.usersByName.containsKey(name)) {
        // Whoever registers this name first becomes an admin: name accounts that exist (docs/admin.md).
        log.warn("auth.admins names {}, which no account has yet: whoever registers it first will be an admin", name);
      }
    }
  }

  /** {@code open}, {@code closed} or {@code invite}: an admin's setting, else the configuration's. */
  String registration() {
    return state.settings.getOrDefault(REGISTRATION, configuredRegistration);
  }

  /**
   * Who may register right now, as a sign-up form should ask: {@code open} on a fresh server, whose
   * first person always may (and becomes its admin), whatever the mode; else {@link #registration()}.
   */
  String registrationNow() {
    return noPersonYet() ? "open" : registration();
  }

  private boolean noPersonYet() {
    return state.users.values().stream().allMatch(u -> u.bot);
  }

  // ---- Accounts --------------------------------------------------------------------------------

  Future<AdminCommands.AccountsPage> users(AdminCommands.ListUsers cmd) {
    return admin(cmd.adminId()).map(admin -> {
      Users.Page page = Users.find(state, cmd.q(), cmd.cursor(), cmd.limit());
      JsonArray users = new JsonArray();
      page.users().forEach(u -> users.add(adminView(u)));
      return new AdminCommands.AccountsPage(users, page.nextCursor());
    });
  }

  /** {@code store.admin.user.disable}: disabling ends every sign-in and, after commit, every connection of the account. */
  Future<AdminCommands.AccountReply> setDisabled(AdminCommands.SetDisabled cmd) {
    boolean disable = cmd.disabled();
    return audited(cmd.acting(), disable ? "user.disable" : "user.enable", (tx, admin) -> {
      StoreState.User user = target(cmd.userId());
      if (disable && user.id.equals(admin.id)) {
        return Failure.future(ErrorCode.CONFLICT, "you cannot disable yourself");
      }
      if (disable && state.isAdmin(user) && enabledAdmins() <= 1) {
        return Failure.future(ErrorCode.CONFLICT, "the last admin cannot be disabled");
      }
      if (disable == user.disabled()) {
        return Future.succeededFuture(new Change<>(new AdminCommands.AccountReply(adminView(user)), null));
      }
      String at = disable ? WireViews.now() : null;
      return tx.conn.preparedQuery("UPDATE users SET disabled_at = ? WHERE id = ?").execute(Tuple.of(at, user.id))
          .compose(v -> disable ? tokens.revokeAll(tx, user.id, null).compose(revoked -> pushSubscriptions.forgetAll(tx, user.id))
              : Future.succeededFuture())
          .map(v -> {
            user.disabledAt = at;
            tx.afterCommit(() -> Bus.publish(bus, Address.USER_DISABLED, new Events.UserDisabled(user.id, disable)));
            return new Change<>(new AdminCommands.AccountReply(adminView(user)), Target.user(user));
          });
    });
  }

  /** {@code store.admin.user.admin}: makes or drops an admin; never the last one, never one the configuration names. */
  Future<AdminCommands.AccountReply> setAdmin(AdminCommands.SetAdmin cmd) {
    boolean grant = cmd.admin();
    return audited(cmd.acting(), grant ? "user.admin_grant" : "user.admin_drop", (tx, admin) -> {
      StoreState.User user = target(cmd.userId());
      if (user.bot) {
        return Future.failedFuture(Failure.invalid("admin", "a bot cannot be an admin"));
      }
      if (!grant && user.id.equals(admin.id)) {
        return Failure.future(ErrorCode.CONFLICT, "you cannot drop your own admin rights; ask another admin");
      }
      if (!grant && state.configuredAdmins.contains(user.username)) {
        return Failure.future(ErrorCode.CONFLICT, "this admin is named in the configuration (auth.admins)");
      }
      if (!grant && state.isAdmin(user) && !user.disabled() && enabledAdmins() <= 1) {
        return Failure.future(ErrorCode.CONFLICT, "the last admin cannot be dropped");
      }
      if (grant == user.admin) {
        return Future.succeededFuture(new Change<>(new AdminCommands.AccountReply(adminView(user)), null));
      }
      return tx.conn.preparedQuery("UPDATE users SET admin = ? WHERE id = ?").execute(Tuple.of(grant ? 1 : 0, user.id))
          .map(v -> {
            user.admin = grant;
            return new Change<>(new AdminCommands.AccountReply(adminView(user)), Target.user(user));
          });
    });
  }

  /** {@code store.admin.user.password-reset}: a one-time link to choose a new password; earlier unused ones stop working. */
  Future<AdminCommands.ResetIssued> passwordReset(AdminCommands.IssueReset cmd) {
    return audited(cmd.acting(), "user.password_reset", (tx, admin) -> {
      StoreState.User user = target(cmd.userId());
      if (user.bot) {
        return Future.failedFuture(Failure.invalid("userId", "a bot has no password"));
      }
      String expiresAt = cmd.expiresAt();
      return tx.conn.preparedQuery("UPDATE password_resets SET used = 1 WHERE user_id = ? AND used = 0").execute(Tuple.of(user.id))
          .compose(v -> tx.conn.preparedQuery("INSERT INTO password_resets (token_hash, user_id, created_by, expires_at)"
              + " VALUES (?, ?, ?, ?)").execute(Tuple.of(cmd.tokenHash(), user.id, admin.id, expiresAt)))
          .map(v -> new Change<>(new AdminCommands.ResetIssued(expiresAt), Target.user(user)));
    });
  }

  /**
   * {@code store.password.reset}, from the person holding a link (its token's hash) with a new password.
   * Sets the password, uses the link up and ends every sign-in of the account.
   */
  Future<BusBody.Empty> usePasswordReset(AdminCommands.ResetPassword cmd) {
    return writes.submit(tx -> tx.conn.preparedQuery("SELECT user_id, expires_at, used FROM password_resets WHERE token_hash = ?")
        .execute(Tuple.of(cmd.tokenHash()))
        .compose(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          StoreState.User user = row == null ? null : state.users.get(row.getString("user_id"));
          if (user == null || row.getInteger("used") == 1 || Instant.parse(row.getString("expires_at")).isBefore(Instant.now())) {
            return Future.failedFuture(Failure.invalid("token", "this link is not valid any more"));
          }
          if (user.disabled()) {
            return Failure.future(ErrorCode.FORBIDDEN, DISABLED);
          }
          return tx.conn.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ?")
              .execute(Tuple.of(cmd.passwordHash(), user.id))
              .compose(v -> tx.conn.preparedQuery("UPDATE password_resets SET used = 1 WHERE token_hash = ?")
                  .execute(Tuple.of(cmd.tokenHash())))
              .compose(v -> tokens.revokeAll(tx, user.id, null))
              .map(v -> BusBody.Empty.INSTANCE);
        }));
  }

  // ---- Registration ------------------------------------------------------------------------------

  Future<AdminCommands.Settings> settings(AdminCommands.Asking cmd) {
    return admin(cmd.adminId()).map(admin -> new AdminCommands.Settings(registration()));
  }

  Future<AdminCommands.Settings> updateSettings(AdminCommands.UpdateSettings cmd) {
    String registration = cmd.registration();
    return audited(cmd.acting(), "settings.update", (tx, admin) -> tx.conn.preparedQuery(
            "INSERT INTO server_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .execute(Tuple.of(REGISTRATION, registration))
        .map(v -> {
          state.settings.put(REGISTRATION, registration);
          return new Change<>(new AdminCommands.Settings(registration), new Target("settings", REGISTRATION),
              new JsonObject().put(REGISTRATION, registration));
        }));
  }

  /** {@code store.admin.invitation.create}: the invitation (its code was made, and is shown, by the api). */
  Future<AdminCommands.InvitationReply> createInvitation(AdminCommands.CreateInvitation cmd) {
    return audited(cmd.acting(), "invitation.create", (tx, admin) -> {
      JsonObject invitation = new JsonObject().put("id", Ids.next("i")).put("createdBy", admin.id)
          .put("createdAt", WireViews.now()).put("expiresAt", cmd.expiresAt())
          .put("maxUses", cmd.maxUses()).put("uses", 0);
      return tx.conn.preparedQuery("INSERT INTO invitations (id, code_hash, created_by, created_at, expires_at, max_uses)"
              + " VALUES (?, ?, ?, ?, ?, ?)")
          .execute(Tuple.of(invitation.getString("id"), cmd.codeHash(), admin.id, invitation.getString("createdAt"),
              invitation.getString("expiresAt"), invitation.getInteger("maxUses")))
          .map(v -> new Change<>(new AdminCommands.InvitationReply(invitation),
              new Target("invitation", invitation.getString("id")),
              new JsonObject().put("maxUses", invitation.getInteger("maxUses")).put("expiresAt", invitation.getString("expiresAt"))));
    });
  }

  /** The live invitations (not revoked, not expired, not used up), newest first. */
  Future<AdminCommands.Invitations> invitations(AdminCommands.Asking cmd) {
    return admin(cmd.adminId()).compose(admin -> reader.preparedQuery("SELECT id, created_by, created_at, expires_at,"
            + " max_uses, uses FROM invitations WHERE revoked = 0 AND uses < max_uses AND expires_at > ?"
            + " ORDER BY created_at DESC, id")
        .execute(Tuple.of(WireViews.now()))
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (Row row : rows) {
            list.add(new JsonObject().put("id", row.getString("id")).put("createdBy", row.getString("created_by"))
                .put("createdAt", row.getString("created_at")).put("expiresAt", row.getString("expires_at"))
                .put("maxUses", row.getInteger("max_uses")).put("uses", row.getInteger("uses")));
          }
          return new AdminCommands.Invitations(list);
        }));
  }

  Future<BusBody.Empty> revokeInvitation(AdminCommands.RevokeInvitation cmd) {
    String id = cmd.invitationId();
    return audited(cmd.acting(), "invitation.revoke", (tx, admin) -> tx.conn.preparedQuery(
            "UPDATE invitations SET revoked = 1 WHERE id = ? AND revoked = 0").execute(Tuple.of(id))
        .compose(rows -> rows.rowCount() == 0
            ? Future.failedFuture(Failure.notFound("invitation"))
            : Future.succeededFuture(new Change<>(BusBody.Empty.INSTANCE, new Target("invitation", id)))));
  }

  /**
   * Whether {@code username} may register now, and if by an invitation, uses it once: in the
   * registration's own transaction. The first person of a fresh server always may, and is made admin.
   */
  Future<Void> admitRegistration(WriteQueue.Tx tx, String inviteCodeHash) {
    if (noPersonYet()) {
      return Future.succeededFuture();
    }
    return switch (registration()) {
      case "closed" -> Failure.future(ErrorCode.FORBIDDEN, "registration is closed");
      case "invite" -> inviteCodeHash == null
          ? Failure.future(ErrorCode.FORBIDDEN, "an invitation is needed")
          : tx.conn.preparedQuery("UPDATE invitations SET uses = uses + 1 WHERE code_hash = ? AND revoked = 0"
                  + " AND uses < max_uses AND expires_at > ?")
              .execute(Tuple.of(inviteCodeHash, WireViews.now()))
              .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
                  : Failure.future(ErrorCode.FORBIDDEN, "this invitation is not valid any more"));
      default -> Future.succeededFuture();
    };
  }

  // ---- Conversations ---------------------------------------------------------------------------

  /**
   * {@code store.admin.conversations}: every conversation of the server by the name it shows (a
   * group's title, a direct conversation's two members), with what an admin needs to find one and
   * export it; never its messages. {@code q} matches a prefix of that name or of a member's username.
   */
  Future<AdminCommands.ConversationsPage> conversations(AdminCommands.ListConversations cmd) {
    return admin(cmd.adminId()).map(admin -> {
      String q = cmd.q() == null ? "" : cmd.q().toLowerCase(Locale.ROOT);
      String after = cmd.cursor() == null ? "" : cmd.cursor();
      int limit = cmd.limit();
      // Names and keys only, then views for the one page: this runs on the store's loop, beside the sends.
      List<Map.Entry<String, StoreState.Conversation>> found = state.conversations.values().stream()
          .filter(c -> q.isEmpty() || name(c).toLowerCase(Locale.ROOT).startsWith(q)
              || c.roles.keySet().stream().anyMatch(id -> state.users.get(id).username.startsWith(q)))
          .map(c -> Map.entry(sortKey(c), c))
          .filter(e -> e.getKey().compareTo(after) > 0)
          .sorted(Map.Entry.comparingByKey())
          .limit(limit + 1L)
          .toList();
      JsonArray conversations = new JsonArray();
      found.stream().limit(limit).forEach(e -> conversations.add(adminView(e.getValue())));
      return new AdminCommands.ConversationsPage(conversations, found.size() > limit ? found.get(limit - 1).getKey() : null);
    });
  }

  private String sortKey(StoreState.Conversation c) {
    return name(c).toLowerCase(Locale.ROOT) + "\u0000" + c.id;
  }

  /** A group's title; a direct conversation's two members' display names. */
  private String name(StoreState.Conversation c) {
    return c.isGroup() ? c.title : String.join(" & ", c.roles.keySet().stream().map(id -> state.users.get(id).displayName).toList());
  }

  private JsonObject adminView(StoreState.Conversation c) {
    JsonArray members = new JsonArray();
    state.firstMembers(c, 5).forEach(id -> {
      StoreState.User u = state.users.get(id);
      members.add(new JsonObject().put("id", id).put("username", u.username).put("displayName", u.displayName));
    });
    return new JsonObject().put("id", c.id).put("type", c.type).put("name", name(c)).put("memberCount", c.roles.size())
        .put("members", members).put("lastSeq", c.lastSeq).put("createdAt", c.createdAt);
  }

  // ---- Bots, shares, the store -------------------------------------------------------------------

  Future<AdminCommands.Bots> bots(AdminCommands.Asking cmd) {
    return admin(cmd.adminId()).map(admin -> {
      List<StoreState.User> all = state.botOwners.keySet().stream().map(state.users::get).filter(bot -> bot != null)
          .sorted(Comparator.comparing(bot -> bot.username)).toList();
      Set<String> withToken = new HashSet<>(state.botTokens.values());
      JsonArray list = new JsonArray();
      for (StoreState.User bot : all) {
        StoreState.User owner = state.users.get(state.botOwners.get(bot.id));
        list.add(new JsonObject().put("id", bot.id).put("username", bot.username).put("displayName", bot.displayName)
            .put("createdAt", bot.createdAt)
            .put("owner", owner == null ? null : new JsonObject().put("id", owner.id).put("username", owner.username)
                .put("displayName", owner.displayName))
            .put("revoked", !withToken.contains(bot.id)).put("disabled", bot.disabled()));
      }
      return new AdminCommands.Bots(list);
    });
  }

  Future<BusBody.Empty> revokeBot(AdminCommands.RevokeBot cmd) {
    String botId = cmd.botId();
    return audited(cmd.acting(), "bot.revoke", (tx, admin) -> !state.botOwners.containsKey(botId)
        ? Future.failedFuture(Failure.notFound("bot"))
        : bots.revokeToken(tx, botId).map(revoked -> new Change<>(BusBody.Empty.INSTANCE,
            revoked ? new Target("bot", botId) : null,
            new JsonObject().put("owner", state.botOwners.get(botId)))));
  }

  Future<MediaCommands.SharesPage> shares(AdminCommands.ListShares cmd) {
    Long cursor = cmd.cursor() == null ? null : Long.valueOf(cmd.cursor());
    return admin(cmd.adminId()).compose(admin -> shares.listAll(cmd.limit(), cursor));
  }

  Future<BusBody.Empty> revokeShare(AdminCommands.RevokeShare cmd) {
    String shareId = cmd.shareId();
    return audited(cmd.acting(), "share.revoke", (tx, admin) -> shares.revokeAny(tx, shareId).compose(revoked -> revoked
        ? Future.succeededFuture(new Change<>(BusBody.Empty.INSTANCE, new Target("share", shareId)))
        : Future.failedFuture(Failure.notFound("share"))));
  }

  /** Which node serves the store, on what, how big, and its last backup. */
  Future<AdminCommands.StoreStatus> storeStatus(AdminCommands.Asking cmd) {
    return admin(cmd.adminId()).compose(admin -> reader.query(sql.databaseSize()).execute())
        .map(rows -> new AdminCommands.StoreStatus(new JsonObject().put("node", nodeId).put("database", database)
            .put("sizeBytes", rows.iterator().next().getLong("size"))
            .put("lastBackup", backups != null ? backups.health() : BackupSchedule.unknown())));
  }

  /** A backup now (SQLite). Audited once it is taken: a backup changes no row, so the entry is its own write. */
  Future<AdminCommands.BackupReply> backup(AdminCommands.Acting cmd) {
    return admin(cmd.adminId()).compose(admin -> {
      if (backups == null) {
        return Failure.future(ErrorCode.CONFLICT, "back PostgreSQL up with pg_dump or point-in-time recovery");
      }
      return backups.runNow()
          .recover(cause -> cause instanceof Failure ? Future.failedFuture(cause)
              : Failure.future(ErrorCode.CONFLICT, "the backup could not be taken: " + cause.getMessage()))
          .compose(taken -> {
            JsonObject backup = new JsonObject().put("path", taken.path().toAbsolutePath().toString())
                .put("at", taken.info().getString("time")).put("bytes", taken.bytes()).put("millis", taken.millis());
            return writes.submit(tx -> record(tx, admin, cmd.clientAddress(), "backup.create",
                new Target("backup", taken.path().getFileName().toString()), new JsonObject().put("bytes", taken.bytes())))
                .map(v -> new AdminCommands.BackupReply(backup));
          });
    });
  }

  /**
   * An admin exports a conversation they are not a member of: recorded as {@code conversation.export}
   * (its own write: an export changes nothing).
   */
  Future<Void> recordExport(String adminId, String conversationId, JsonObject range, String clientAddress) {
    return admin(adminId).compose(admin -> writes.submit(tx -> record(tx, admin, clientAddress, "conversation.export",
        new Target("conversation", conversationId), range.copy()))).mapEmpty();
  }

  // ---- The audit log -------------------------------------------------------------------------------

  /** {@code store.admin.audit}: newest first; an action ending in "." is a prefix. */
  Future<AdminCommands.AuditPage> audit(AdminCommands.ListAudit cmd) {
    return admin(cmd.adminId()).compose(admin -> {
      List<Object> params = new ArrayList<>();
      StringBuilder query = new StringBuilder("SELECT id, at, actor_id, action, target_type, target_id, detail, client_address"
          + " FROM audit_log WHERE 1 = 1");
      if (cmd.actor() != null) {
        query.append(" AND actor_id = ?");
        params.add(cmd.actor());
      }
      String action = cmd.action();
      if (action != null && action.endsWith(".")) {
        query.append(" AND action >= ? AND action < ?");
        params.add(action);
        params.add(action.substring(0, action.length() - 1) + "/");
      } else if (action != null) {
        query.append(" AND action = ?");
        params.add(action);
      }
      if (cmd.cursor() != null) {
        query.append(" AND id < ?");
        params.add(Long.valueOf(cmd.cursor()));
      }
      int limit = cmd.limit();
      query.append(" ORDER BY id DESC LIMIT ?");
      params.add(limit + 1);
      return reader.preparedQuery(query.toString()).execute(Tuple.from(params)).map(rows -> {
        JsonArray entries = new JsonArray();
        String next = null;
        for (Row row : rows) {
          if (entries.size() == limit) {
            next = String.valueOf(entries.getJsonObject(limit - 1).getLong("id"));
            break;
          }
          StoreState.User actor = state.users.get(row.getString("actor_id"));
          entries.add(new JsonObject().put("id", row.getLong("id")).put("at", row.getString("at"))
              .put("actor", new JsonObject().put("id", row.getString("actor_id")).put("username", actor == null ? null : actor.username))
              .put("action", row.getString("action"))
              .put("target", row.getString("target_type") == null ? null
                  : new JsonObject().put("type", row.getString("target_type")).put("id", row.getString("target_id")))
              .put("detail", new JsonObject(row.getString("detail")))
              .put("clientAddress", row.getString("client_address")));
        }
        return new AdminCommands.AuditPage(entries, next);
      });
    });
  }

  // ---- Shared steps ------------------------------------------------------------------------------------

  /** What an admin command changed: its reply, and what the audit entry names (null: nothing changed, no entry). */
  private record Change<R>(R reply, Target target, JsonObject detail) {
    Change(R reply, Target target) {
      this(reply, target, new JsonObject());
    }
  }

  private record Target(String type, String id) {
    static Target user(StoreState.User u) {
      return new Target("user", u.id);
    }
  }

  private interface AdminStep<R> {
    Future<Change<R>> run(WriteQueue.Tx tx, StoreState.User admin);
  }

  /** Checks the admin, runs the step in a write transaction and records it there, if it changed something. */
  private <R> Future<R> audited(AdminCommands.Acting acting, String action, AdminStep<R> step) {
    return writes.submit(tx -> admin(acting.adminId())
        .compose(admin -> step.run(tx, admin)
            .compose(change -> change.target() == null ? Future.succeededFuture(change.reply())
                : record(tx, admin, acting.clientAddress(), action, change.target(),
                    change.detail().copy().put("username", usernameOf(change.target()))).map(change.reply()))));
  }

  private String usernameOf(Target target) {
    StoreState.User u = "user".equals(target.type()) || "bot".equals(target.type()) ? state.users.get(target.id()) : null;
    return u == null ? null : u.username;
  }

  private Future<Void> record(WriteQueue.Tx tx, StoreState.User admin, String clientAddress, String action, Target target,
                              JsonObject detail) {
    detail.fieldNames().removeIf(name -> detail.getValue(name) == null);
    return tx.conn.preparedQuery("INSERT INTO audit_log (id, at, actor_id, action, target_type, target_id, detail, client_address)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(++state.lastAuditId, WireViews.now(), admin.id, action, target.type(), target.id(), detail.encode(),
            clientAddress))
        .mapEmpty();
  }

  /** The enabled admin behind {@code adminId}, or 403 for anyone else. */
  private Future<StoreState.User> admin(String adminId) {
    StoreState.User admin = state.users.get(adminId == null ? "" : adminId);
    if (admin == null || admin.bot || admin.disabled() || !state.isAdmin(admin)) {
      return Failure.future(ErrorCode.FORBIDDEN, "administrators only");
    }
    return Future.succeededFuture(admin);
  }

  private StoreState.User target(String userId) {
    StoreState.User user = state.users.get(userId == null ? "" : userId);
    if (user == null || Webhooks.isSender(user)) {
      throw Failure.notFound("user");
    }
    return user;
  }

  private long enabledAdmins() {
    return state.users.values().stream().filter(u -> !u.bot && !u.disabled() && state.isAdmin(u)).count();
  }

  /** An account as the admin page shows it; the api adds {@code devices} and {@code online} from the nodes. */
  JsonObject adminView(StoreState.User u) {
    JsonObject json = new JsonObject().put("id", u.id).put("username", u.username).put("displayName", u.displayName)
        .put("bot", u.bot).put("admin", state.isAdmin(u)).put("disabled", u.disabled()).put("createdAt", u.createdAt);
    if (u.lastSeenAt != null) {
      json.put("lastSeenAt", u.lastSeenAt);
    }
    return json;
  }
}
