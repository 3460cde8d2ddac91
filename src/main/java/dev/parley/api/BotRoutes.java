package dev.parley.api;

import dev.parley.auth.Authenticator;
import dev.parley.auth.Secrets;
import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/bots}: a user makes a bot (its token is shown once) and revokes it. */
final class BotRoutes {
  private final Bus bus;

  BotRoutes(Bus bus) {
    this.bus = bus;
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.post("/api/bots").handler(authn).handler(HttpReplies.guarded(this::create));
    router.delete("/api/bots/:id").handler(authn).handler(HttpReplies.guarded(this::revoke));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String username = AuthRoutes.username(body);
    String displayName = AuthRoutes.displayName(body, username);
    String token = Authenticator.newBotToken();
    HttpReplies.respond(ctx, 201, bus.request(Address.BOT_CREATE,
            new BotCommands.CreateBot(HttpReplies.userId(ctx), username, displayName, Secrets.sha256(token)))
        .map(created -> created.toJson().put("token", token)));
  }

  private void revoke(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.BOT_REVOKE,
        new BotCommands.OwnedBot(HttpReplies.userId(ctx), ctx.pathParam("id"))));
  }
}
