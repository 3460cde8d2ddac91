package dev.parley.api;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Passwords;
import dev.parley.auth.Secrets;
import dev.parley.shared.Address;
import dev.parley.shared.AdminCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.RateLimits;
import dev.parley.shared.UserCommands;
import dev.parley.http.Forwarded;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code /api/auth/*}: register, login, refresh (rotating), logout. */
final class AuthRoutes {
  /** An address may try this many times as many logins as one username from it (a shared office NAT). */
  private static final int LOGINS_PER_ADDRESS_FACTOR = 10;
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
  private static final String BAD_CREDENTIALS = "invalid username or password";

  private final Bus bus;
  /** Who the client is behind a trusted proxy: the limits key on it, never on the proxy. */
  private final Forwarded forwarded;
  private final AccessTokens tokens;
  private final Passwords passwords;
  private final RateLimits limits;
  /**
   * Login attempts per address whatever the username: each attempt costs an Argon2 hash (a decoy
   * one for unknown names), so fresh usernames must not buy an address unlimited hashing.
   */
  private final RateLimits loginsPerAddress;
  private final long refreshLifetimeMs;

  AuthRoutes(Bus bus, AccessTokens tokens, Passwords passwords, RateLimits limits, int refreshTokenDays,
             Forwarded forwarded) {
    this.bus = bus;
    this.forwarded = forwarded;
    this.tokens = tokens;
    this.passwords = passwords;
    this.limits = limits;
    this.loginsPerAddress = limits.times(LOGINS_PER_ADDRESS_FACTOR);
    this.refreshLifetimeMs = Duration.ofDays(refreshTokenDays).toMillis();
  }

  void mount(Router router, BearerAuth authn) {
    router.post("/api/me/password").handler(authn).handler(HttpReplies.guarded(this::changePassword));
    router.post("/api/auth/register").handler(HttpReplies.guarded(this::register));
    router.post("/api/auth/login").handler(HttpReplies.guarded(this::login));
    router.post("/api/auth/refresh").handler(HttpReplies.guarded(this::refresh));
    router.post("/api/auth/logout").handler(HttpReplies.guarded(this::logout));
    router.get("/api/auth/registration").handler(HttpReplies.guarded(this::registration));
    router.post("/api/auth/password-reset").handler(HttpReplies.guarded(this::resetPassword));
  }

