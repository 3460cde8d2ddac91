package dev.parley.store;

import dev.parley.config.ConfigLoader;
import dev.parley.config.ParleyConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Online backups of a SQLite store, and their restore. A backup is a folder
 * {@code <backups>/parley-<UTC time>/} holding
 *
 * <pre>
 *   parley.db     a consistent snapshot, written by SQLite's VACUUM INTO on a connection of its own
 *   jwt-secret    the key that signs tokens, if the data folder keeps it
 *   media/…       the media files present when the snapshot was taken (not uploads in progress)
 *   backup.json   time, version, schema version, message count, last event id
 * </pre>
 *
 * <p>VACUUM INTO reads one snapshot of the WAL database, so the store keeps writing meanwhile;
 * the media files are copied after it, so every file the snapshot names is there (they never
 * change once written). The folder is made under a temporary name and renamed when complete: a
 * folder named {@code parley-…} is always a whole backup. {@code search.db} and {@code keys.db}
 * are not kept: a store rebuilds both from {@code parley.db} at start.
 *
 * <p>Everything here blocks: the store runs it on a worker ({@link BackupSchedule}), the
 * {@code backup} and {@code restore} commands on the main thread.
 */
public final class Backup {
  /** A finished backup's folder name. */
  static final Pattern FINISHED = Pattern.compile("parley-\\d{8}T\\d{6}\\.\\d{3}Z");
  private static final String PARTIAL_PREFIX = ".partial-parley-";
  /** A temporary folder this old is left over from a backup that died: prune deletes it. */
  private static final Duration STALE_PARTIAL = Duration.ofHours(6);
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private Backup() {
  }

  /** A finished backup: its folder, its size in bytes, how long it took, and its backup.json. */
  public record Result(Path path, long bytes, long millis, JsonObject info) {
  }

  /**
   * Takes a backup of the store in {@code dataDir} (its {@code parley.db} and {@code jwt-secret})
   * and of {@code mediaDir} (null or missing: none) into a new folder under {@code backups}.
   */
  public static Result take(Path dataDir, Path mediaDir, Path backups) throws IOException, SQLException {
    long started = System.nanoTime();
    Path db = dataDir.toAbsolutePath().resolve("parley.db");
    if (!Files.isRegularFile(db)) {
      throw new IllegalArgumentException("no SQLite store at " + db);
    }
    Files.createDirectories(backups);
    Instant now = Instant.now();
    String name = "parley-" + NAME.format(now);
    Path finished = backups.resolve(name);
    while (Files.exists(finished)) {
      now = now.plusMillis(1);
      name = "parley-" + NAME.format(now);
      finished = backups.resolve(name);
    }
    Path partial = backups.resolve(PARTIAL_PREFIX + name.substring("parley-".length()));
    Files.createDirectory(partial);
    try {
      Path copy = partial.resolve("parley.db");
      // Read-only: a backup never writes to the live file (VACUUM INTO opens its target for writing itself).
      try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1&busy_timeout=5000");
           Statement s = source.createStatement()) {
        s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
      }
      JsonObject info = describe(copy).put("time", now.toString()).put("source", dataDir.toAbsolutePath().toString())
          .put("version", version());
      Path secret = dataDir.toAbsolutePath().resolve("jwt-secret");
      if (Files.isRegularFile(secret)) {
        copyPrivate(secret, partial.resolve("jwt-secret"));
        info.put("jwtSecret", true);
      }
      long mediaFiles = mediaDir == null ? 0 : copyMedia(mediaDir.toAbsolutePath(), partial.resolve("media"));
      info.put("mediaFiles", mediaFiles);
      Files.writeString(partial.resolve("backup.json"), info.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(partial, finished, StandardCopyOption.ATOMIC_MOVE);
      long bytes = size(finished);
      long millis = (System.nanoTime() - started) / 1_000_000;
      return new Result(finished, bytes, millis, info);
    } catch (IOException | SQLException | RuntimeException e) {
      deleteTree(partial);
      throw e;
    }
  }

