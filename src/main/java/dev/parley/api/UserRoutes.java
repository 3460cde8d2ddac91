package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.UserCommands;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/me} and {@code /api/users}. */
final class UserRoutes {
  private final Bus bus;

  UserRoutes(Bus bus) {
    this.bus = bus;
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.get("/api/me").handler(authn).handler(HttpReplies.guarded(this::me));
    router.patch("/api/me").handler(authn).handler(HttpReplies.guarded(this::updateMe));
    router.get("/api/users").handler(authn).handler(HttpReplies.guarded(this::search));
    router.get("/api/users/:id").handler(authn).handler(HttpReplies.guarded(this::user));
  }

  private void me(RoutingContext ctx) {
    String me = HttpReplies.userId(ctx);
    HttpReplies.ok(ctx, bus.request(Address.USER_GET, UserCommands.Get.self(me)).map(UserCommands.UserReply::toJson));
  }

  private void updateMe(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String displayName = null;
    if (body.containsKey("displayName")) {
      if (body.getValue("displayName") == null) {
        throw Failure.invalid("displayName", "displayName cannot be null");
      }
      displayName = AuthRoutes.displayName(body, null);
    }
    Boolean receipts = Json.bool(body, "readReceipts");
    boolean changesAvatar = body.containsKey("avatarMediaId");
    String avatar = changesAvatar ? Json.string(body, "avatarMediaId") : null;
    HttpReplies.ok(ctx, bus.request(Address.USER_UPDATE,
            new UserCommands.Update(HttpReplies.userId(ctx), displayName, receipts, changesAvatar, avatar))
        .map(UserCommands.UserReply::toJson));
  }

  private void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "").trim();
    if (q.length() > 64) {
      throw Failure.invalid("q", "q must be at most 64 characters");
    }
    HttpReplies.ok(ctx, bus.request(Address.USER_SEARCH, new UserCommands.Search(HttpReplies.userId(ctx), q,
            Json.limit(ctx.request().getParam("limit")), ctx.request().getParam("cursor")))
        .map(UserCommands.UsersPage::toJson));
  }

  private void user(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.USER_GET, new UserCommands.Get(ctx.pathParam("id"), HttpReplies.userId(ctx)))
        .map(UserCommands.UserReply::toJson));
  }
}
