package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Media, share links and exports on the bus: the bodies and replies of {@code media.ingest},
 * {@code store.media.*}, {@code store.share.*} and {@code store.export.*} (see {@link Address} for
 * who sends each and who serves it). Share tokens and export tickets cross the bus as their
 * SHA-256 only, but for the token a new share keeps for its lists.
 */
public final class MediaCommands {
  private MediaCommands() {
  }

  // ---- Media ---------------------------------------------------------------------------------

  /**
   * {@link Address#MEDIA_INGEST}: a finished upload, named in the media folder's {@code uploads/}
   * ({@link MediaFiles}), with the file name and type its sender gave ({@code declaredType} null
   * when none).
   */
  public record Uploaded(String upload, String ownerId, String name, String declaredType) implements BusBody {
    public static Uploaded from(JsonObject json) {
      return new Uploaded(json.getString("upload"), json.getString("ownerId"), json.getString("name"),
          json.getString("declaredType"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("upload", upload).put("ownerId", ownerId).put("name", name)
          .put("declaredType", declaredType);
    }
  }

  /**
   * {@link Address#MEDIA_CREATE}: an upload the media verticle has filed under {@code id}, as it
   * found it: {@code width} and {@code height} for an image, {@code durationMs} for voice when it
   * is known (null otherwise), and whether a thumbnail was filed beside it.
   */
  public record Filed(String id, String ownerId, String kind, String mime, long size, String name, Integer width,
                      Integer height, Long durationMs, boolean thumbnail) implements BusBody {
    public static Filed from(JsonObject json) {
      return new Filed(json.getString("id"), json.getString("ownerId"), json.getString("kind"), json.getString("mime"),
          json.getLong("size"), json.getString("name"), json.getInteger("width"), json.getInteger("height"),
          json.getLong("durationMs"), json.getBoolean("thumbnail", false));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id).put("ownerId", ownerId).put("kind", kind).put("mime", mime)
          .put("size", size).put("name", name).put("thumbnail", thumbnail);
      if (width != null) {
        json.put("width", width);
      }
      if (height != null) {
        json.put("height", height);
      }
      if (durationMs != null) {
        json.put("durationMs", durationMs);
      }
      return json;
    }
  }

