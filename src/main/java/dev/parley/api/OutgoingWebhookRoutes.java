package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.EndpointGuard;
import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.Failure;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/bots/{id}/webhook}: a bot's owner gives it an outgoing webhook (an endpoint that is
 * POSTed every event the bot receives), reads its delivery log, resumes it after a pause, and
 * removes it. The URL passes the {@link EndpointGuard} here (a clear 400) and again before every
 * request the deliverer makes. A new signing secret is made each time the URL is set, shown once.
 */
final class OutgoingWebhookRoutes {
  private final Bus bus;
  private final EndpointGuard guard;

  OutgoingWebhookRoutes(Bus bus, ParleyConfig.OutgoingWebhooks settings) {
    this.bus = bus;
    this.guard = new EndpointGuard(settings.allowPrivateEndpoints());
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.put("/api/bots/:id/webhook").handler(authn).handler(HttpReplies.guarded(this::set));
    router.get("/api/bots/:id/webhook").handler(authn).handler(HttpReplies.guarded(this::get));
    router.post("/api/bots/:id/webhook/resume").handler(authn).handler(HttpReplies.guarded(this::resume));
    router.delete("/api/bots/:id/webhook").handler(authn).handler(HttpReplies.guarded(this::delete));
  }

  private static BotCommands.OwnedBot command(RoutingContext ctx) {
    return new BotCommands.OwnedBot(HttpReplies.userId(ctx), ctx.pathParam("id"));
  }

  private void set(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    Object url = body.getValue("url");
    if (!(url instanceof String text)) {
      throw Failure.invalid("url", "url must be a string");
    }
    try {
      guard.check(text);
    } catch (Failure e) {
      throw Failure.invalid("url", e.getMessage().replace("endpoint", "url"));
    }
    String secret = "whsec_" + Secrets.token(32);
    HttpReplies.ok(ctx, bus.request(Address.OUTGOING_SET,
            new BotCommands.SetOutgoing(HttpReplies.userId(ctx), ctx.pathParam("id"), text, secret))
        .map(reply -> {
          JsonObject json = reply.toJson();
          json.getJsonObject("webhook").put("secret", secret);
          return json;
        }));
  }

  private void get(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.OUTGOING_GET, command(ctx)).map(BotCommands.OutgoingLog::toJson));
  }

  private void resume(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.OUTGOING_RESUME, command(ctx)).map(BotCommands.OutgoingReply::toJson));
  }

  private void delete(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.OUTGOING_DELETE, command(ctx)));
  }
}
