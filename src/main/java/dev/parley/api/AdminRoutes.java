package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.Forwarded;
import dev.parley.shared.Address;
import dev.parley.shared.AdminCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Command;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code /api/admin/*}: what a server's admins do from the admin page. The store decides who is an
 * admin and writes the audit log; this class checks the input, adds the caller and their client
 * address to each command, and adds what only the nodes know: the cluster's nodes
 * ({@link NodeDirectory}) and each account's open connections ({@link ConnectionCensus}).
 */
final class AdminRoutes {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Duration RESET_LINK_LIFETIME = Duration.ofHours(24);
  private static final int MAX_INVITATION_USES = 1000;
  private static final int MAX_INVITATION_HOURS = 8784;
  private static final int DEFAULT_INVITATION_HOURS = 168;

  private final Bus bus;
  private final PublicUrls urls;
  private final Forwarded forwarded;
  private final NodeDirectory nodes;
  private final ConnectionCensus census;

  AdminRoutes(Vertx vertx, Bus bus, String publicUrl, Forwarded forwarded) {
    this.bus = bus;
    this.urls = new PublicUrls(publicUrl, forwarded);
    this.forwarded = forwarded;
    this.nodes = new NodeDirectory(vertx);
    this.census = new ConnectionCensus(vertx, nodes);
  }

  /** Completes once the node reports reach this api. */
  Future<Void> ready() {
    return nodes.ready();
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.get("/api/admin/users").handler(authn).handler(HttpReplies.guarded(this::users));
    router.post("/api/admin/users/:id/disable").handler(authn).handler(HttpReplies.guarded(ctx -> setDisabled(ctx, true)));
    router.post("/api/admin/users/:id/enable").handler(authn).handler(HttpReplies.guarded(ctx -> setDisabled(ctx, false)));
    router.post("/api/admin/users/:id/password-reset").handler(authn).handler(HttpReplies.guarded(this::passwordReset));
    router.put("/api/admin/users/:id/admin").handler(authn).handler(HttpReplies.guarded(this::setAdmin));
    router.get("/api/admin/settings").handler(authn).handler(HttpReplies.guarded(this::settings));
    router.put("/api/admin/settings").handler(authn).handler(HttpReplies.guarded(this::updateSettings));
    router.post("/api/admin/invitations").handler(authn).handler(HttpReplies.guarded(this::createInvitation));
    router.get("/api/admin/invitations").handler(authn).handler(HttpReplies.guarded(this::invitations));
    router.delete("/api/admin/invitations/:id").handler(authn).handler(HttpReplies.guarded(this::revokeInvitation));
    router.get("/api/admin/conversations").handler(authn).handler(HttpReplies.guarded(this::conversations));
    router.get("/api/admin/bots").handler(authn).handler(HttpReplies.guarded(this::bots));
    router.delete("/api/admin/bots/:id").handler(authn).handler(HttpReplies.guarded(this::revokeBot));
    router.get("/api/admin/shares").handler(authn).handler(HttpReplies.guarded(this::shares));
    router.delete("/api/admin/shares/:id").handler(authn).handler(HttpReplies.guarded(this::revokeShare));
    router.get("/api/admin/server").handler(authn).handler(HttpReplies.guarded(this::server));
    router.post("/api/admin/backups").handler(authn).handler(HttpReplies.guarded(this::backup));
    router.get("/api/admin/audit").handler(authn).handler(HttpReplies.guarded(this::audit));
  }

  // ---- Accounts ------------------------------------------------------------------------------

