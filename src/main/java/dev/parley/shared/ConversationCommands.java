package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversations, their members and their pointers on the bus: the bodies and replies of
 * {@code store.conversation.*} and {@code store.member.*} (see {@link Address} for who sends each
 * and who serves it). Every command names the member asking ({@code userId}); the store answers
 * 404 to anyone who is not a member of the conversation.
 */
public final class ConversationCommands {
  private ConversationCommands() {
  }

  /**
   * A member asking about, or acting in, a conversation with nothing more to say:
   * {@link Address#CONVERSATION_GET}, {@link Address#CONVERSATION_TYPING},
   * {@link Address#CONVERSATION_RECEIPTS} and {@link Address#WEBHOOK_LIST}.
   */
  public record Scoped(String userId, String conversationId) implements BusBody {
    public static Scoped from(JsonObject json) {
      return new Scoped(json.getString("userId"), json.getString("conversationId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId);
    }
  }

  /**
   * {@link Address#CONVERSATION_CREATE}: a direct conversation with {@code peerId}, or (any other
   * {@code type}) a group named {@code title} with the caller as owner and {@code memberIds} as
   * members (null: none). The fields of the other kind are null and stay off the wire.
   */
  public record Create(String userId, String type, String peerId, String title, List<String> memberIds)
      implements BusBody {
    public static Create direct(String userId, String peerId) {
      return new Create(userId, "direct", peerId, null, null);
    }

    public static Create group(String userId, String title, List<String> memberIds) {
      return new Create(userId, "group", null, title, memberIds);
    }

    public static Create from(JsonObject json) {
      JsonArray ids = json.getJsonArray("memberIds");
      return new Create(json.getString("userId"), json.getString("type"), json.getString("peerId"), json.getString("title"),
          ids == null ? null : ids.stream().map(String.class::cast).toList());
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId).put("type", type);
      if (peerId != null) {
        json.put("peerId", peerId);
      }
      if (title != null) {
        json.put("title", title);
      }
      if (memberIds != null) {
        json.put("memberIds", new JsonArray(new ArrayList<>(memberIds)));
      }
      return json;
    }
  }