  /**
   * {@code {media}}: one media item as its readers see it (docs/api.md, "The media object"); the
   * reply of {@link Address#MEDIA_INGEST}, {@link Address#MEDIA_CREATE}, {@link Address#MEDIA_GET}
   * and {@link Address#SHARE_MEDIA}.
   */
  public record MediaReply(JsonObject media) implements BusBody {
    public static MediaReply from(JsonObject json) {
      return new MediaReply(json.getJsonObject("media"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("media", media);
    }
  }

  /** {@link Address#MEDIA_GET}: the item {@code mediaId}, if {@code userId} may read it. */
  public record GetMedia(String userId, String mediaId) implements BusBody {
    public static GetMedia from(JsonObject json) {
      return new GetMedia(json.getString("userId"), json.getString("mediaId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("mediaId", mediaId);
    }
  }

  /** {@link Address#MEDIA_SWEEP}: at most {@code limit} unused items created before {@code before} (an ISO time). */
  public record Sweep(String before, int limit) implements BusBody {
    public static Sweep from(JsonObject json) {
      return new Sweep(json.getString("before"), json.getInteger("limit", 500));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("before", before).put("limit", limit);
    }
  }

  /** The items a sweep forgot, whose files the media verticle now removes. */
  public record Swept(List<String> ids) implements BusBody {
    public static Swept from(JsonObject json) {
      return new Swept(json.getJsonArray("ids", new JsonArray()).stream().map(String.class::cast).toList());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ids", new JsonArray(new ArrayList<Object>(ids)));
    }
  }

  // ---- Shares --------------------------------------------------------------------------------

  /**
   * {@link Address#SHARE_CREATE}: a link to messages {@code fromSeq..toSeq} of a conversation,
   * found by {@code tokenHash}, its {@code token} kept for lists; {@code expiresAt} (epoch ms)
   * null for a link that does not expire.
   */
  public record CreateShare(String userId, String conversationId, String tokenHash, String token, long fromSeq,
                            long toSeq, Long expiresAt) implements BusBody {
    public static CreateShare from(JsonObject json) {
      return new CreateShare(json.getString("userId"), json.getString("conversationId"), json.getString("tokenHash"),
          json.getString("token"), json.getLong("fromSeq"), json.getLong("toSeq"), json.getLong("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("tokenHash", tokenHash)
          .put("token", token).put("fromSeq", fromSeq).put("toSeq", toSeq).put("expiresAt", expiresAt);
    }
  }

  /** {@code {share}}: one share (docs/api.md, "The share object"), without its token and url. */
  public record ShareReply(JsonObject share) implements BusBody {
    public static ShareReply from(JsonObject json) {
      return new ShareReply(json.getJsonObject("share"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("share", share);
    }
  }

  /** {@link Address#SHARE_LIST}: a conversation's live shares the caller may see, one page at a time. */
  public record ListShares(String userId, String conversationId, int limit, Long cursor) implements BusBody {
    public static ListShares from(JsonObject json) {
      return new ListShares(json.getString("userId"), json.getString("conversationId"), json.getInteger("limit", 50),
          json.getLong("cursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("limit", limit)
          .put("cursor", cursor);
    }
  }

  /**
   * {@code {shares, nextCursor}}: one page of shares, newest first, each with its {@code token}
   * when the store has it (the api adds the url), and with its {@code conversationTitle} in an
   * admin's list of the whole server's; {@code nextCursor} null on the last page.
   */
  public record SharesPage(JsonArray shares, String nextCursor) implements BusBody {
    public static SharesPage from(JsonObject json) {
      return new SharesPage(json.getJsonArray("shares"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("shares", shares).put("nextCursor", nextCursor);
    }
  }

  /** {@link Address#SHARE_REVOKE}: a share named by its id or by its token's hash (one of them, the other null). */
  public record RevokeShare(String userId, String shareId, String tokenHash) implements BusBody {
    public static RevokeShare from(JsonObject json) {
      return new RevokeShare(json.getString("userId"), json.getString("shareId"), json.getString("tokenHash"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId);
      if (tokenHash != null) {
        json.put("tokenHash", tokenHash);
      }
      if (shareId != null) {
        json.put("shareId", shareId);
      }
      return json;
    }
  }

  /** {@link Address#SHARE_VIEW}: a holder reading a share; with {@code check}, only whether it is live. */
  public record ViewShare(String tokenHash, boolean check) implements BusBody {
    public static ViewShare from(JsonObject json) {
      return new ViewShare(json.getString("tokenHash"), json.getBoolean("check", false));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("tokenHash", tokenHash);
      if (check) {
        json.put("check", true);
      }
      return json;
    }
  }

  /**
   * What a share shows (docs/api.md, "GET /api/shared/{token}"): its conversation's
   * {@code {title}}, the messages of its range (message objects without {@code clientId}), the
   * {@code {id, displayName, bot}} of the people they name, its view count and {@code expiresAt}
   * (ISO, null: never). The answer to a check is {@link #CHECKED}, {@code {}}: every field null.
   */
  public record SharedRange(JsonObject conversation, JsonArray messages, JsonArray users, Long views, String expiresAt)
      implements BusBody {
    public static final SharedRange CHECKED = new SharedRange(null, null, null, null, null);

    public static SharedRange from(JsonObject json) {
      return json.containsKey("messages")
          ? new SharedRange(json.getJsonObject("conversation"), json.getJsonArray("messages"), json.getJsonArray("users"),
              json.getLong("views"), json.getString("expiresAt"))
          : CHECKED;
    }

    @Override
    public JsonObject toJson() {
      return messages == null ? new JsonObject() : new JsonObject().put("conversation", conversation)
          .put("messages", messages).put("users", users).put("views", views).put("expiresAt", expiresAt);
    }
  }

  /** {@link Address#SHARE_MEDIA}: a media item as a share's holder asks for it. */
  public record SharedMedia(String tokenHash, String mediaId) implements BusBody {
    public static SharedMedia from(JsonObject json) {
      return new SharedMedia(json.getString("tokenHash"), json.getString("mediaId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("tokenHash", tokenHash).put("mediaId", mediaId);
    }
  }

  // ---- Exports -------------------------------------------------------------------------------

  /**
   * The part of a conversation an export holds (docs/api.md, "The range"): seqs inclusive,
   * {@code from ≤ createdAt < to} as ISO instants; null: not narrowed that way. In the export
   * commands its fields sit beside the others; in {@link ExportStarted} it is {@code range}, with
   * both seqs set.
   */
  public record Range(Long fromSeq, Long toSeq, String from, String to) {
    /** The whole conversation. */
    public static final Range ALL = new Range(null, null, null, null);

    public static Range from(JsonObject json) {
      return new Range(json.getLong("fromSeq"), json.getLong("toSeq"), json.getString("from"), json.getString("to"));
    }

    /** The fields that are set, alone (as {@code range}) or to merge into a command. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (fromSeq != null) {
        json.put("fromSeq", fromSeq);
      }
      if (toSeq != null) {
        json.put("toSeq", toSeq);
      }
      if (from != null) {
        json.put("from", from);
      }
      if (to != null) {
        json.put("to", to);
      }
      return json;
    }
  }

  /**
   * {@link Address#EXPORT_TICKET}: a one-time download link, kept by {@code ticketHash}, for this
   * user, conversation and range.
   */
  public record TicketExport(String userId, String conversationId, String ticketHash, Range range) implements BusBody {
    public static TicketExport from(JsonObject json) {
      return new TicketExport(json.getString("userId"), json.getString("conversationId"), json.getString("ticketHash"),
          Range.from(json));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("ticketHash", ticketHash)
          .mergeIn(range.toJson());
    }
  }

  /** When an export ticket stops working (ISO). */
  public record TicketIssued(String expiresAt) implements BusBody {
    public static TicketIssued from(JsonObject json) {
      return new TicketIssued(json.getString("expiresAt"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("expiresAt", expiresAt);
    }
  }

  /**
   * {@link Address#EXPORT_START}: a ticket redeemed ({@code ticketHash}; no user, conversation or
   * range), or a bearer export of the caller's own ({@code ticketHash} null); {@code clientAddress}
   * for the audit log.
   */
  public record StartExport(String ticketHash, String userId, String conversationId, Range range, String clientAddress)
      implements BusBody {
    public static StartExport byTicket(String ticketHash, String clientAddress) {
      return new StartExport(ticketHash, null, null, Range.ALL, clientAddress);
    }

    public static StartExport bearer(String userId, String conversationId, Range range, String clientAddress) {
      return new StartExport(null, userId, conversationId, range, clientAddress);
    }

    public static StartExport from(JsonObject json) {
      return new StartExport(json.getString("ticketHash"), json.getString("userId"), json.getString("conversationId"),
          Range.from(json), json.getString("clientAddress"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (ticketHash != null) {
        json.put("ticketHash", ticketHash);
      }
      if (userId != null) {
        json.put("userId", userId);
      }
      if (conversationId != null) {
        json.put("conversationId", conversationId);
      }
      return json.mergeIn(range.toJson()).put("clientAddress", clientAddress);
    }
  }

  /**
   * An export under way: who exports, the conversation's {@code {id, type, title, createdAt}}
   * (as {@code messages.json} shows it) and the range fixed now, both seqs set.
   */
  public record ExportStarted(String userId, JsonObject conversation, Range range) implements BusBody {
    public static ExportStarted from(JsonObject json) {
      return new ExportStarted(json.getString("userId"), json.getJsonObject("conversation"),
          Range.from(json.getJsonObject("range")));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversation", conversation).put("range", range.toJson());
    }
  }

  /**
   * {@link Address#EXPORT_PAGE}: the next at most {@code limit} messages with
   * {@code after < seq ≤ toSeq} (and {@code from ≤ createdAt < to}, each null when not narrowed).
   */
  public record ReadExportPage(String userId, String conversationId, long after, long toSeq, int limit, String from,
                               String to) implements BusBody {
    public static ReadExportPage from(JsonObject json) {
      return new ReadExportPage(json.getString("userId"), json.getString("conversationId"), json.getLong("after", 0L),
          json.getLong("toSeq"), json.getInteger("limit", 200), json.getString("from"), json.getString("to"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("after", after)
          .put("toSeq", toSeq).put("limit", limit).put("from", from).put("to", to);
    }
  }

  /**
   * One page of an export: message objects as the history shows them, the
   * {@code {id, username, displayName, bot}} of the people they name, the seq to continue after,
   * and whether more follow.
   */
  public record ExportPage(JsonArray messages, JsonArray users, long cursor, boolean hasMore) implements BusBody {
    public static ExportPage from(JsonObject json) {
      return new ExportPage(json.getJsonArray("messages"), json.getJsonArray("users", new JsonArray()), json.getLong("cursor"),
          json.getBoolean("hasMore", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("messages", messages).put("users", users).put("cursor", cursor).put("hasMore", hasMore);
    }
  }
}