  /** The store's page of accounts, each with its open connections counted on every node. */
  private void users(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "");
    if (q.length() > 64) {
      throw Failure.invalid("q", "q must be at most 64 characters");
    }
    AdminCommands.ListUsers cmd = new AdminCommands.ListUsers(HttpReplies.userId(ctx), q,
        Json.limit(ctx.request().getParam("limit")), ctx.request().getParam("cursor"));
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_USERS, cmd).compose(page -> withDevices(page.users()).map(v -> page.toJson())));
  }

  /** Adds each account's open connections on every node ({@code devices}, {@code online}). */
  private Future<Void> withDevices(JsonArray users) {
    return census.count(users.stream().map(u -> ((JsonObject) u).getString("id")).toList()).map(counts -> {
      users.forEach(u -> {
        JsonObject user = (JsonObject) u;
        int devices = counts.getOrDefault(user.getString("id"), 0);
        user.put("online", devices > 0).put("devices", devices);
      });
      return null;
    });
  }

  /** A command answered with {@code {user}}, which gets its connections counted too. */
  private <B extends BusBody> Future<JsonObject> userReply(Command<B, AdminCommands.AccountReply> command, B cmd) {
    return bus.request(command, cmd).compose(reply -> withDevices(new JsonArray().add(reply.user())).map(v -> reply.toJson()));
  }

  private void setDisabled(RoutingContext ctx, boolean disabled) {
    HttpReplies.ok(ctx, userReply(Address.ADMIN_USER_DISABLE, new AdminCommands.SetDisabled(acting(ctx), id(ctx), disabled)));
  }

  private void setAdmin(RoutingContext ctx) {
    Boolean admin = Json.bool(HttpReplies.body(ctx), "admin");
    if (admin == null) {
      throw Failure.invalid("admin", "admin is required");
    }
    HttpReplies.ok(ctx, userReply(Address.ADMIN_USER_ADMIN, new AdminCommands.SetAdmin(acting(ctx), id(ctx), admin)));
  }

  /** A one-time link for the person to choose a new password; the token is shown here only. */
  private void passwordReset(RoutingContext ctx) {
    String token = Secrets.token(32);
    String expiresAt = Instant.now().plus(RESET_LINK_LIFETIME).toString();
    HttpReplies.respond(ctx, 201, bus.request(Address.ADMIN_PASSWORD_RESET,
            new AdminCommands.IssueReset(acting(ctx), id(ctx), Secrets.sha256(token), expiresAt))
        .map(reply -> new JsonObject().put("url", urls.of(ctx.request(), "/#reset=" + token)).put("expiresAt", expiresAt)));
  }

  // ---- Registration --------------------------------------------------------------------------

  private void settings(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_SETTINGS, asking(ctx)).map(AdminCommands.Settings::toJson));
  }

  private void updateSettings(RoutingContext ctx) {
    String registration = Json.requiredString(HttpReplies.body(ctx), "registration");
    if (!ParleyConfig.Auth.REGISTRATION_MODES.contains(registration)) {
      throw Failure.invalid("registration", "registration must be open, closed or invite");
    }
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_SETTINGS_UPDATE, new AdminCommands.UpdateSettings(acting(ctx), registration))
        .map(AdminCommands.Settings::toJson));
  }

  /** An invitation link; its code is shown here only, the store keeps its hash. */
  private void createInvitation(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    long maxUses = body.containsKey("maxUses") ? Json.positiveLong(body, "maxUses") : 1;
    if (maxUses > MAX_INVITATION_USES) {
      throw Failure.invalid("maxUses", "maxUses must be between 1 and " + MAX_INVITATION_USES);
    }
    long hours = body.containsKey("expiresInHours") ? Json.positiveLong(body, "expiresInHours") : DEFAULT_INVITATION_HOURS;
    if (hours > MAX_INVITATION_HOURS) {
      throw Failure.invalid("expiresInHours", "expiresInHours must be between 1 and " + MAX_INVITATION_HOURS);
    }
    String code = Secrets.token(24);
    HttpReplies.respond(ctx, 201, bus.request(Address.ADMIN_INVITATION_CREATE, new AdminCommands.CreateInvitation(acting(ctx),
            Secrets.sha256(code), (int) maxUses, Instant.now().plus(Duration.ofHours(hours)).toString()))
        .map(reply -> reply.toJson().put("code", code).put("url", urls.of(ctx.request(), "/#invite=" + code))));
  }

  private void invitations(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_INVITATIONS, asking(ctx)).map(AdminCommands.Invitations::toJson));
  }

  private void revokeInvitation(RoutingContext ctx) {
    HttpReplies.noContent(ctx,
        bus.request(Address.ADMIN_INVITATION_REVOKE, new AdminCommands.RevokeInvitation(acting(ctx), id(ctx))));
  }

  // ---- Conversations, bots and shares ------------------------------------------------------

  /** Every conversation, to find one to export (an admin may export any: {@code /api/conversations/{id}/export}). */
  private void conversations(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "");
    if (q.length() > 64) {
      throw Failure.invalid("q", "q must be at most 64 characters");
    }
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_CONVERSATIONS, new AdminCommands.ListConversations(HttpReplies.userId(ctx), q,
            Json.limit(ctx.request().getParam("limit")), ctx.request().getParam("cursor")))
        .map(AdminCommands.ConversationsPage::toJson));
  }

  private void bots(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_BOTS, asking(ctx)).map(AdminCommands.Bots::toJson));
  }

  private void revokeBot(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.ADMIN_BOT_REVOKE, new AdminCommands.RevokeBot(acting(ctx), id(ctx))));
  }

  private void shares(RoutingContext ctx) {
    String cursor = ctx.request().getParam("cursor");
    Json.queryLong(cursor, "cursor");
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_SHARES,
            new AdminCommands.ListShares(HttpReplies.userId(ctx), Json.limit(ctx.request().getParam("limit")), cursor))
        .map(page -> {
          // A share from before tokens were kept (V5) has none to link to.
          page.shares().stream().map(JsonObject.class::cast).filter(s -> s.getString("token") != null)
              .forEach(s -> s.put("url", urls.of(ctx.request(), "/s/" + s.getString("token"))));
          return page.toJson();
        }));
  }

  private void revokeShare(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.ADMIN_SHARE_REVOKE, new AdminCommands.RevokeShare(acting(ctx), id(ctx))));
  }

  // ---- The server ----------------------------------------------------------------------------------

  /** The store's status (which also checks the caller is an admin), the nodes and the last hour's series. */
  private void server(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_STORE, asking(ctx))
        .map(store -> store.toJson().put("nodes", nodes.nodes()).put("series", nodes.series())));
  }

  private void backup(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, bus.request(Address.ADMIN_BACKUP, acting(ctx)).map(AdminCommands.BackupReply::toJson));
  }

  private void audit(RoutingContext ctx) {
    String actor = ctx.request().getParam("actor");
    String action = ctx.request().getParam("action");
    String cursor = ctx.request().getParam("cursor");
    if (actor != null && !ID.matcher(actor).matches()) {
      throw Failure.invalid("actor", "actor must be a user id");
    }
    if (action != null && !action.matches("[a-z_.]{1,64}")) {
      throw Failure.invalid("action", "action must be an action name or a prefix ending in a dot");
    }
    Json.queryLong(cursor, "cursor");
    HttpReplies.ok(ctx, bus.request(Address.ADMIN_AUDIT, new AdminCommands.ListAudit(HttpReplies.userId(ctx), actor, action,
            Json.limit(ctx.request().getParam("limit")), cursor))
        .map(AdminCommands.AuditPage::toJson));
  }

  // ---- Shared steps ----------------------------------------------------------------------------------

  /** A command that only reads: who asks. */
  private static AdminCommands.Asking asking(RoutingContext ctx) {
    return new AdminCommands.Asking(HttpReplies.userId(ctx));
  }

  /** A command that changes something: who asks, and from where, for the audit log. */
  private AdminCommands.Acting acting(RoutingContext ctx) {
    return new AdminCommands.Acting(HttpReplies.userId(ctx), forwarded.clientAddress(ctx.request()));
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw Failure.notFound("id");
    }
    return id;
  }
}
