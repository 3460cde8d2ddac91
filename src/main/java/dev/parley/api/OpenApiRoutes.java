package dev.parley.api;

import dev.parley.auth.Secrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/openapi.json}: the API as an OpenAPI 3.1 document (docs/openapi.json, packed into
 * the jar as {@code parley/openapi.json}), so anyone can generate a client in their language from a
 * running server. Public like the API's description in the repository, and the same for every
 * caller, so caches may keep it.
 */
final class OpenApiRoutes {
  /** Where the pom puts docs/openapi.json on the classpath. */
  static final String RESOURCE = "parley/openapi.json";

  private final Buffer document;
  private final String etag;

  private OpenApiRoutes(Buffer document) {
    this.document = document;
    this.etag = "\"" + Secrets.sha256(document.toString()).substring(0, 16) + "\"";
  }

  /**
   * Reads the document once, off the event loop (Vert.x's file system finds it on the classpath,
   * in the jar too), then mounts the route; a node whose jar lacks it does not start.
   */
  static Future<Void> mount(Vertx vertx, Router router) {
    return vertx.fileSystem().readFile(RESOURCE).map(document -> {
      OpenApiRoutes routes = new OpenApiRoutes(document);
      router.get("/api/openapi.json").handler(routes::serve);
      return null;
    });
  }

  private void serve(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
        .putHeader(HttpHeaders.ETAG, etag);
    if (etag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(document);
  }
}
