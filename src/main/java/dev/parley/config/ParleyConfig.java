package dev.parley.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The node's configuration as typed records, read from the merged JSON that {@link ConfigLoader}
 * builds. Every verticle is deployed with the whole JSON and reads its own section through this
 * class, so the JSON shape is written down once. docs/configuration.md documents each key.
 */
public record ParleyConfig(
    String nodeId,
    Set<String> roles,
    Http http,
    Auth auth,
    Store store,
    Push push,
    Bridge bridge,
    long busTimeoutMs,
    boolean metrics,
    int eventLoops,
    Cluster cluster,
    String memberId,
    Media media,
    Limits limits,
    WebPush webPush,
    OutgoingWebhooks outgoingWebhooks,
    Backup backup,
    NodeStatus nodeStatus,
    Export export,
    Retention retention) {

  /**
   * Each node's report to the admin page ({@code ops.status}): sent every {@code reportSeconds},
   * with counters sampled every {@code sampleSeconds} (an hour of samples is kept).
   */
  public record NodeStatus(long reportSeconds, long sampleSeconds) {
  }

  /**
   * Conversation exports (a ZIP streamed to a member): {@code maxBytes} bounds what one export holds
   * (its entries' bytes, uncompressed) and {@code maxMessages} how many messages; past either the
   * archive ends early with {@code TRUNCATED.txt}. {@code maxConcurrent}: exports running at once
   * on this node (the threads of its pool {@code parley-export}); {@code perHour}: exports one user
   * may start per hour (the store counts, cluster-wide; 0: no limit); {@code ticketSeconds}: how
   * long a one-time download link stays valid.
   */
  public record Export(long maxBytes, long maxMessages, int maxConcurrent, int perHour, int ticketSeconds) {
  }

  /**
   * Message retention ({@code retention}): {@code defaultDays}, how long a conversation without a
   * setting of its own keeps its messages (0, from null or 0 in the JSON: forever);
   * {@code sweepIntervalSeconds}, how often the store looks for expired messages; {@code batchSize},
   * the most messages one write job of the sweep deletes.
   */
  public record Retention(int defaultDays, long sweepIntervalSeconds, int batchSize) {
    /** The longest retention a conversation may have, in days (100 years). */
    public static final int MAX_DAYS = 36_500;
  }

  /**
   * Scheduled backups of a SQLite store ({@code ops.backup}): {@code dir} (default
   * {@code <dataDir>/backups}); {@code intervalSeconds} from {@code intervalMinutes}, or from
   * {@code intervalSeconds} when that is set (tests), 0 = off; {@code keep}: how many finished
   * backups stay (older ones are deleted).
   */
  public record Backup(String dir, long intervalSeconds, int keep) {
    public boolean scheduled() {
      return intervalSeconds > 0;
    }
  }

  /**
   * Outgoing webhooks: a bot's events POSTed to its owner's endpoint. {@code enabled}: whether this
   * node's api role mounts the routes and runs a deliverer; {@code allowPrivateEndpoints}: lets
   * plain http and private, loopback or link-local addresses through (tests and closed networks
   * only); {@code requestTimeoutMs}: connect plus the whole answer; {@code maxRetryMs}: how long an
   * event may keep failing before the webhook is paused (from {@code maxRetryHours}, default 24);
   * {@code retryBaseMs}: the first retry's wait, doubled each time up to {@code retryMaxDelayMs};
   * {@code pollIntervalMs}: how often a deliverer asks the store for bots with events waiting.
   */
  public record OutgoingWebhooks(boolean enabled, boolean allowPrivateEndpoints, long requestTimeoutMs,
                                 long maxRetryMs, long retryBaseMs, long retryMaxDelayMs, long pollIntervalMs) {
  }

  /**
   * Web Push to browsers and installed apps with no live connection. {@code subject}: the
   * operator's contact the push services see ({@code mailto:} or {@code https:}; by default
   * {@code http.publicUrl} when it is https); {@code vapidPublicKey}/{@code vapidPrivateKey}:
   * base64url keys (uncompressed point, raw scalar) if the operator brings them, else the store
   * generates a pair once and keeps it in its database; {@code unreadDelayMs}: how long a message
   * may stay unread by a member who is connected somewhere before their devices are pushed too (0:
   * only members with no connection); {@code allowPrivateEndpoints}: lets endpoints on private,
   * loopback or plain-http addresses through (tests and closed networks only).
   */
  public record WebPush(boolean enabled, String subject, String vapidPublicKey, String vapidPrivateKey,
                        long unreadDelayMs, int ttlSeconds, int maxAttempts, long requestTimeoutMs,
                        boolean allowPrivateEndpoints) {
  }

  /**
   * What one user may do per minute, whichever node they reach (the store counts): messages,
   * changes to messages (edits, reactions, recalls), typing notices, uploads, share links. 0: no
   * limit. Each may come in a burst of a quarter of its minute's worth.
   */
  public record Limits(int messagesPerMinute, int changesPerMinute, int typingPerMinute, int uploadsPerMinute,
                       int sharesPerMinute) {
  }

  /**
   * {@code trustedProxies}: CIDR ranges whose forwarded headers are believed (none by default);
   * {@code proxyProtocol}: the listener expects HAProxy's PROXY protocol header on every connection.
   */
  public record Http(String host, int port, int instances, String webroot, long bodyLimitBytes,
                     List<String> allowedOrigins, String publicUrl, List<String> trustedProxies, boolean proxyProtocol) {
  }

  /**
   * {@code jwtSecret} signs HS* tokens; RS256/ES256 tokens are signed with {@code jwtPrivateKeyPem}
   * and checked with {@code jwtPublicKeyPem}, which {@link ConfigLoader} reads from the configured files.
   */
  public record Auth(String jwtAlgorithm, String jwtSecret, String jwtPrivateKeyPem, String jwtPublicKeyPem,
                     int accessTokenSeconds, int refreshTokenDays,
                     int argon2MemoryKiB, int argon2Iterations, int argon2Parallelism, int attemptsPerMinute,
                     int hashingThreads, int hashingQueue, List<String> admins, String registration) {
    /** Who may register: anyone, nobody, or whoever holds an invitation (an admin's setting wins once made). */
    public static final List<String> REGISTRATION_MODES = List.of("open", "closed", "invite");

    public Auth {
      if (!REGISTRATION_MODES.contains(registration)) {
        throw new IllegalArgumentException("auth.registration must be open, closed or invite, not " + registration);
      }
      admins = admins.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty()).toList();
    }

    public boolean asymmetric() {
      return !jwtAlgorithm.startsWith("HS");
    }
  }

  /**
   * {@code postgres} is null for the embedded SQLite store under {@code dataDir}; set (from
   * {@code store.database}, a {@code postgresql://} URL, and the {@code store.postgres.*} keys,
   * which win), the store keeps its data in that PostgreSQL database instead.
   */
  public record Store(String dataDir, int readPoolSize, int batchMaxSize, long batchLingerMs, long receiptsCoalesceMs,
                      long searchLingerMs, long clientKeysLingerMs, Postgres postgres) {
  }

  /**
   * Where a PostgreSQL store's database is, who the store signs in as, and {@code sslMode}
   * (libpq's words: {@code disable}, {@code prefer}, {@code require}, {@code verify-ca},
   * {@code verify-full}; null is {@code disable}).
   */
  public record Postgres(String host, int port, String database, String user, String password, String sslMode) {
    /** Flyway's and migrate-store's pgjdbc URL (without credentials). */
    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database + (sslMode == null ? "" : "?sslmode=" + sslMode);
    }

    /** A URL to show in logs and /health: no password. */
    public String display() {
      return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }

    /**
     * Reads {@code postgresql://user:password@host:port/database}, then lets the separate keys
     * (host, port, name, user, password) override its parts. Null when neither says anything.
     */
    public static Postgres from(String url, JsonObject keys) {
      if ((url == null || url.isBlank()) && (keys == null || keys.getString("host") == null)) {
        return null;
      }
      String host = "localhost";
      int port = 5432;
      String database = "parley";
      String user = null;
      String password = null;
      String sslMode = null;
      if (url != null && !url.isBlank()) {
        URI uri = URI.create(url.trim());
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
          throw new IllegalArgumentException("store.database must be a postgresql:// URL, not " + uri.getScheme() + ":");
        }
        host = uri.getHost() == null ? host : uri.getHost();
        port = uri.getPort() < 0 ? port : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        database = path.isEmpty() ? database : path;
        String info = uri.getRawUserInfo();
        if (info != null) {
          int colon = info.indexOf(':');
          user = decode(colon < 0 ? info : info.substring(0, colon));
          password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        for (String parameter : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
          if (parameter.startsWith("sslmode=")) {
            sslMode = decode(parameter.substring("sslmode=".length()));
          }
        }
      }
      JsonObject k = keys == null ? new JsonObject() : keys;
      sslMode = k.getString("sslMode", sslMode);
      if (sslMode != null && !List.of("disable", "prefer", "require", "verify-ca", "verify-full").contains(sslMode)) {
        throw new IllegalArgumentException("the database's sslmode must be disable, prefer, require, verify-ca or verify-full, not "
            + sslMode);
      }
      return new Postgres(k.getString("host", host), k.getInteger("port", port), k.getString("name", database),
          k.getString("user", user), k.getString("password", password), sslMode);
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return display();
    }
  }

  /**
   * {@code writeQueueMaxBytes}: past it a connection loses its ephemeral events;
   * {@code writeQueueCloseBytes}: past it (never below the first bound) the connection is closed.
   */
  public record Push(int pingSeconds, int replayLimit, int maxFrameBytes, int writeQueueMaxBytes, int writeQueueCloseBytes) {
  }

  /**
   * Uploads and the media verticle. {@code dir} is where the bytes live (a folder every node with
   * the api or media role sees at the same path); {@code fileTypes} names the document types
   * accepted beside images and voice.
   */
  public record Media(String dir, long maxUploadBytes, long maxPixels, int workers, long processTimeoutMs,
                      List<String> fileTypes, long unreferencedMaxAgeSeconds, long cleanupIntervalSeconds) {
  }

  /** The event-bus bridges: SockJS on the HTTP port always, TCP on {@code tcpPort} when it is not 0. */
  public record Bridge(int tcpPort, String tcpHost, int tcpIdleTimeoutSeconds, int replayLimit, int maxFrameBytes,
                       int writeQueueMaxBytes) {
  }

  /**
   * Clustering: off by default. {@code host} is the interface both Hazelcast and the event-bus
   * transport bind to; {@code members} the TCP-IP seed list ({@code host:port}); {@code multicast}
   * replaces that list with multicast discovery; {@code busPort} 0 picks a free port.
   */
  public record Cluster(boolean enabled, String host, int port, List<String> members, boolean multicast,
                        int busPort, String configFile) {
  }

  /**
   * The typed configuration of {@code given} laid over {@code parley-defaults.json}: every key's
   * default is written there and nowhere else, so nothing here falls back to a number of its own.
   */
  public static ParleyConfig from(JsonObject given) {
    JsonObject json = ConfigLoader.classpathDefaults();
    ConfigLoader.merge(json, given);
    JsonObject node = section(json, "node");
    JsonObject http = section(json, "http");
    JsonObject auth = section(json, "auth");
    JsonObject argon2 = auth.getJsonObject("argon2", new JsonObject());
    JsonObject store = section(json, "store");
    JsonObject push = section(json, "push");
    JsonObject bridge = section(json, "bridge");
    Set<String> roles = new LinkedHashSet<>();
    node.getJsonArray("roles", new JsonArray()).forEach(role -> roles.add(role.toString().trim()));
    return new ParleyConfig(
        node.getString("id"),
        roles,
        new Http(http.getString("host"), http.getInteger("port"), http.getInteger("instances"),
            http.getString("webroot"), http.getLong("bodyLimitBytes"),
            strings(http.getJsonArray("allowedOrigins")), http.getString("publicUrl"),
            strings(http.getJsonArray("trustedProxies")), http.getBoolean("proxyProtocol")),
        new Auth(auth.getString("jwtAlgorithm"), auth.getString("jwtSecret"),
            auth.getString("jwtPrivateKeyPem"), auth.getString("jwtPublicKeyPem"),
            auth.getInteger("accessTokenSeconds"), auth.getInteger("refreshTokenDays"),
            argon2.getInteger("memoryKiB"), argon2.getInteger("iterations"),
            argon2.getInteger("parallelism"),
            auth.getJsonObject("rateLimit").getInteger("attemptsPerMinute"),
            // null (the default) is one thread per core: a number the defaults file cannot know.
            Math.max(1, argon2.getInteger("threads") == null ? Runtime.getRuntime().availableProcessors() : argon2.getInteger("threads")),
            Math.max(1, argon2.getInteger("queue")),
            strings(auth.getJsonArray("admins")), auth.getString("registration")),
        new Store(store.getString("dataDir"), store.getInteger("readPoolSize"),
            store.getInteger("batchMaxSize"), store.getLong("batchLingerMs"),
            store.getLong("receiptsCoalesceMs"), store.getLong("searchLingerMs"),
            Math.max(1, store.getLong("clientKeysLingerMs")),
            Postgres.from(store.getString("database"), store.getJsonObject("postgres"))),
        new Push(push.getInteger("pingSeconds"), push.getInteger("replayLimit"),
            push.getInteger("maxFrameBytes"), push.getInteger("writeQueueMaxBytes"),
            push.getInteger("writeQueueCloseBytes")),
        new Bridge(bridge.getInteger("tcpPort"), bridge.getString("tcpHost"),
            bridge.getInteger("tcpIdleTimeoutSeconds"), bridge.getInteger("replayLimit"),
            bridge.getInteger("maxFrameBytes"), bridge.getInteger("writeQueueMaxBytes")),
        section(json, "bus").getLong("requestTimeoutMs"),
        section(json, "metrics").getBoolean("enabled"),
        node.getInteger("eventLoops"),
        cluster(section(json, "cluster")),
        node.getString("memberId", node.getString("id")),
        media(section(json, "media"), store.getString("dataDir")),
        limits(section(json, "limits")),
        webPush(section(json, "webPush"), http.getString("publicUrl")),
        outgoingWebhooks(section(json, "outgoingWebhooks")),
        backup(section(json, "ops").getJsonObject("backup", new JsonObject()), store.getString("dataDir")),
        nodeStatus(section(json, "ops").getJsonObject("status", new JsonObject())),
        export(section(json, "export")),
        retention(section(json, "retention")));
  }

  private static Export export(JsonObject e) {
    return new Export(Math.max(1, e.getLong("maxBytes")), Math.max(1, e.getLong("maxMessages")),
        Math.max(1, e.getInteger("maxConcurrent")), Math.max(0, e.getInteger("perHour")),
        Math.min(3600, Math.max(5, e.getInteger("ticketSeconds"))));
  }

  private static Retention retention(JsonObject r) {
    Object days = r.getValue("defaultDays");
    if (days != null && (!(days instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0
        || n.intValue() > Retention.MAX_DAYS)) {
      throw new IllegalArgumentException("retention.defaultDays must be null or a whole number of days from 0 (forever) to "
          + Retention.MAX_DAYS + ", not " + days);
    }
    return new Retention(days == null ? 0 : ((Number) days).intValue(), Math.max(1, r.getLong("sweepIntervalSeconds")),
        Math.min(10_000, Math.max(1, r.getInteger("batchSize"))));
  }

  private static NodeStatus nodeStatus(JsonObject s) {
    return new NodeStatus(Math.max(1, s.getLong("reportSeconds")), Math.max(1, s.getLong("sampleSeconds")));
  }

  /** {@code ops.backup} read on its own (the {@code backup} command reads it without a whole node's configuration). */
  public static Backup backup(JsonObject b, String dataDir) {
    String dir = b.getString("dir");
    long seconds = b.getLong("intervalSeconds") > 0 ? b.getLong("intervalSeconds")
        : Math.max(0, b.getLong("intervalMinutes")) * 60;
    return new Backup(dir == null || dir.isBlank() ? Path.of(dataDir, "backups").toString() : dir,
        seconds, Math.max(1, b.getInteger("keep")));
  }

  private static OutgoingWebhooks outgoingWebhooks(JsonObject o) {
    Number hours = (Number) o.getValue("maxRetryHours");
    return new OutgoingWebhooks(o.getBoolean("enabled"), o.getBoolean("allowPrivateEndpoints"),
        Math.max(100, o.getLong("requestTimeoutMs")),
        Math.max(1_000L, (long) (hours.doubleValue() * 3_600_000)),
        Math.max(10, o.getLong("retryBaseMs")), Math.max(10, o.getLong("retryMaxDelayMs")),
        Math.min(10_000, Math.max(10, o.getLong("pollIntervalMs"))));
  }

  private static WebPush webPush(JsonObject w, String publicUrl) {
    String subject = w.getString("subject");
    if (subject == null || subject.isBlank()) {
      subject = publicUrl != null && publicUrl.startsWith("https://") ? publicUrl : "mailto:parley@localhost";
    }
    return new WebPush(w.getBoolean("enabled"), subject, w.getString("vapidPublicKey"),
        w.getString("vapidPrivateKey"), Math.max(0, w.getLong("unreadDelayMs")),
        Math.max(60, w.getInteger("ttlSeconds")), Math.min(20, Math.max(1, w.getInteger("maxAttempts"))),
        Math.max(1_000, w.getLong("requestTimeoutMs")), w.getBoolean("allowPrivateEndpoints"));
  }

  private static Limits limits(JsonObject l) {
    return new Limits(l.getInteger("messagesPerMinute"), l.getInteger("changesPerMinute"),
        l.getInteger("typingPerMinute"), l.getInteger("uploadsPerMinute"), l.getInteger("sharesPerMinute"));
  }

  private static Cluster cluster(JsonObject c) {
    return new Cluster(c.getBoolean("enabled"), c.getString("host"), c.getInteger("port"),
        strings(c.getJsonArray("members")), c.getBoolean("multicast"), c.getInteger("busPort"),
        c.getString("configFile"));
  }

  private static Media media(JsonObject media, String dataDir) {
    String dir = media.getString("dir");
    JsonObject cleanup = media.getJsonObject("cleanup", new JsonObject());
    return new Media(dir == null || dir.isBlank() ? Path.of(dataDir, "media").toString() : dir,
        media.getLong("maxUploadBytes"), media.getLong("maxPixels"),
        Math.max(1, media.getInteger("workers")), media.getLong("processTimeoutMs"),
        media.containsKey("fileTypes") ? strings(media.getJsonArray("fileTypes")) : List.of("pdf", "zip", "text"),
        cleanup.getLong("unreferencedMaxAgeSeconds"), Math.max(1, cleanup.getLong("intervalSeconds")));
  }

  private static JsonObject section(JsonObject json, String name) {
    JsonObject section = json.getJsonObject(name);
    return section == null ? new JsonObject() : section;
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(Object::toString).toList();
  }
}
