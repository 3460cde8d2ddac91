package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.http.Forwarded;
import dev.parley.http.HttpFront;
import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Incoming webhooks (issue 20). Members manage them under
 * {@code /api/conversations/{id}/webhooks}; an integration posts to the webhook's URL,
 * {@code POST /api/hooks/{secret}}, without any other credential: the secret (256 random bits,
 * shown once in the URL, kept by the store only as its SHA-256) is the capability. The body is
 * Slack's ({@link SlackPayload}), as JSON or as a form with a {@code payload} field. An
 * {@code Idempotency-Key} header makes a retry answer the first message instead of posting again.
 */
final class WebhookRoutes {
  /** What {@link Secrets#token(int)} makes of 32 bytes. Anything else cannot be a secret. */
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern WEBHOOK_ID = Pattern.compile("w[A-Za-z0-9_-]{16}");
  /** Visible ASCII, as the header is commonly made of (a UUID, a CI job id, a commit hash). */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  /** A post's body: a Slack message is small; Alertmanager's many alerts fit well within. */
  static final long MAX_BODY = 256 * 1024;

  private final Bus bus;
  private final PublicUrls urls;
  private final long bodyLimit;

  WebhookRoutes(Bus bus, String publicUrl, Forwarded forwarded, long bodyLimit) {
    this.bus = bus;
    this.urls = new PublicUrls(publicUrl, forwarded);
    this.bodyLimit = Math.min(bodyLimit, MAX_BODY);
  }

  /** A post to a hook reads its own body (JSON or a form), so the api's JSON body handler lets it by. */
  static boolean isHook(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.POST && ctx.normalizedPath().startsWith("/api/hooks/");
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.post("/api/conversations/:id/webhooks").handler(authn).handler(HttpReplies.guarded(this::create));
    router.get("/api/conversations/:id/webhooks").handler(authn).handler(HttpReplies.guarded(this::list));
    router.delete("/api/conversations/:id/webhooks/:webhookId").handler(authn).handler(HttpReplies.guarded(this::revoke));
    router.post("/api/hooks/:secret").handler(this::receive);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String name = Json.requiredString(body, "name").strip();
    if (name.isEmpty() || name.codePointCount(0, name.length()) > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw Failure.invalid("name", "name must be 1-64 characters without control characters");
    }
    String avatar = Json.string(body, "avatarMediaId");
    String secret = Secrets.token(32);
    String url = urls.of(ctx.request(), "/api/hooks/" + secret);
    HttpReplies.respond(ctx, 201, bus.request(Address.WEBHOOK_CREATE, new BotCommands.CreateWebhook(HttpReplies.userId(ctx),
            ctx.pathParam("id"), name, avatar, Secrets.sha256(secret)))
        .map(created -> {
          JsonObject json = created.toJson();
          json.getJsonObject("webhook").put("url", url);
          return json;
        }));
  }

  private void list(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.WEBHOOK_LIST, ConversationRoutes.caller(ctx)).map(BotCommands.WebhookList::toJson));
  }

  private void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("webhookId");
    if (!WEBHOOK_ID.matcher(id).matches()) {
      throw Failure.notFound("webhook");
    }
    HttpReplies.noContent(ctx, bus.request(Address.WEBHOOK_REVOKE,
        new BotCommands.RevokeWebhook(HttpReplies.userId(ctx), ctx.pathParam("id"), id)));
  }

  /** Public: reads the body (bounded), then posts. */
  private void receive(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > bodyLimit) {
      HttpFront.error(ctx, new Failure(ErrorCode.TOO_LARGE, "a webhook post is at most " + bodyLimit + " bytes"));
      return;
    }
    request.pause();
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > bodyLimit) {
        refused[0] = true;
        HttpFront.error(ctx, new Failure(ErrorCode.TOO_LARGE, "a webhook post is at most " + bodyLimit + " bytes"));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> refused[0] = true);
    request.endHandler(v -> {
      if (!refused[0]) {
        HttpReplies.guarded(c -> post(c, body)).handle(ctx);
      }
    });
    request.resume();
  }

  private void post(RoutingContext ctx, Buffer raw) {
    String secret = ctx.pathParam("secret");
    if (!SECRET.matcher(secret).matches()) {
      throw Failure.notFound("webhook");
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_HEADER);
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw Failure.invalid(IDEMPOTENCY_HEADER, IDEMPOTENCY_HEADER + " must be 1-200 visible ASCII characters");
    }
    SlackPayload.Post post = SlackPayload.parse(json(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), raw));
    // The store's idempotent send applies: a key names one message of this webhook's sender.
    String clientId = "wh:" + (key == null ? Secrets.token(18) : Secrets.sha256(key).substring(0, 40));
    bus.request(Address.WEBHOOK_POST,
            new BotCommands.PostToWebhook(Secrets.sha256(secret), post.text(), post.username(), clientId))
        .onComplete(ar -> {
          if (ar.failed()) {
            HttpFront.error(ctx, Failure.from(ar.cause()));
            return;
          }
          boolean created = ar.result().created();
          // "ok": Slack's answer, which Grafana's Slack contact point looks for.
          HttpReplies.respond(ctx, created ? 201 : 200, Future.succeededFuture(new JsonObject()
              .put("ok", true).put("created", created).put("message", ar.result().message())));
        });
  }

  /**
   * The body as a JSON object: JSON, or a form ({@code application/x-www-form-urlencoded}) whose
   * {@code payload} field holds the JSON, as Slack's clients send it. A form body that is itself
   * JSON ({@code curl -d '{…}'} without a Content-Type) is taken as JSON.
   */
  static JsonObject json(String contentType, Buffer raw) {
    String text = raw.toString(StandardCharsets.UTF_8);
    boolean form = contentType != null
        && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    if (form && !text.stripLeading().startsWith("{")) {
      text = formField(text, "payload");
      if (text == null) {
        throw Failure.invalid("payload", "a form post needs a payload field holding the JSON message");
      }
    }
    if (text.isBlank()) {
      throw Failure.invalid(null, "a JSON object body is required");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw Failure.invalid(null, "the body is not a JSON object");
    }
  }

  private static String formField(String body, String name) {
    try {
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        if (key.equals(name)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    } catch (IllegalArgumentException e) {
      throw Failure.invalid(null, "the form body is not URL-encoded");
    }
  }
}
