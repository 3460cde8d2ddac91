package dev.parley.api;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Authenticator;
import dev.parley.auth.Principal;
import dev.parley.http.HttpFront;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Requires {@code Authorization: Bearer <token>}, a user's access token or a bot's token, and
 * puts the caller's id in the context. The {@link #orQueryToken} variant also takes
 * {@code ?access_token=}, for the media GETs that a browser makes from {@code <img src>} and
 * {@code <audio src>}, which cannot carry a header.
 */
final class BearerAuth implements Handler<RoutingContext> {
  private final Authenticator authenticator;
  private final boolean queryToken;

  BearerAuth(Authenticator authenticator) {
    this(authenticator, false);
  }

  private BearerAuth(Authenticator authenticator, boolean queryToken) {
    this.authenticator = authenticator;
    this.queryToken = queryToken;
  }

  BearerAuth orQueryToken() {
    return new BearerAuth(authenticator, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    principal(ctx)
        .onSuccess(principal -> {
          ctx.put(HttpReplies.USER_ID, principal.userId());
          ctx.put(HttpReplies.FAMILY_ID, principal.familyId());
          ctx.next();
        })
        .onFailure(cause -> HttpFront.error(ctx, Failure.from(cause)));
  }

  /** The caller's user id, or a 401 {@link Failure}; for handlers that must check it themselves. */
  Future<String> user(RoutingContext ctx) {
    return principal(ctx).map(Principal::userId);
  }

  private Future<Principal> principal(RoutingContext ctx) {
    String token = AccessTokens.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null && queryToken) {
      token = ctx.request().getParam("access_token");
    }
    return authenticator.principal(token);
  }
}
