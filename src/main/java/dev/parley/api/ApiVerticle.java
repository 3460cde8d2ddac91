package dev.parley.api;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Authenticator;
import dev.parley.auth.DisabledAccounts;
import dev.parley.auth.Passwords;
import dev.parley.config.ParleyConfig;
import dev.parley.http.HttpFront;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaFiles;
import dev.parley.shared.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The REST API ({@code /api/**} except the push endpoints), its OpenAPI document and the share
 * page {@code /s/{token}}. Stateless: every handler validates its input, asks the store over the
 * bus and maps the reply or failure to HTTP. Several
 * instances share the node's port (see {@link HttpFront}).
 *
 * <p>Sends the {@code store.*} commands of {@link dev.parley.shared.Address} and {@code media.ingest}
 * (uploads); consumes nothing.
 */
public final class ApiVerticle extends VerticleBase {
  /** Routes are mounted once per node, whichever instance starts first. */
  private static final String MOUNTED = "parley.api.mounted";

  @Override
  public Future<?> start() {
    ParleyConfig config = ParleyConfig.from(config());
    HttpFront front = HttpFront.of(vertx, config);
    Future<Void> mounted = Future.succeededFuture();
    if (vertx.sharedData().getLocalMap(MOUNTED).putIfAbsent("routes", true) == null) {
      mounted = Future.all(mount(front, config), OpenApiRoutes.mount(vertx, front.router())).mapEmpty();
    }
    return mounted.compose(v -> front.listen(vertx));
  }

  /** The API speaks JSON; a form body would be parsed (and size-limited) as form fields instead. */
  private static boolean isForm(String contentType) {
    return contentType != null && (contentType.startsWith("application/x-www-form-urlencoded")
        || contentType.startsWith("multipart/"));
  }

  /** Mounts every route; completes once the event consumers they need are registered. */
  private Future<Void> mount(HttpFront front, ParleyConfig config) {
    Router router = front.router();
    Bus bus = new Bus(vertx, config.busTimeoutMs());
    AccessTokens tokens = new AccessTokens(vertx, config.auth());
    Passwords passwords = new Passwords(vertx, config.auth().argon2MemoryKiB(), config.auth().argon2Iterations(),
        config.auth().argon2Parallelism(), config.auth().hashingThreads(), config.auth().hashingQueue());
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().bodyLimitBytes());
    // Not a method-restricted route: that would turn a GET of an unknown /api path into a 405.
    router.route("/api/*").handler(ctx -> {
      HttpMethod method = ctx.request().method();
      if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
          || MediaRoutes.isUpload(ctx) || WebhookRoutes.isHook(ctx)) {
        ctx.next();
      } else if (isForm(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
        HttpFront.error(ctx, new Failure(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send JSON with Content-Type: application/json"));
      } else {
        body.handle(ctx);
      }
    });
    DisabledAccounts disabled = DisabledAccounts.watch(vertx, bus, userId -> {
    });
    BearerAuth authn = new BearerAuth(new Authenticator(tokens, bus, disabled));
    new AuthRoutes(bus, tokens, passwords, new RateLimits(config.auth().attemptsPerMinute()),
        config.auth().refreshTokenDays(), front.forwarded()).mount(router, authn);
    new UserRoutes(bus).mount(router, authn);
    new ConversationRoutes(bus).mount(router, authn);
    new MessageRoutes(bus).mount(router, authn);
    MediaFiles mediaFiles = new MediaFiles(config.media().dir());
    MediaRoutes media = new MediaRoutes(vertx, bus, new Bus(vertx, config.media().processTimeoutMs()), mediaFiles,
        config.media().maxUploadBytes());
    media.mount(router, authn);
    new ShareRoutes(bus, media, config.http().publicUrl(), front.forwarded()).mount(router, authn);
    new ExportRoutes(vertx, bus, mediaFiles, config.export(), config.http().publicUrl(), front.forwarded()).mount(router, authn);
    new BotRoutes(bus).mount(router, authn);
    new WebhookRoutes(bus, config.http().publicUrl(), front.forwarded(), config.http().bodyLimitBytes()).mount(router, authn);
    new PushSubscriptionRoutes(bus, config.webPush()).mount(router, authn);
    if (config.outgoingWebhooks().enabled()) {
      new OutgoingWebhookRoutes(bus, config.outgoingWebhooks()).mount(router, authn);
    }
    AdminRoutes admin = new AdminRoutes(vertx, bus, config.http().publicUrl(), front.forwarded());
    admin.mount(router, authn);
    return Future.all(disabled.ready(), admin.ready()).mapEmpty();
  }
}
