package dev.parley.auth;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Signs and verifies the short-lived JWT access tokens ({@code sub} = user id): HS256/384/512 with
 * a shared secret, or RS256 / ES256 with a key pair ({@code auth.jwtAlgorithm}, docs/configuration.md).
 * The key always comes from configuration (never a constant): without one vertx-auth-jwt would
 * accept unsigned {@code alg: none} tokens, so a missing key refuses to construct. Only the
 * configured algorithm verifies. A token without {@code exp} is refused too, because
 * vertx-auth-jwt would accept it forever.
 */
public final class AccessTokens {
  private static final String TYPE_CLAIM = "typ";
  /** The refresh-token family an access token was issued under: its sign-in, ended by signing out. */
  private static final String FAMILY_CLAIM = "fam";
  private static final String ACCESS = "access";

  private final JWTAuth jwt;
  private final String algorithm;
  private final int lifetimeSeconds;

  public AccessTokens(Vertx vertx, ParleyConfig.Auth auth) {
    this.algorithm = auth.jwtAlgorithm();
    this.lifetimeSeconds = auth.accessTokenSeconds();
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setLeeway(5));
    switch (algorithm) {
      case "HS256", "HS384", "HS512" -> {
        if (auth.jwtSecret() == null || auth.jwtSecret().length() < 32) {
          throw new IllegalArgumentException("auth.jwtSecret must be at least 32 characters");
        }
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(auth.jwtSecret()));
      }
      case "RS256", "ES256" -> {
        if (auth.jwtPrivateKeyPem() == null || auth.jwtPublicKeyPem() == null) {
          throw new IllegalArgumentException(algorithm + " needs auth.jwtPrivateKeyFile and auth.jwtPublicKeyFile");
        }
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(auth.jwtPrivateKeyPem()))
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(auth.jwtPublicKeyPem()));
      }
      default -> throw new IllegalArgumentException("auth.jwtAlgorithm must be HS256, HS384, HS512, RS256 or ES256");
    }
    this.jwt = JWTAuth.create(vertx, options);
  }

  public int lifetimeSeconds() {
    return lifetimeSeconds;
  }

  /** An access token for {@code userId}, naming the refresh-token family of the sign-in ({@code fam}). */
  public String issue(String userId, String familyId) {
    JsonObject claims = new JsonObject().put(TYPE_CLAIM, ACCESS);
    if (familyId != null) {
      claims.put(FAMILY_CLAIM, familyId);
    }
    return jwt.generateToken(claims,
        new JWTOptions().setAlgorithm(algorithm).setSubject(userId).setExpiresInSeconds(lifetimeSeconds));
  }

  /** The user id of a valid access token, or a 401 {@link Failure}. */
  public Future<String> verify(String token) {
    return principal(token).map(Principal::userId);
  }

  /** The user and sign-in of a valid access token, or a 401 {@link Failure}. */
  public Future<Principal> principal(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return Failure.future(ErrorCode.UNAUTHORIZED, "a valid access token is required");
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(cause -> Failure.future(ErrorCode.UNAUTHORIZED, "invalid or expired access token"))
        .compose(user -> {
          // vertx-auth keeps the decoded payload, exp and iat included, under attributes.accessToken
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          String subject = claims.getString("sub");
          if (!claims.containsKey("exp") || subject == null || !ACCESS.equals(claims.getString(TYPE_CLAIM))) {
            return Failure.future(ErrorCode.UNAUTHORIZED, "invalid or expired access token");
          }
          return Future.succeededFuture(new Principal(subject, claims.getString(FAMILY_CLAIM), claims.getLong("exp") * 1000));
        });
  }

  /** The token of an {@code Authorization: Bearer …} header, or null. */
  public static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }
}
