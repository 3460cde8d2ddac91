package dev.parley.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The key that signs access tokens, put into a node's configuration before it starts: the
 * configured {@code auth.jwtSecret}, or for RS256 / ES256 the PEM files' contents, or else a secret
 * generated once and kept in the data directory (readable by the owner only). A clustered node
 * without the store role keeps no secret of its own: it takes the store's at start (see
 * {@code Node}), so every node signs and checks tokens with the same key.
 */
public final class SigningKeys {
  private SigningKeys() {
  }

  /** Fills in {@code auth.jwtSecret} or the PEM keys; refuses a configuration that cannot work. */
  public static JsonObject resolve(JsonObject config) {
    JsonObject node = config.getJsonObject("node");
    JsonObject auth = config.getJsonObject("auth");
    JsonObject cluster = config.getJsonObject("cluster", new JsonObject());
    boolean store = node.getJsonArray("roles", new JsonArray()).contains("store");
    boolean fromStore = cluster.getBoolean("enabled", false) && !store;
    String algorithm = auth.getString("jwtAlgorithm", "HS256");
    if (!algorithm.startsWith("HS")) {
      // RS256 / ES256: a key pair the operator made, in PEM files every node is given.
      auth.put("jwtPrivateKeyPem", pem(auth, "jwtPrivateKeyFile", algorithm));
      auth.put("jwtPublicKeyPem", pem(auth, "jwtPublicKeyFile", algorithm));
      return config;
    }
    boolean sharedStore = store && config.getJsonObject("store").getValue("database") != null
        || store && config.getJsonObject("store").getJsonObject("postgres", new JsonObject()).getString("host") != null;
    if (auth.getString("jwtSecret") == null && cluster.getBoolean("enabled", false) && sharedStore) {
      // Any store node may become the active one, and the cluster takes its key from whichever is:
      // a key kept in one node's data folder would sign everyone out at a takeover.
      throw new IllegalArgumentException("a clustered store on PostgreSQL needs auth.jwtSecret (PARLEY_JWT_SECRET), "
          + "the same on every store node, so that tokens outlive a store takeover");
    }
    if (auth.getString("jwtSecret") == null && !fromStore) {
      Path dataDir = Path.of(config.getJsonObject("store").getString("dataDir"));
      auth.put("jwtSecret", keptSecret(dataDir.resolve("jwt-secret")));
    }
    return config;
  }

  private static String pem(JsonObject auth, String key, String algorithm) {
    String file = auth.getString(key);
    if (file == null) {
      throw new IllegalArgumentException("auth.jwtAlgorithm " + algorithm + " needs auth." + key + " (a PEM file)");
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read auth." + key + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static String keptSecret(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(file.getParent());
      String secret = Secrets.token(48);
      try {
        // Created owner-only from the start, so the secret is never readable by others.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT secret at " + file, e);
    }
  }
}
