package dev.parley.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
      new Env("PARLEY_BACKUP_KEEP", "ops.backup.keep", Kind.INT),
      new Env("PARLEY_RETENTION_DAYS", "retention.defaultDays", Kind.INT));

  private static final JsonObject DEFAULTS = readDefaults();

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

  /** A fresh copy of {@code parley-defaults.json}: every setting's default, and the only place one is written. */
  public static JsonObject classpathDefaults() {
    return DEFAULTS.copy();
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/parley-defaults.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fills in what a node derives on first start: a node id. (The token signing key is
   * {@code auth.SigningKeys}'s to fill in.)
   */
  public static JsonObject resolve(JsonObject config) {
    JsonObject node = config.getJsonObject("node");
    if (node.getString("id") == null) {
      node.put("id", "node-" + UUID.randomUUID().toString().substring(0, 8));
    }
    return config;
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
