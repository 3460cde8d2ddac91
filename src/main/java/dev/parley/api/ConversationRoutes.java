package dev.parley.api;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /api/conversations} and their members. Non-members get 404 from the store on every path. */
final class ConversationRoutes {
  private static final int MAX_GROUP_MEMBERS = 1000;
  private static final Set<String> ROLES = Set.of("owner", "admin", "member");

  private final Bus bus;

  ConversationRoutes(Bus bus) {
    this.bus = bus;
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.post("/api/conversations").handler(authn).handler(HttpReplies.guarded(this::create));
    router.get("/api/conversations").handler(authn).handler(HttpReplies.guarded(this::list));
    router.get("/api/conversations/:id").handler(authn).handler(HttpReplies.guarded(this::get));
    router.patch("/api/conversations/:id").handler(authn).handler(HttpReplies.guarded(this::rename));
    router.get("/api/conversations/:id/members").handler(authn).handler(HttpReplies.guarded(this::members));
    router.post("/api/conversations/:id/members").handler(authn).handler(HttpReplies.guarded(this::addMember));
    router.patch("/api/conversations/:id/members/:userId").handler(authn).handler(HttpReplies.guarded(this::changeRole));
    router.delete("/api/conversations/:id/members/:userId").handler(authn).handler(HttpReplies.guarded(this::removeMember));
    router.put("/api/conversations/:id/mute").handler(authn).handler(HttpReplies.guarded(this::mute));
    router.put("/api/conversations/:id/notify").handler(authn).handler(HttpReplies.guarded(this::notifyLevel));
    router.put("/api/conversations/:id/retention").handler(authn).handler(HttpReplies.guarded(this::retention));
  }

  /** The caller and the conversation of the path: the body of the commands that need nothing more. */
  static ConversationCommands.Scoped caller(RoutingContext ctx) {
    return new ConversationCommands.Scoped(HttpReplies.userId(ctx), ctx.pathParam("id"));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String type = Json.requiredString(body, "type");
    String userId = HttpReplies.userId(ctx);
    ConversationCommands.Create cmd;
    if ("direct".equals(type)) {
      cmd = ConversationCommands.Create.direct(userId, Json.requiredString(body, "userId"));
    } else if ("group".equals(type)) {
      String title = title(body);
      Object members = body.getValue("memberIds", new JsonArray());
      if (!(members instanceof JsonArray ids) || ids.size() > MAX_GROUP_MEMBERS
          || !ids.stream().allMatch(id -> id instanceof String s && !s.isEmpty() && s.length() <= 64)) {
        throw Failure.invalid("memberIds", "memberIds must be an array of at most " + MAX_GROUP_MEMBERS + " user ids");
      }
      cmd = ConversationCommands.Create.group(userId, title, ids.stream().map(String.class::cast).toList());
    } else {
      throw Failure.invalid("type", "type must be direct or group");
    }
    bus.request(Address.CONVERSATION_CREATE, cmd).onComplete(ar -> {
      boolean created = ar.succeeded() && ar.result().created();
      HttpReplies.respond(ctx, created ? 201 : 200, ar.succeeded()
          ? Future.succeededFuture(new ConversationCommands.ConversationReply(ar.result().conversation()).toJson())
          : Future.failedFuture(ar.cause()));
    });
  }

  static String title(JsonObject body) {
    String title = Json.requiredString(body, "title").strip();
    if (title.isEmpty() || title.codePointCount(0, title.length()) > 100 || title.chars().anyMatch(Character::isISOControl)) {
      throw Failure.invalid("title", "title must be 1-100 characters without control characters");
    }
    return title;
  }

  private void list(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.CONVERSATION_LIST, new ConversationCommands.ListConversations(
            HttpReplies.userId(ctx), Json.limit(ctx.request().getParam("limit")), ctx.request().getParam("cursor")))
        .map(ConversationCommands.ConversationsPage::toJson));
  }

  private void get(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.CONVERSATION_GET, caller(ctx)).map(ConversationCommands.ConversationReply::toJson));
  }

  private void rename(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.CONVERSATION_RENAME,
            new ConversationCommands.Rename(HttpReplies.userId(ctx), ctx.pathParam("id"), title(HttpReplies.body(ctx))))
        .map(ConversationCommands.ConversationReply::toJson));
  }

  private void members(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.MEMBER_LIST, new ConversationCommands.ListMembers(HttpReplies.userId(ctx),
            ctx.pathParam("id"), Json.limit(ctx.request().getParam("limit")), ctx.request().getParam("cursor")))
        .map(ConversationCommands.MembersPage::toJson));
  }

  private void addMember(RoutingContext ctx) {
    String memberId = Json.requiredString(HttpReplies.body(ctx), "userId");
    HttpReplies.respond(ctx, 201, bus.request(Address.MEMBER_ADD,
            new ConversationCommands.AddMember(HttpReplies.userId(ctx), ctx.pathParam("id"), memberId))
        .map(ConversationCommands.MemberReply::toJson));
  }

  private void changeRole(RoutingContext ctx) {
    String role = Json.requiredString(HttpReplies.body(ctx), "role");
    if (!ROLES.contains(role)) {
      throw Failure.invalid("role", "role must be owner, admin or member");
    }
    HttpReplies.noContent(ctx, bus.request(Address.MEMBER_ROLE,
        new ConversationCommands.ChangeRole(HttpReplies.userId(ctx), ctx.pathParam("id"), ctx.pathParam("userId"), role)));
  }

  private void removeMember(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.MEMBER_REMOVE,
        new ConversationCommands.RemoveMember(HttpReplies.userId(ctx), ctx.pathParam("id"), ctx.pathParam("userId"))));
  }

  private void mute(RoutingContext ctx) {
    Boolean muted = Json.bool(HttpReplies.body(ctx), "muted");
    if (muted == null) {
      throw Failure.invalid("muted", "muted must be true or false");
    }
    HttpReplies.noContent(ctx, bus.request(Address.CONVERSATION_MUTE,
        new ConversationCommands.Mute(HttpReplies.userId(ctx), ctx.pathParam("id"), muted)));
  }

  /**
   * {@code PUT /api/conversations/{id}/retention {days}}: keep messages {@code days} days (1–36500),
   * forever (0), or as the server's default (null). The key must be there: {@code {}} is a 400.
   */
  private void retention(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    if (!body.containsKey("days")) {
      throw Failure.invalid("days", "days is required: a number of days, 0 for forever, or null for the server's default");
    }
    Integer days = null;
    if (body.getValue("days") != null) {
      long value = Json.nonNegativeLong(body, "days");
      if (value > ParleyConfig.Retention.MAX_DAYS) {
        throw Failure.invalid("days", "days must be at most " + ParleyConfig.Retention.MAX_DAYS);
      }
      days = (int) value;
    }
    HttpReplies.ok(ctx, bus.request(Address.CONVERSATION_RETENTION,
            new ConversationCommands.SetRetention(HttpReplies.userId(ctx), ctx.pathParam("id"), days))
        .map(ConversationCommands.ConversationReply::toJson));
  }

  /** {@code PUT /api/conversations/{id}/notify {level}}: all, mentions or nothing (groups). */
  private void notifyLevel(RoutingContext ctx) {
    String level = Json.requiredString(HttpReplies.body(ctx), "level");
    HttpReplies.noContent(ctx, bus.request(Address.CONVERSATION_NOTIFY,
        new ConversationCommands.Notify(HttpReplies.userId(ctx), ctx.pathParam("id"), level)));
  }
}
