package dev.parley.config;

import dev.parley.auth.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the node's configuration, each layer overriding the one before: the defaults shipped in
 * the jar, {@code conf/config.json} (Vert.x's default location) when present, the file or inline
 * JSON given with {@code -conf}, then {@code PARLEY_*} environment variables. Runs in {@code main}
 * before Vert.x starts, so its file I/O blocks no event loop.
 */
public final class ConfigLoader {
  /** Environment variable → JSON path, and how its text is read. */
  private record Env(String name, String path, Kind kind) {
  }

  private enum Kind { STRING, INT, BOOL, LIST }

  private static final List<Env> ENV = List.of(
      new Env("PARLEY_NODE_ID", "node.id", Kind.STRING),
      new Env("PARLEY_ROLES", "node.roles", Kind.LIST),
      new Env("PARLEY_HTTP_HOST", "http.host", Kind.STRING),
      new Env("PARLEY_HTTP_PORT", "http.port", Kind.INT),
      new Env("PARLEY_HTTP_INSTANCES", "http.instances", Kind.INT),
      new Env("PARLEY_WEBROOT", "http.webroot", Kind.STRING),
      new Env("PARLEY_ALLOWED_ORIGINS", "http.allowedOrigins", Kind.LIST),
      new Env("PARLEY_PUBLIC_URL", "http.publicUrl", Kind.STRING),
      new Env("PARLEY_TRUSTED_PROXIES", "http.trustedProxies", Kind.LIST),
      new Env("PARLEY_PROXY_PROTOCOL", "http.proxyProtocol", Kind.BOOL),
      new Env("PARLEY_DATA_DIR", "store.dataDir", Kind.STRING),
      new Env("PARLEY_DATABASE_URL", "store.database", Kind.STRING),
      new Env("PARLEY_DATABASE_HOST", "store.postgres.host", Kind.STRING),
      new Env("PARLEY_DATABASE_PORT", "store.postgres.port", Kind.INT),
      new Env("PARLEY_DATABASE_NAME", "store.postgres.name", Kind.STRING),
      new Env("PARLEY_DATABASE_USER", "store.postgres.user", Kind.STRING),
      new Env("PARLEY_DATABASE_PASSWORD", "store.postgres.password", Kind.STRING),
      new Env("PARLEY_DATABASE_SSLMODE", "store.postgres.sslMode", Kind.STRING),
      new Env("PARLEY_JWT_SECRET", "auth.jwtSecret", Kind.STRING),
      new Env("PARLEY_JWT_ALGORITHM", "auth.jwtAlgorithm", Kind.STRING),
      new Env("PARLEY_JWT_PRIVATE_KEY_FILE", "auth.jwtPrivateKeyFile", Kind.STRING),
      new Env("PARLEY_JWT_PUBLIC_KEY_FILE", "auth.jwtPublicKeyFile", Kind.STRING),
      new Env("PARLEY_ACCESS_TOKEN_SECONDS", "auth.accessTokenSeconds", Kind.INT),
      new Env("PARLEY_REFRESH_TOKEN_DAYS", "auth.refreshTokenDays", Kind.INT),
      new Env("PARLEY_ADMINS", "auth.admins", Kind.LIST),
      new Env("PARLEY_REGISTRATION", "auth.registration", Kind.STRING),
      new Env("PARLEY_LOGIN_ATTEMPTS_PER_MINUTE", "auth.rateLimit.attemptsPerMinute", Kind.INT),
      new Env("PARLEY_BUS_TIMEOUT_MS", "bus.requestTimeoutMs", Kind.INT),
      new Env("PARLEY_PING_SECONDS", "push.pingSeconds", Kind.INT),
      new Env("PARLEY_BRIDGE_TCP_PORT", "bridge.tcpPort", Kind.INT),
      new Env("PARLEY_BRIDGE_TCP_HOST", "bridge.tcpHost", Kind.STRING),
      new Env("PARLEY_METRICS", "metrics.enabled", Kind.BOOL),
      new Env("PARLEY_MEDIA_DIR", "media.dir", Kind.STRING),
      new Env("PARLEY_MEDIA_MAX_UPLOAD_BYTES", "media.maxUploadBytes", Kind.INT),
      new Env("PARLEY_MEDIA_WORKERS", "media.workers", Kind.INT),
      new Env("PARLEY_CLUSTER", "cluster.enabled", Kind.BOOL),
      new Env("PARLEY_CLUSTER_HOST", "cluster.host", Kind.STRING),
      new Env("PARLEY_CLUSTER_PORT", "cluster.port", Kind.INT),
      new Env("PARLEY_CLUSTER_MEMBERS", "cluster.members", Kind.LIST),
      new Env("PARLEY_CLUSTER_MULTICAST", "cluster.multicast", Kind.BOOL),
      new Env("PARLEY_CLUSTER_BUS_PORT", "cluster.busPort", Kind.INT),
      new Env("PARLEY_CLUSTER_CONFIG", "cluster.configFile", Kind.STRING),
      new Env("PARLEY_WEB_PUSH_SUBJECT", "webPush.subject", Kind.STRING),
      new Env("PARLEY_VAPID_PUBLIC_KEY", "webPush.vapidPublicKey", Kind.STRING),
      new Env("PARLEY_VAPID_PRIVATE_KEY", "webPush.vapidPrivateKey", Kind.STRING),
      new Env("PARLEY_BACKUP_DIR", "ops.backup.dir", Kind.STRING),
      new Env("PARLEY_BACKUP_INTERVAL_MINUTES", "ops.backup.intervalMinutes", Kind.INT),
      new Env("PARLEY_BACKUP_KEEP", "ops.backup.keep", Kind.INT));

  private ConfigLoader() {
  }

  /** The merged configuration for a node started with {@code args}, reading {@code env}. */
  public static JsonObject load(String[] args, Map<String, String> env) {
    JsonObject config = classpathDefaults();
    Path conventional = Path.of("conf", "config.json");
    if (Files.isRegularFile(conventional)) {
      merge(config, readFile(conventional));
    }
    for (int i = 0; i < args.length; i++) {
      if (("-conf".equals(args[i]) || "--conf".equals(args[i])) && i + 1 < args.length) {
        String value = args[++i].trim();
        merge(config, value.startsWith("{") ? new JsonObject(value) : readFile(Path.of(value)));
      }
    }
    applyEnv(config, env);
    return config;
  }

  public static JsonObject classpathDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/parley-defaults.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fills in what a node derives on first start: a node id, and the JWT signing secret, which is
   * generated once and kept in the data directory (readable by the owner only) unless configured.
   * A clustered node without the store role keeps no secret of its own: it takes the store's at
   * start (see {@code Node}), so every node signs and checks tokens with the same key.
   */
  public static JsonObject resolve(JsonObject config) {
    JsonObject node = config.getJsonObject("node");
    if (node.getString("id") == null) {
      node.put("id", "node-" + UUID.randomUUID().toString().substring(0, 8));
    }
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

  private static JsonObject readFile(Path path) {
    try {
      return new JsonObject(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration " + path, e);
    }
  }

  /** Deep merge: objects merge key by key, anything else replaces. */
  static void merge(JsonObject target, JsonObject source) {
    for (Map.Entry<String, Object> entry : source) {
      Object existing = target.getValue(entry.getKey());
      if (existing instanceof JsonObject into && entry.getValue() instanceof JsonObject from) {
        merge(into, from);
      } else {
        target.put(entry.getKey(), entry.getValue());
      }
    }
  }

  private static void applyEnv(JsonObject config, Map<String, String> env) {
    for (Env e : ENV) {
      String raw = env.get(e.name());
      if (raw == null || raw.isBlank()) {
        continue;
      }
      Object value = switch (e.kind()) {
        case STRING -> raw.trim();
        case INT -> parseInt(e.name(), raw);
        case BOOL -> Boolean.parseBoolean(raw.trim());
        case LIST -> new JsonArray(List.of(raw.trim().split("\\s*,\\s*")));
      };
      String[] keys = e.path().split("\\.");
      JsonObject at = config;
      for (int i = 0; i < keys.length - 1; i++) {
        JsonObject next = at.getJsonObject(keys[i]);
        if (next == null) {
          next = new JsonObject();
          at.put(keys[i], next);
        }
        at = next;
      }
      at.put(keys[keys.length - 1], value);
    }
  }

  private static int parseInt(String name, String raw) {
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + raw + "'");
    }
  }
}