  /** Usernames are case-insensitive: {@code Abc} is {@code abc}. */
  static String username(JsonObject body) {
    String username = Json.requiredString(body, "username").trim().toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(username).matches()) {
      throw Failure.invalid("username", "username must be 3-32 characters of a-z, 0-9, _ . -");
    }
    return username;
  }

  static String displayName(JsonObject body, String fallback) {
    String name = Json.string(body, "displayName");
    if (name == null) {
      return fallback;
    }
    name = name.strip();
    if (name.isEmpty() || name.codePointCount(0, name.length()) > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw Failure.invalid("displayName", "displayName must be 1-64 characters without control characters");
    }
    return name;
  }

  /** A password being chosen (at registration, a change, a reset): 8–256 characters, or a 400 naming {@code field}. */
  private static String newPassword(JsonObject body, String field) {
    String password = Json.requiredString(body, field);
    if (password.length() < 8 || password.length() > 256) {
      throw Failure.invalid(field, "password must be 8-256 characters");
    }
    return password;
  }

  private void register(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String username = username(body);
    String password = newPassword(body, "password");
    String displayName = displayName(body, username);
    String inviteCode = Json.string(body, "inviteCode");
    if (inviteCode != null && inviteCode.length() > 128) {
      throw Failure.invalid("inviteCode", "inviteCode is not one this server gave out");
    }
    throttle(ctx, limits, "register:" + forwarded.clientAddress(ctx.request()));
    HttpReplies.respond(ctx, 201, passwords.hash(password).compose(hash -> bus.request(Address.USER_CREATE,
        new UserCommands.Create(username, hash, displayName, inviteCode == null ? null : Secrets.sha256(inviteCode)))
        .map(UserCommands.UserReply::toJson)));
  }

  /** {@code GET /api/auth/registration}: who may register now, so a sign-up form knows what to ask. */
  private void registration(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.REGISTRATION, BusBody.Empty.INSTANCE).map(AdminCommands.RegistrationNow::toJson));
  }

  /**
   * {@code POST /api/auth/password-reset {token, newPassword}}: the holder of an admin's one-time
   * link chooses a new password; every sign-in of the account ends. Limited per address like a login.
   */
  private void resetPassword(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String token = Json.requiredString(body, "token");
    String next = newPassword(body, "newPassword");
    if (token.length() > 128) {
      throw Failure.invalid("token", "this link is not valid any more");
    }
    throttle(ctx, limits, "reset:" + forwarded.clientAddress(ctx.request()));
    HttpReplies.noContent(ctx, passwords.hash(next).compose(hash -> bus.request(Address.PASSWORD_RESET,
        new AdminCommands.ResetPassword(Secrets.sha256(token), hash))));
  }

  private void login(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String username = Json.requiredString(body, "username").trim().toLowerCase(Locale.ROOT);
    String password = Json.requiredString(body, "password");
    if (password.length() > 256 || username.length() > 64) {
      throw new Failure(ErrorCode.UNAUTHORIZED, BAD_CREDENTIALS);
    }
    String address = forwarded.clientAddress(ctx.request());
    throttle(ctx, loginsPerAddress, address);
    throttle(ctx, limits, "login:" + address + ":" + username);
    Future<JsonObject> session = bus.request(Address.USER_CREDENTIALS, new UserCommands.Credentials(username))
        .recover(cause -> Failure.from(cause).code() == ErrorCode.NOT_FOUND
            ? Future.succeededFuture(new UserCommands.CredentialsReply(null, null, false))
            : Future.failedFuture(cause))
        .compose(found -> passwords.verify(password, found.passwordHash()).compose(ok -> !ok
            ? Failure.future(ErrorCode.UNAUTHORIZED, BAD_CREDENTIALS)
            // Said only to whoever knows the password: it tells the person why, and a guesser nothing.
            : found.disabled()
            ? Failure.future(ErrorCode.FORBIDDEN, "this account is disabled; ask an administrator")
            : Future.succeededFuture(found.userId())))
        .compose(userId -> {
          String refresh = Secrets.token(32);
          String family = Secrets.token(12);
          return bus.request(Address.TOKEN_ISSUE, new UserCommands.IssueToken(userId, family, Secrets.sha256(refresh),
                  System.currentTimeMillis() + refreshLifetimeMs))
              .compose(v -> session(userId, family, refresh));
        });
    HttpReplies.ok(ctx, session);
  }

  /**
   * {@code POST /api/me/password {currentPassword, newPassword}}: the current password checked like
   * a login (and limited like one), then every other sign-in of the user ends, its open streams
   * with it; the sign-in that made the change goes on.
   */
  private void changePassword(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    String current = Json.requiredString(body, "currentPassword");
    String next = newPassword(body, "newPassword");
    String userId = HttpReplies.userId(ctx);
    throttle(ctx, limits, "password:" + userId);
    HttpReplies.noContent(ctx, bus.request(Address.USER_GET, UserCommands.Get.self(userId))
        .compose(found -> bus.request(Address.USER_CREDENTIALS, new UserCommands.Credentials(found.user().getString("username"))))
        .recover(cause -> Failure.from(cause).code() == ErrorCode.NOT_FOUND
            ? Failure.future(ErrorCode.FORBIDDEN, "this account has no password") : Future.failedFuture(cause))
        .compose(found -> current.length() > 256 ? Future.succeededFuture(false)
            : passwords.verify(current, found.passwordHash()))
        .compose(ok -> ok ? passwords.hash(next)
            : Failure.future(ErrorCode.FORBIDDEN, "the current password is not right"))
        .compose(hash -> bus.request(Address.USER_PASSWORD,
            new UserCommands.ChangePassword(userId, hash, ctx.<String>get(HttpReplies.FAMILY_ID)))));
  }

  private void refresh(RoutingContext ctx) {
    String presented = Json.requiredString(HttpReplies.body(ctx), "refreshToken");
    String next = Secrets.token(32);
    HttpReplies.ok(ctx, bus.request(Address.TOKEN_ROTATE, new UserCommands.RotateToken(Secrets.sha256(presented),
            Secrets.sha256(next), System.currentTimeMillis() + refreshLifetimeMs))
        .compose(rotated -> session(rotated.userId(), rotated.familyId(), next)));
  }

  private void logout(RoutingContext ctx) {
    String presented = Json.requiredString(HttpReplies.body(ctx), "refreshToken");
    HttpReplies.noContent(ctx, bus.request(Address.TOKEN_REVOKE, new UserCommands.RevokeToken(Secrets.sha256(presented))));
  }

  private Future<JsonObject> session(String userId, String familyId, String refreshToken) {
    return bus.request(Address.USER_GET, UserCommands.Get.self(userId))
        .map(found -> new JsonObject()
            .put("accessToken", tokens.issue(userId, familyId))
            .put("refreshToken", refreshToken)
            .put("expiresIn", tokens.lifetimeSeconds())
            .put("tokenType", "Bearer")
            .put("user", found.user()));
  }

  private static void throttle(RoutingContext ctx, RateLimits limits, String key) {
    long wait = limits.tryTake(key);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf(wait));
      throw new Failure(ErrorCode.RATE_LIMITED, "too many attempts, try again in " + wait + " s");
    }
  }
}
