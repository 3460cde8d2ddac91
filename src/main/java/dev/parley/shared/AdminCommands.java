package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Server administration and registration on the bus: the bodies and replies of
 * {@code store.admin.*}, {@code store.registration}, {@code store.password.reset} and
 * {@code store.users.disabled} (see {@link Address} for who sends each and who serves it). Every
 * admin command names its {@code adminId}, whom the store checks is an enabled admin; one that
 * changes something carries the whole {@link Acting} for the audit log. Hashes only: reset tokens,
 * invitation codes and passwords never cross the bus.
 */
public final class AdminCommands {
  private AdminCommands() {
  }

  // ---- Who asks --------------------------------------------------------------------------------

  /**
   * The admin making a change and the client address they made it from, for the audit log: the
   * common part of every changing command, and all of {@link Address#ADMIN_BACKUP}'s body.
   */
  public record Acting(String adminId, String clientAddress) implements BusBody {
    public static Acting from(JsonObject json) {
      return new Acting(json.getString("adminId"), json.getString("clientAddress"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId).put("clientAddress", clientAddress);
    }
  }

  /**
   * An admin reading something that needs nothing more: {@link Address#ADMIN_SETTINGS},
   * {@link Address#ADMIN_INVITATIONS}, {@link Address#ADMIN_BOTS}, {@link Address#ADMIN_STORE}.
   */
  public record Asking(String adminId) implements BusBody {
    public static Asking from(JsonObject json) {
      return new Asking(json.getString("adminId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId);
    }
  }

  // ---- Registration and password resets --------------------------------------------------------

  /**
   * {@link Address#REGISTRATION}'s reply: who may register right now, {@code open}, {@code closed}
   * or {@code invite} ({@code open} on a fresh server, whatever the setting).
   */
  public record RegistrationNow(String registration) implements BusBody {
    public static RegistrationNow from(JsonObject json) {
      return new RegistrationNow(json.getString("registration"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("registration", registration);
    }
  }

  /** {@link Address#PASSWORD_RESET}: the holder of a reset link (its token's hash) sets a new password. */
  public record ResetPassword(String tokenHash, String passwordHash) implements BusBody {
    public static ResetPassword from(JsonObject json) {
      return new ResetPassword(json.getString("tokenHash"), json.getString("passwordHash"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("tokenHash", tokenHash).put("passwordHash", passwordHash);
    }
  }

  /** {@link Address#DISABLED_USERS}'s reply: the ids of every disabled account. */
  public record DisabledUsers(List<String> userIds) implements BusBody {
    public static DisabledUsers from(JsonObject json) {
      return new DisabledUsers(json.getJsonArray("userIds").stream().map(String.class::cast).toList());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userIds", new JsonArray(userIds));
    }
  }

  // ---- Accounts --------------------------------------------------------------------------------

  /** {@link Address#ADMIN_USERS}: accounts by a prefix of username or display name, one page at a time. */
  public record ListUsers(String adminId, String q, int limit, String cursor) implements BusBody {
    public static ListUsers from(JsonObject json) {
      return new ListUsers(json.getString("adminId"), json.getString("q"), json.getInteger("limit", 50),
          json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId).put("q", q).put("limit", limit).put("cursor", cursor);
    }
  }

  /**
   * {@code {users, nextCursor}}: one page of accounts as the admin page shows them (docs/api.md,
   * "admin user", without {@code devices} and {@code online}, which the api adds); {@code nextCursor}
   * null on the last.
   */
  public record AccountsPage(JsonArray users, String nextCursor) implements BusBody {
    public static AccountsPage from(JsonObject json) {
      return new AccountsPage(json.getJsonArray("users"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("users", users).put("nextCursor", nextCursor);
    }
  }

  /** {@code {user}}: one account as the admin page shows it (docs/api.md, "admin user"; the api adds its connections). */
  public record AccountReply(JsonObject user) implements BusBody {
    public static AccountReply from(JsonObject json) {
      return new AccountReply(json.getJsonObject("user"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("user", user);
    }
  }

  /** {@link Address#ADMIN_USER_DISABLE}: disables ({@code disabled} true) or enables an account. */
  public record SetDisabled(Acting acting, String userId, boolean disabled) implements BusBody {
    public static SetDisabled from(JsonObject json) {
      return new SetDisabled(Acting.from(json), json.getString("userId"), json.getBoolean("disabled", true));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("userId", userId).put("disabled", disabled);
    }
  }

  /** {@link Address#ADMIN_USER_ADMIN}: makes an account an admin ({@code admin} true) or drops its rights. */
  public record SetAdmin(Acting acting, String userId, boolean admin) implements BusBody {
    public static SetAdmin from(JsonObject json) {
      return new SetAdmin(Acting.from(json), json.getString("userId"), json.getBoolean("admin", false));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("userId", userId).put("admin", admin);
    }
  }

  /**
   * {@link Address#ADMIN_PASSWORD_RESET}: a one-time link for {@code userId} to choose a new
   * password, kept by its token's hash until {@code expiresAt} (ISO instant).
   */
  public record IssueReset(Acting acting, String userId, String tokenHash, String expiresAt) implements BusBody {
    public static IssueReset from(JsonObject json) {
      return new IssueReset(Acting.from(json), json.getString("userId"), json.getString("tokenHash"),
          json.getString("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("userId", userId).put("tokenHash", tokenHash).put("expiresAt", expiresAt);
    }
  }

  /** The reset link is kept: until when it works (ISO instant). */
  public record ResetIssued(String expiresAt) implements BusBody {
    public static ResetIssued from(JsonObject json) {
      return new ResetIssued(json.getString("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("expiresAt", expiresAt);
    }
  }

  // ---- Registration settings and invitations --------------------------------------------------

  /**
   * {@code {registration}}: the server's registration setting, {@code open}, {@code closed} or
   * {@code invite} (docs/api.md, "GET /api/admin/settings"); the reply of {@link Address#ADMIN_SETTINGS} and
   * {@link Address#ADMIN_SETTINGS_UPDATE}.
   */
  public record Settings(String registration) implements BusBody {
    public static Settings from(JsonObject json) {
      return new Settings(json.getString("registration"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("registration", registration);
    }
  }

  /** {@link Address#ADMIN_SETTINGS_UPDATE}: the new registration setting (checked by the api). */
  public record UpdateSettings(Acting acting, String registration) implements BusBody {
    public static UpdateSettings from(JsonObject json) {
      return new UpdateSettings(Acting.from(json), json.getString("registration"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("registration", registration);
    }
  }

  /**
   * {@link Address#ADMIN_INVITATION_CREATE}: an invitation kept by its code's hash, good for
   * {@code maxUses} registrations until {@code expiresAt} (ISO instant).
   */
  public record CreateInvitation(Acting acting, String codeHash, int maxUses, String expiresAt) implements BusBody {
    public static CreateInvitation from(JsonObject json) {
      return new CreateInvitation(Acting.from(json), json.getString("codeHash"), json.getInteger("maxUses"),
          json.getString("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("codeHash", codeHash).put("maxUses", maxUses).put("expiresAt", expiresAt);
    }
  }

  /** {@code {invitation}}: the invitation made (docs/api.md, "invitation"; the api adds code and url). */
  public record InvitationReply(JsonObject invitation) implements BusBody {
    public static InvitationReply from(JsonObject json) {
      return new InvitationReply(json.getJsonObject("invitation"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("invitation", invitation);
    }
  }

  /** {@code {invitations}}: the live invitations (docs/api.md, "invitation"; no codes), newest first. */
  public record Invitations(JsonArray invitations) implements BusBody {
    public static Invitations from(JsonObject json) {
      return new Invitations(json.getJsonArray("invitations"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("invitations", invitations);
    }
  }

  /** {@link Address#ADMIN_INVITATION_REVOKE}: the invitation stops working. */
  public record RevokeInvitation(Acting acting, String invitationId) implements BusBody {
    public static RevokeInvitation from(JsonObject json) {
      return new RevokeInvitation(Acting.from(json), json.getString("invitationId"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("invitationId", invitationId);
    }
  }

  // ---- Conversations, bots and shares ----------------------------------------------------------

  /**
   * {@link Address#ADMIN_CONVERSATIONS}: every conversation whose name, or a member's username,
   * starts with {@code q}, one page at a time.
   */
  public record ListConversations(String adminId, String q, int limit, String cursor) implements BusBody {
    public static ListConversations from(JsonObject json) {
      return new ListConversations(json.getString("adminId"), json.getString("q"), json.getInteger("limit", 50),
          json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId).put("q", q).put("limit", limit).put("cursor", cursor);
    }
  }

  /**
   * {@code {conversations, nextCursor}}: one page of conversations as the admin page lists them
   * (docs/api.md, "GET /api/admin/conversations"), by name; {@code nextCursor} null on the last.
   */
  public record ConversationsPage(JsonArray conversations, String nextCursor) implements BusBody {
    public static ConversationsPage from(JsonObject json) {
      return new ConversationsPage(json.getJsonArray("conversations"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("conversations", conversations).put("nextCursor", nextCursor);
    }
  }

  /** {@code {bots}}: every bot with its owner (docs/api.md, "GET /api/admin/bots"), by username. */
  public record Bots(JsonArray bots) implements BusBody {
    public static Bots from(JsonObject json) {
      return new Bots(json.getJsonArray("bots"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("bots", bots);
    }
  }

  /** {@link Address#ADMIN_BOT_REVOKE}: anyone's bot loses its token. */
  public record RevokeBot(Acting acting, String botId) implements BusBody {
    public static RevokeBot from(JsonObject json) {
      return new RevokeBot(Acting.from(json), json.getString("botId"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("botId", botId);
    }
  }

  /** {@link Address#ADMIN_SHARES}: the live shares of the whole server, one page at a time (a numeric cursor). */
  public record ListShares(String adminId, int limit, String cursor) implements BusBody {
    public static ListShares from(JsonObject json) {
      return new ListShares(json.getString("adminId"), json.getInteger("limit", 50), json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId).put("limit", limit).put("cursor", cursor);
    }
  }

  /** {@link Address#ADMIN_SHARE_REVOKE}: anyone's share stops working. */
  public record RevokeShare(Acting acting, String shareId) implements BusBody {
    public static RevokeShare from(JsonObject json) {
      return new RevokeShare(Acting.from(json), json.getString("shareId"));
    }

    @Override
    public JsonObject toJson() {
      return acting.toJson().put("shareId", shareId);
    }
  }

  // ---- The server and the audit log ------------------------------------------------------------

  /**
   * {@code {store}}: {@code {node, database, sizeBytes, lastBackup}}, the store's part of the admin
   * page's server view (docs/api.md, {@code GET /api/admin/server}; the api adds the nodes).
   */
  public record StoreStatus(JsonObject store) implements BusBody {
    public static StoreStatus from(JsonObject json) {
      return new StoreStatus(json.getJsonObject("store"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("store", store);
    }
  }

  /** {@code {backup}}: {@code {path, at, bytes, millis}}, the backup {@link Address#ADMIN_BACKUP} took. */
  public record BackupReply(JsonObject backup) implements BusBody {
    public static BackupReply from(JsonObject json) {
      return new BackupReply(json.getJsonObject("backup"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("backup", backup);
    }
  }

  /**
   * {@link Address#ADMIN_AUDIT}: the audit log, newest first, one page at a time; only the entries
   * of {@code actor} (a user id) and of {@code action} (or, ending in a dot, a prefix of it) when given.
   */
  public record ListAudit(String adminId, String actor, String action, int limit, String cursor) implements BusBody {
    public static ListAudit from(JsonObject json) {
      return new ListAudit(json.getString("adminId"), json.getString("actor"), json.getString("action"),
          json.getInteger("limit", 50), json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("adminId", adminId).put("actor", actor).put("action", action).put("limit", limit)
          .put("cursor", cursor);
    }
  }

  /**
   * {@code {entries, nextCursor}}: one page of audit entries (docs/api.md, "GET /api/admin/audit");
   * {@code nextCursor} null on the last.
   */
  public record AuditPage(JsonArray entries, String nextCursor) implements BusBody {
    public static AuditPage from(JsonObject json) {
      return new AuditPage(json.getJsonArray("entries"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("entries", entries).put("nextCursor", nextCursor);
    }
  }
}
