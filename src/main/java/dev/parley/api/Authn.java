package dev.parley.api;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Authenticator;
import dev.parley.http.HttpFront;
import dev.parley.shared.Failure;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Requires {@code Authorization: Bearer <token>}, a user's access token or a bot's token, and
 * puts the caller's id in the context.
 */
final class Authn implements Handler<RoutingContext> {
  private final Authenticator authenticator;

  Authn(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticator.verify(AccessTokens.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)))
        .onSuccess(userId -> {
          ctx.put(Http.USER_ID, userId);
          ctx.next();
        })
        .onFailure(cause -> HttpFront.error(ctx, Failure.from(cause)));
  }

}