  /** What backup.json tells of the copy, read from the copy itself. */
  private static JsonObject describe(Path copy) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy + "?open_mode=1");
         Statement s = c.createStatement()) {
      JsonObject info = new JsonObject();
      try (ResultSet r = s.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
        info.put("schemaVersion", r.next() ? r.getLong(1) : null);
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM messages")) {
        info.put("messages", r.next() ? r.getLong(1) : 0L);
      }
      // As StoreState.load counts: the bus's event ids also number joins and conversation activity.
      try (ResultSet r = s.executeQuery("SELECT MAX(COALESCE((SELECT MAX(event_id) FROM messages), 0),"
          + " COALESCE((SELECT MAX(joined_seq) FROM members), 0), COALESCE((SELECT MAX(activity_id) FROM conversations), 0))")) {
        info.put("lastEventId", r.next() ? r.getLong(1) : 0L);
      }
      return info;
    }
  }

  private static String version() {
    String v = Backup.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Copies the media files present now; skips uploads in progress. Returns how many. */
  private static long copyMedia(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return 0;
    }
    Files.createDirectories(to);
    long n = 0;
    Path uploads = from.resolve("uploads");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.filter(p -> !p.startsWith(uploads) && Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".part"))
          .toList();
    }
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      Files.createDirectories(target.getParent());
      try {
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        n++;
      } catch (java.nio.file.NoSuchFileException gone) {
        // swept meanwhile: an unreferenced file, which the snapshot does not need
      }
    }
    return n;
  }

  private static void copyPrivate(Path from, Path to) throws IOException {
    try {
      Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(to);
    }
    Files.write(to, Files.readAllBytes(from));
  }

  /** Deletes the oldest finished backups beyond {@code keep}, and temporary folders left by a backup that died. */
  public static List<Path> prune(Path backups, int keep) throws IOException {
    List<Path> deleted = new ArrayList<>();
    if (!Files.isDirectory(backups)) {
      return deleted;
    }
    List<Path> done = finished(backups);
    for (int i = 0; i < done.size() - keep; i++) {
      deleteTree(done.get(i));
      deleted.add(done.get(i));
    }
    try (Stream<Path> list = Files.list(backups)) {
      for (Path p : list.filter(p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX)).toList()) {
        FileTime modified = Files.getLastModifiedTime(p);
        if (modified.toInstant().isBefore(Instant.now().minus(STALE_PARTIAL))) {
          deleteTree(p);
          deleted.add(p);
        }
      }
    }
    return deleted;
  }

  /** The finished backups under {@code backups}, oldest first. */
  public static List<Path> finished(Path backups) throws IOException {
    if (!Files.isDirectory(backups)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(backups)) {
      return list.filter(p -> FINISHED.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  /**
   * Copies the backup {@code backup} into {@code dataDir}, which must be empty or missing, and its
   * media into {@code mediaDir} (null: {@code <dataDir>/media}), which must be too. parley.db comes
   * last, under a temporary name renamed when whole.
   */
  public static void restore(Path backup, Path dataDir, Path mediaDir) throws IOException {
    Path db = backup.resolve("parley.db");
    if (!Files.isRegularFile(db) || !Files.isRegularFile(backup.resolve("backup.json"))) {
      throw new IllegalArgumentException(backup + " is not a Parley backup (it has no parley.db and backup.json)");
    }
    Path media = mediaDir == null ? dataDir.resolve("media") : mediaDir;
    refuseIfNotEmpty(dataDir);
    if (mediaDir != null) {
      refuseIfNotEmpty(mediaDir);
    }
    Files.createDirectories(dataDir);
    if (Files.isRegularFile(backup.resolve("jwt-secret"))) {
      copyPrivate(backup.resolve("jwt-secret"), dataDir.resolve("jwt-secret"));
    }
    if (Files.isDirectory(backup.resolve("media"))) {
      copyMedia(backup.resolve("media"), media);
    }
    Path partial = dataDir.resolve("parley.db.restoring");
    Files.copy(db, partial);
    Files.move(partial, dataDir.resolve("parley.db"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Thrown when the target folder of a restore holds anything. */
  public static final class NotEmpty extends IllegalStateException {
    NotEmpty(String message) {
      super(message);
    }
  }

  private static void refuseIfNotEmpty(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new NotEmpty(dir + " is not a folder");
    }
    try (Stream<Path> list = Files.list(dir)) {
      if (list.findAny().isPresent()) {
        throw new NotEmpty(dir + " is not empty: restore only into an empty (or new) data folder, so that nothing"
            + " of another store is mixed in or lost. Move it aside, or give another --data folder");
      }
    }
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- the commands ----------------------------------------------------------------------------

  /**
   * {@code backup [--data <dir>] [--to <dir>]}: the folders default to the configuration's
   * ({@code conf/config.json}, {@code PARLEY_*}): {@code store.dataDir}, {@code media.dir},
   * {@code ops.backup.dir}. Safe while the server runs.
   */
  public static int backupCommand(String[] args, Map<String, String> env) {
    Map<String, String> options;
    try {
      options = options(args, "--data", "--to", "--media");
    } catch (IllegalArgumentException e) {
      return usage("backup", e.getMessage());
    }
    JsonObject config = ConfigLoader.load(new String[0], env);
    String dataDir = options.getOrDefault("--data", config.getJsonObject("store").getString("dataDir", "data"));
    config.getJsonObject("store").put("dataDir", dataDir);
    ParleyConfig typed = ParleyConfig.from(config);
    if (typed.store().postgres() != null && !options.containsKey("--data")) {
      System.err.println("backup: this store is in PostgreSQL (" + typed.store().postgres().display()
          + "): back it up with pg_dump or PostgreSQL's point-in-time recovery (docs/deploy.md)");
      return 2;
    }
    String media = options.getOrDefault("--media", typed.media().dir());
    String to = options.getOrDefault("--to",
        ParleyConfig.backup(config.getJsonObject("ops", new JsonObject()).getJsonObject("backup", new JsonObject()), dataDir).dir());
    try {
      Result r = take(Path.of(dataDir), Path.of(media), Path.of(to));
      System.out.printf("backup: %s (%,d bytes, %d messages, last event id %d) in %d ms%n", r.path(), r.bytes(),
          r.info().getLong("messages"), r.info().getLong("lastEventId"), r.millis());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("backup: " + e.getMessage());
      return 2;
    } catch (IOException | SQLException | UncheckedIOException e) {
      System.err.println("backup: failed, no backup was made: " + e.getMessage());
      return 1;
    }
  }

  /** {@code restore <backup folder> [--data <dir>] [--media <dir>]}: into an empty data folder only (else exit 2). */
  public static int restoreCommand(String[] args, Map<String, String> env) {
    if (args.length == 0 || args[0].startsWith("--")) {
      return usage("restore", "which backup? give its folder");
    }
    Map<String, String> options;
    try {
      options = options(java.util.Arrays.copyOfRange(args, 1, args.length), "--data", "--media");
    } catch (IllegalArgumentException e) {
      return usage("restore", e.getMessage());
    }
    JsonObject config = ConfigLoader.load(new String[0], env);
    String dataDir = options.getOrDefault("--data", config.getJsonObject("store").getString("dataDir", "data"));
    String configuredMedia = config.getJsonObject("media", new JsonObject()).getString("dir");
    String media = options.getOrDefault("--media", configuredMedia == null || configuredMedia.isBlank() ? null : configuredMedia);
    try {
      restore(Path.of(args[0]), Path.of(dataDir), media == null ? null : Path.of(media));
      System.out.println("restored " + args[0] + " into " + dataDir + (media == null ? "" : " (media into " + media + ")")
          + ". Start the server on this data folder; it rebuilds the search index and the idempotency keys.");
      return 0;
    } catch (NotEmpty | IllegalArgumentException e) {
      System.err.println("restore: " + e.getMessage());
      return 2;
    } catch (IOException | UncheckedIOException e) {
      System.err.println("restore: failed: " + e.getMessage());
      return 1;
    }
  }

  private static Map<String, String> options(String[] args, String... known) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!List.of(known).contains(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(i + 1 >= args.length && List.of(known).contains(args[i])
            ? args[i] + " needs a value" : "unknown option " + args[i]);
      }
      options.put(args[i], args[++i]);
    }
    return options;
  }

  private static int usage(String command, String problem) {
    System.err.println(command + ": " + problem + "\nusage: java -jar parley.jar backup [--data <dir>] [--to <dir>] [--media <dir>]"
        + "\n       java -jar parley.jar restore <backup folder> [--data <dir>] [--media <dir>]");
    return 2;
  }
}
