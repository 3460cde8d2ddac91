package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Accounts and sign-ins on the bus: the bodies and replies of {@code store.user.*} and
 * {@code store.token.*} (see {@link Address} for who sends each and who serves it). Hashes only:
 * passwords and refresh tokens never cross the bus.
 */
public final class UserCommands {
  private UserCommands() {
  }

  /** {@link Address#USER_CREATE}: a person registering; {@code inviteCodeHash} null without an invitation. */
  public record Create(String username, String passwordHash, String displayName, String inviteCodeHash) implements BusBody {
    public static Create from(JsonObject json) {
      return new Create(json.getString("username"), json.getString("passwordHash"), json.getString("displayName"),
          json.getString("inviteCodeHash"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("username", username).put("passwordHash", passwordHash)
          .put("displayName", displayName).put("inviteCodeHash", inviteCodeHash);
    }
  }

  /**
   * {@code {user}}: one account as the asker sees it (docs/api.md, "User"); the own view, with
   * its settings, when the asker is that account.
   */
  public record UserReply(JsonObject user) implements BusBody {
    public static UserReply from(JsonObject json) {
      return new UserReply(json.getJsonObject("user"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("user", user);
    }
  }

  /** {@link Address#USER_CREDENTIALS}: who signs in. */
  public record Credentials(String username) implements BusBody {
    public static Credentials from(JsonObject json) {
      return new Credentials(json.getString("username"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("username", username);
    }
  }

  /** What a sign-in is checked against. */
  public record CredentialsReply(String userId, String passwordHash, boolean disabled) implements BusBody {
    public static CredentialsReply from(JsonObject json) {
      return new CredentialsReply(json.getString("userId"), json.getString("passwordHash"), json.getBoolean("disabled", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("passwordHash", passwordHash).put("disabled", disabled);
    }
  }

  /** {@link Address#USER_PASSWORD}: a new password; every sign-in but {@code keepFamilyId} ends. */
  public record ChangePassword(String userId, String passwordHash, String keepFamilyId) implements BusBody {
    public static ChangePassword from(JsonObject json) {
      return new ChangePassword(json.getString("userId"), json.getString("passwordHash"), json.getString("keepFamilyId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("passwordHash", passwordHash).put("keepFamilyId", keepFamilyId);
    }
  }

  /** {@link Address#USER_GET}: {@code userId} as {@code viewerId} sees them. */
  public record Get(String userId, String viewerId) implements BusBody {
    /** A user asking about themselves. */
    public static Get self(String userId) {
      return new Get(userId, userId);
    }

    public static Get from(JsonObject json) {
      return new Get(json.getString("userId"), json.getString("viewerId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("viewerId", viewerId);
    }
  }

  /**
   * {@link Address#USER_UPDATE}: a change to one's profile. {@code displayName} and
   * {@code readReceipts} null leave them as they are; the avatar changes only when
   * {@code changesAvatar}, to {@code avatarMediaId} (null: none).
   */
  public record Update(String userId, String displayName, Boolean readReceipts, boolean changesAvatar,
                       String avatarMediaId) implements BusBody {
    public static Update from(JsonObject json) {
      return new Update(json.getString("userId"), json.getString("displayName"), json.getBoolean("readReceipts"),
          json.containsKey("avatarMediaId"), json.getString("avatarMediaId"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId);
      if (displayName != null) {
        json.put("displayName", displayName);
      }
      if (readReceipts != null) {
        json.put("readReceipts", readReceipts);
      }
      if (changesAvatar) {
        json.put("avatarMediaId", avatarMediaId);
      }
      return json;
    }
  }

  /** {@link Address#USER_SEARCH}: a prefix of username or display name, one page at a time. */
  public record Search(String viewerId, String q, int limit, String cursor) implements BusBody {
    public static Search from(JsonObject json) {
      return new Search(json.getString("viewerId"), json.getString("q"), json.getInteger("limit", 50), json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("viewerId", viewerId).put("q", q).put("limit", limit).put("cursor", cursor);
    }
  }

  /** {@code {users, nextCursor}}: one page of user views; {@code nextCursor} null on the last. */
  public record UsersPage(JsonArray users, String nextCursor) implements BusBody {
    public static UsersPage from(JsonObject json) {
      return new UsersPage(json.getJsonArray("users"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("users", users).put("nextCursor", nextCursor);
    }
  }

  /** {@link Address#TOKEN_ISSUE}: a sign-in's first refresh token, starting its family. */
  public record IssueToken(String userId, String familyId, String tokenHash, long expiresAt) implements BusBody {
    public static IssueToken from(JsonObject json) {
      return new IssueToken(json.getString("userId"), json.getString("familyId"), json.getString("tokenHash"),
          json.getLong("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("familyId", familyId).put("tokenHash", tokenHash)
          .put("expiresAt", expiresAt);
    }
  }

  /** {@link Address#TOKEN_ROTATE}: a refresh token traded for the next of its family. */
  public record RotateToken(String tokenHash, String newTokenHash, long expiresAt) implements BusBody {
    public static RotateToken from(JsonObject json) {
      return new RotateToken(json.getString("tokenHash"), json.getString("newTokenHash"), json.getLong("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("tokenHash", tokenHash).put("newTokenHash", newTokenHash).put("expiresAt", expiresAt);
    }
  }

  /** Whose sign-in a rotated token belongs to. */
  public record Rotated(String userId, String familyId) implements BusBody {
    public static Rotated from(JsonObject json) {
      return new Rotated(json.getString("userId"), json.getString("familyId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("familyId", familyId);
    }
  }

  /** {@link Address#TOKEN_REVOKE}: a sign-out; the token's whole family ends. */
  public record RevokeToken(String tokenHash) implements BusBody {
    public static RevokeToken from(JsonObject json) {
      return new RevokeToken(json.getString("tokenHash"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("tokenHash", tokenHash);
    }
  }
}
