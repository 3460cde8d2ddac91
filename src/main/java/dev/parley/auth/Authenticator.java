package dev.parley.auth;

import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;

/**
 * Who a bearer token belongs to: a user's short-lived access token (a JWT, checked here) or a
 * bot's long-lived token (a random string with a recognisable prefix, checked by the store
 * against the SHA-256 it keeps). Used by the REST API and by the event-bus bridges.
 */
public final class Authenticator {
  /** Bot tokens start with this, so they can be told from JWTs and found by secret scanners. */
  public static final String BOT_PREFIX = "parley_bot_";
  private static final int MAX_BOT_TOKEN = 128;

  private final AccessTokens accessTokens;
  private final Bus bus;
  private final DisabledAccounts disabled;

  public Authenticator(AccessTokens accessTokens, Bus bus, DisabledAccounts disabled) {
    this.accessTokens = accessTokens;
    this.bus = bus;
    this.disabled = disabled;
  }

  /** A new bot token: the prefix and 256 random bits. Shown once; only its hash is stored. */
  public static String newBotToken() {
    return BOT_PREFIX + Secrets.token(32);
  }

  public static boolean isBotToken(String token) {
    return token != null && token.startsWith(BOT_PREFIX);
  }

  /** The user id behind a token, or a 401 {@link Failure} (a 503 when the store cannot be asked). */
  public Future<String> verify(String token) {
    return principal(token).map(Principal::userId);
  }

  /** The user and, for a person's access token, the sign-in behind a token; failures as {@link #verify}. */
  public Future<Principal> principal(String token) {
    if (!isBotToken(token)) {
      return accessTokens.principal(token).compose(principal -> disabled.contains(principal.userId())
          ? Failure.future(ErrorCode.FORBIDDEN, DisabledAccounts.REFUSAL)
          : Future.succeededFuture(principal));
    }
    if (token.length() > MAX_BOT_TOKEN) {
      return Failure.future(ErrorCode.UNAUTHORIZED, "invalid or revoked bot token");
    }
    return bus.request(Address.BOT_AUTHENTICATE, new BotCommands.Authenticate(Secrets.sha256(token)))
        .map(reply -> new Principal(reply.userId(), null, 0));
  }
}
