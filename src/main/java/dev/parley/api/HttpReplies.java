package dev.parley.api;

import dev.parley.http.HttpFront;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers shared by the route classes: the caller, the JSON body, and the answer. */
final class HttpReplies {
  static final String USER_ID = "parley.userId";
  /** The caller's sign-in (refresh family) when a person's access token authenticated the request; else absent. */
  static final String FAMILY_ID = "parley.familyId";

  private HttpReplies() {
  }

  static String userId(RoutingContext ctx) {
    return ctx.get(USER_ID);
  }

  /** The request body as a JSON object; anything else is a 400. */
  static JsonObject body(RoutingContext ctx) {
    try {
      Object parsed = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
      if (parsed == null) {
        throw Failure.invalid(null, "a JSON object body is required");
      }
      return (JsonObject) parsed;
    } catch (DecodeException | ClassCastException e) {
      throw Failure.invalid(null, "the body is not a JSON object");
    }
  }

  /** Answers with the future's JSON and {@code status}, or with the contract's error. */
  static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        HttpFront.error(ctx, Failure.from(ar.cause()));
      } else if (!ctx.response().closed()) {
        ctx.response().setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(ar.result().encode());
      }
    });
  }

  static void ok(RoutingContext ctx, Future<JsonObject> result) {
    respond(ctx, 200, result);
  }

  /** 204 once the future succeeds. */
  static void noContent(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        HttpFront.error(ctx, Failure.from(ar.cause()));
      } else if (!ctx.response().closed()) {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  /** Runs a handler, turning a thrown validation {@link Failure} into its error answer. */
  static Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        HttpFront.error(ctx, Failure.from(e));
      }
    };
  }
}
