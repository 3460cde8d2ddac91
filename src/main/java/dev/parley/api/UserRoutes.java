package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
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
    HttpReplies.ok(ctx, bus.request(Address.USER_GET, new JsonObject().put("userId", me).put("viewerId", me)));
  }

  private void updateMe(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    JsonObject cmd = new JsonObject().put("userId", HttpReplies.userId(ctx));
    if (body.containsKey("displayName")) {
      if (body.getValue("displayName") == null) {
        throw Failure.invalid("displayName", "displayName cannot be null");
      }
      cmd.put("displayName", AuthRoutes.displayName(body, null));
    }
    Boolean receipts = Json.bool(body, "readReceipts");
    if (receipts != null) {
      cmd.put("readReceipts", receipts);
    }
    if (body.containsKey("avatarMediaId")) {
      cmd.put("avatarMediaId", Json.string(body, "avatarMediaId"));
    }
    HttpReplies.ok(ctx, bus.request(Address.USER_UPDATE, cmd));
  }

  private void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "").trim();
    if (q.length() > 64) {
      throw Failure.invalid("q", "q must be at most 64 characters");
    }
    HttpReplies.ok(ctx, bus.request(Address.USER_SEARCH, new JsonObject()
        .put("viewerId", HttpReplies.userId(ctx))
        .put("q", q)
        .put("limit", Json.limit(ctx.request().getParam("limit")))
        .put("cursor", ctx.request().getParam("cursor"))));
  }

  private void user(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.USER_GET, new JsonObject()
        .put("userId", ctx.pathParam("id"))
        .put("viewerId", HttpReplies.userId(ctx))));
  }
}