  /**
   * {@code {conversation, created}}: the conversation as the caller sees it (docs/api.md, "The
   * {@code conversation} object"); {@code created} false when a direct conversation with that
   * peer existed already.
   */
  public record CreateReply(JsonObject conversation, boolean created) implements BusBody {
    public static CreateReply from(JsonObject json) {
      return new CreateReply(json.getJsonObject("conversation"), json.getBoolean("created", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("conversation", conversation).put("created", created);
    }
  }

  /** {@code {conversation}}: one conversation as the caller sees it (docs/api.md, "The {@code conversation} object"). */
  public record ConversationReply(JsonObject conversation) implements BusBody {
    public static ConversationReply from(JsonObject json) {
      return new ConversationReply(json.getJsonObject("conversation"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("conversation", conversation);
    }
  }

  /** {@link Address#CONVERSATION_LIST}: the caller's conversations, one page at a time. */
  public record ListConversations(String userId, int limit, String cursor) implements BusBody {
    public static ListConversations from(JsonObject json) {
      return new ListConversations(json.getString("userId"), json.getInteger("limit", 50), json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("limit", limit).put("cursor", cursor);
    }
  }

  /**
   * {@code {conversations, nextCursor}}: one page of conversation views (docs/api.md, "The
   * {@code conversation} object"), newest activity first; {@code nextCursor} null on the last.
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

  /** {@link Address#CONVERSATION_RENAME}: a group's new title. */
  public record Rename(String userId, String conversationId, String title) implements BusBody {
    public static Rename from(JsonObject json) {
      return new Rename(json.getString("userId"), json.getString("conversationId"), json.getString("title"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("title", title);
    }
  }

  /** {@link Address#CONVERSATION_MUTE}: the caller mutes or unmutes the conversation for themselves. */
  public record Mute(String userId, String conversationId, boolean muted) implements BusBody {
    public static Mute from(JsonObject json) {
      return new Mute(json.getString("userId"), json.getString("conversationId"), json.getBoolean("muted"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("muted", muted);
    }
  }

  /**
   * {@link Address#CONVERSATION_NOTIFY}: what the caller is notified of in a group: {@code all},
   * {@code mentions} or {@code nothing}.
   */
  public record Notify(String userId, String conversationId, String level) implements BusBody {
    public static Notify from(JsonObject json) {
      return new Notify(json.getString("userId"), json.getString("conversationId"), json.getString("level"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("level", level);
    }
  }

  /**
   * {@link Address#CONVERSATION_RETENTION}: keep the conversation's messages {@code days} days,
   * forever ({@code 0}), or as the server's default ({@code null}, written as such).
   */
  public record SetRetention(String userId, String conversationId, Integer days) implements BusBody {
    public static SetRetention from(JsonObject json) {
      return new SetRetention(json.getString("userId"), json.getString("conversationId"), json.getInteger("days"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("days", days);
    }
  }

  /** {@link Address#MEMBER_LIST}: a conversation's members in join order, one page at a time. */
  public record ListMembers(String userId, String conversationId, int limit, String cursor) implements BusBody {
    public static ListMembers from(JsonObject json) {
      return new ListMembers(json.getString("userId"), json.getString("conversationId"), json.getInteger("limit", 50),
          json.getString("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("limit", limit)
          .put("cursor", cursor);
    }
  }

  /**
   * {@code {members, nextCursor}}: one page of members, each {@code {user, role, joinedAt}} as
   * {@link MemberReply}'s; {@code nextCursor} null on the last.
   */
  public record MembersPage(JsonArray members, String nextCursor) implements BusBody {
    public static MembersPage from(JsonObject json) {
      return new MembersPage(json.getJsonArray("members"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("members", members).put("nextCursor", nextCursor);
    }
  }

  /** {@link Address#MEMBER_ADD}: the caller adds {@code memberId} to a group. */
  public record AddMember(String userId, String conversationId, String memberId) implements BusBody {
    public static AddMember from(JsonObject json) {
      return new AddMember(json.getString("userId"), json.getString("conversationId"), json.getString("memberId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("memberId", memberId);
    }
  }

  /**
   * {@code {member}}: one member, {@code {user, role, joinedAt}} with {@code user} as the caller
   * sees them (docs/api.md, "The {@code user} object").
   */
  public record MemberReply(JsonObject member) implements BusBody {
    public static MemberReply from(JsonObject json) {
      return new MemberReply(json.getJsonObject("member"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("member", member);
    }
  }

  /** {@link Address#MEMBER_ROLE}: the owner gives {@code memberId} a role ({@code owner} hands ownership over). */
  public record ChangeRole(String userId, String conversationId, String memberId, String role) implements BusBody {
    public static ChangeRole from(JsonObject json) {
      return new ChangeRole(json.getString("userId"), json.getString("conversationId"), json.getString("memberId"),
          json.getString("role"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("memberId", memberId)
          .put("role", role);
    }
  }

  /**
   * {@link Address#MEMBER_REMOVE}: the caller removes {@code memberId} from a group, or leaves it
   * ({@code memberId} = {@code userId}).
   */
  public record RemoveMember(String userId, String conversationId, String memberId) implements BusBody {
    public static RemoveMember from(JsonObject json) {
      return new RemoveMember(json.getString("userId"), json.getString("conversationId"), json.getString("memberId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("memberId", memberId);
    }
  }

  /**
   * {@link Address#CONVERSATION_READ} and {@link Address#CONVERSATION_DELIVERED}: the caller has
   * read (or received) the conversation up to {@code seq}; the address says which pointer moves.
   */
  public record Pointer(String userId, String conversationId, long seq) implements BusBody {
    public static Pointer from(JsonObject json) {
      return new Pointer(json.getString("userId"), json.getString("conversationId"), json.getLong("seq"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("seq", seq);
    }
  }

  /** {@code {seq}}: the seq a {@link Pointer} was taken as, clamped to the conversation's last. */
  public record PointerReply(long seq) implements BusBody {
    public static PointerReply from(JsonObject json) {
      return new PointerReply(json.getLong("seq"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("seq", seq);
    }
  }

  /**
   * {@code {receipts}}: every member's pointers in join order, each {@code {userId, deliveredSeq,
   * readSeq?}} (docs/api.md, {@code GET /api/conversations/{id}/receipts}).
   */
  public record ReceiptsReply(JsonArray receipts) implements BusBody {
    public static ReceiptsReply from(JsonObject json) {
      return new ReceiptsReply(json.getJsonArray("receipts"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("receipts", receipts);
    }
  }
}
