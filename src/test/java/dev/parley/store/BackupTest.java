package dev.parley.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backups of a SQLite store while it serves: a backup taken while messages keep coming, restored
 * into an empty folder, gives a node whose history is a consistent prefix of what was
 * acknowledged, whose users and tokens still work, whose media open, and which rebuilt its search
 * index and idempotency keys (search.db and keys.db are not in a backup). A restore into a folder
 * that holds anything is refused; the schedule runs and keeps the newest N.
 */
@Tag("slow")
@ExtendWith(VertxExtension.class)
class BackupTest {
  @Test
  void aBackupTakenWhileMessagesFlowRestoresAConsistentPrefix(Vertx vertx) throws Exception {
    TestNode node = TestNode.start(c -> c.getJsonObject("store").putNull("database"));
    Api api = new Api(vertx, node.port());
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    String group = api.group(alice, "backups", bob);
    Uploads uploads = new Uploads(api);
    byte[] png = Samples.png(Samples.halves(64, 32));
    String mediaId = uploads.upload(alice.token(), "cat.png", "image/png", png).json().getJsonObject("media").getString("id");
    Reply picture = api.post("/api/conversations/" + group + "/messages", alice.token(), new JsonObject()
        .put("clientId", "picture-1").put("type", "image").put("mediaId", mediaId).put("text", "our cat"));
    assertEquals(201, picture.status(), picture.raw());
    Reply keyed = api.post("/api/conversations/" + direct + "/messages", bob.token(), new JsonObject()
        .put("clientId", "keyed-1").put("type", "text").put("text", "a findable zebra"));
    assertEquals(201, keyed.status(), keyed.raw());

    // Acknowledged message id → when its answer came (System.nanoTime).
    Map<Long, Long> acked = new ConcurrentHashMap<>();
    acked.put(picture.json().getJsonObject("message").getLong("id"), System.nanoTime());
    acked.put(keyed.json().getJsonObject("message").getLong("id"), System.nanoTime());
    // And what the store wrote itself before (the group's first notice).
    for (String conversation : List.of(direct, group)) {
      JsonArray existing = api.get("/api/conversations/" + conversation + "/messages", alice.token()).json().getJsonArray("messages");
      for (int i = 0; i < existing.size(); i++) {
        acked.put(existing.getJsonObject(i).getLong("id"), System.nanoTime());
      }
    }
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    for (Account from : List.of(alice, bob)) {
      Thread t = new Thread(() -> {
        int i = 0;
        try {
          while (sending.get()) {
            JsonObject m = api.send(from, i % 2 == 0 ? direct : group, from.username() + " " + i++);
            acked.put(m.getLong("id"), System.nanoTime());
          }
        } catch (Throwable e) {
          failed.set(e);
        }
      }, "sender-" + from.username());
      senders.add(t);
      t.start();
    }
    // No bound of its own before: a generous one, only so that a stuck run ends saying what it waited for.
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).alias("3,000 sends are acknowledged, or one fails")
        .until(() -> acked.size() >= 3_000 || failed.get() != null);
    int beforeBackup = acked.size();
    long backupStarted = System.nanoTime();
    Set<Long> ackedBeforeStart = Set.copyOf(acked.keySet());
    Backup.Result result = Backup.take(node.dataDir(), node.dataDir().resolve("media"), node.dataDir().resolve("backups"));
    long backupEnded = System.nanoTime();
    int duringBackup = acked.size() - beforeBackup;
    Set<Long> ackedBeforeEnd = new HashSet<>();
    acked.forEach((id, at) -> {
      if (at <= backupEnded) {
        ackedBeforeEnd.add(id);
      }
    });
    Thread.sleep(300);
    sending.set(false);
    for (Thread t : senders) {
      t.join();
    }
    assertEquals(null, failed.get(), "every send is answered");
    System.out.printf("backup of %d messages (%,d bytes) took %d ms; %d sends were answered meanwhile%n",
        result.info().getLong("messages"), result.bytes(), (backupEnded - backupStarted) / 1_000_000, duringBackup);
    assertTrue(duringBackup > 0, "sends are answered while the backup runs");
    assertTrue(result.path().getFileName().toString().matches("parley-\\d{8}T\\d{6}\\.\\d{3}Z"), result.path().toString());
    for (String file : List.of("parley.db", "jwt-secret", "backup.json")) {
      assertTrue(Files.isRegularFile(result.path().resolve(file)), file);
    }
    assertFalse(Files.exists(result.path().resolve("search.db")));
    assertFalse(Files.exists(result.path().resolve("keys.db")));
    JsonObject info = new JsonObject(Files.readString(result.path().resolve("backup.json")));
    assertEquals(newestMigration(), info.getLong("schemaVersion"));
    assertTrue(info.getLong("lastEventId") > 0);
    String oldToken = alice.token();
    api.close();
    node.close();

    Path restoredDir = TestNode.tempDir().resolve("restored");
    assertEquals(0, Backup.restoreCommand(new String[] {result.path().toString(), "--data", restoredDir.toString()}, Map.of()));
    assertFalse(Files.exists(restoredDir.resolve("search.db")));
    assertFalse(Files.exists(restoredDir.resolve("keys.db")));
    TestNode restored = TestNode.startIn(restoredDir, c -> c.getJsonObject("store").putNull("database"));
    try {
      Api again = new Api(vertx, restored.port());
      // The JWT secret came along: a token issued before the backup still works; passwords too.
      assertEquals(200, again.get("/api/conversations", oldToken).status());
      Account bobAgain = again.login(bob.username(), "correct horse");

      Set<Long> restoredIds = new HashSet<>();
      for (String conversation : List.of(direct, group)) {
        long expected = 1;
        long after = 0;
        while (true) {
          Reply page = again.get("/api/conversations/" + conversation + "/messages?after=" + after + "&limit=100", oldToken);
          assertEquals(200, page.status(), page.raw());
          JsonArray messages = page.json().getJsonArray("messages");
          if (messages.isEmpty()) {
            break;
          }
          for (int i = 0; i < messages.size(); i++) {
            JsonObject m = messages.getJsonObject(i);
            assertEquals(expected++, m.getLong("seq"), "seqs 1..n with no gap in " + conversation);
            restoredIds.add(m.getLong("id"));
            after = m.getLong("seq");
          }
        }
      }
      Set<Long> late = new HashSet<>(restoredIds);
      late.removeAll(ackedBeforeEnd);
      List<String> lateness = late.stream().map(id -> id + (acked.containsKey(id)
          ? " answered " + (acked.get(id) - backupEnded) / 1_000 + " µs after the backup ended" : " never answered")).toList();
      System.out.println("restored but answered after the backup ended: " + lateness);
      assertTrue(ackedBeforeEnd.containsAll(restoredIds), "every restored message was acknowledged before the backup ended: "
          + lateness);
      assertTrue(restoredIds.containsAll(ackedBeforeStart), "every message acknowledged before the backup began is in it");
      assertEquals(result.info().getLong("messages"), (long) restoredIds.size());

      Uploads.Fetched media = new Uploads(again).get("/api/media/" + mediaId, oldToken);
      assertEquals(200, media.status());
      assertArrayEquals(png, media.body());

      // search.db and keys.db were rebuilt from parley.db.
      JsonArray found = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .alias("the restored node rebuilds its search index")
          .until(() -> again.get("/api/search?q=zebra", oldToken).json().getJsonArray("messages"), messages -> !messages.isEmpty());
      assertEquals(1, found.size(), "the restored node rebuilt its search index");
      Reply retried = again.post("/api/conversations/" + direct + "/messages", bobAgain.token(), new JsonObject()
          .put("clientId", "keyed-1").put("type", "text").put("text", "a findable zebra"));
      assertEquals(200, retried.status(), "a retried send is still recognised: " + retried.raw());
      assertEquals(keyed.json().getJsonObject("message").getLong("id"), retried.json().getJsonObject("message").getLong("id"));
      JsonObject sent = again.send(bobAgain, group, "after the restore");
      assertTrue(sent.getLong("seq") > 1);
      again.close();
    } finally {
      restored.close();
    }
  }

  @Test
  void aRestoreIntoAFolderThatHoldsAnythingIsRefused() throws Exception {
    TestNode node = TestNode.start(c -> c.getJsonObject("store").putNull("database"));
    Backup.Result result;
    try {
      result = Backup.take(node.dataDir(), node.dataDir().resolve("media"), node.dataDir().resolve("backups"));
    } finally {
      node.close();
    }
    // The command, as `java -jar parley.jar backup --data … --to …` runs it (the node stopped here).
    Path to = TestNode.tempDir().resolve("elsewhere");
    assertEquals(0, Backup.backupCommand(new String[] {"--data", node.dataDir().toString(), "--to", to.toString()}, Map.of()));
    assertEquals(1, Backup.finished(to).size());
    assertEquals(2, Backup.backupCommand(new String[] {"--data"}, Map.of()), "an option without its value");
    assertEquals(2, Backup.backupCommand(new String[] {"--data", TestNode.tempDir().toString()}, Map.of()), "no store there");

    Path target = TestNode.tempDir();
    Files.writeString(target.resolve("notes.txt"), "mine");
    assertEquals(2, Backup.restoreCommand(new String[] {result.path().toString(), "--data", target.toString()}, Map.of()));
    try (var list = Files.list(target)) {
      assertEquals(List.of(target.resolve("notes.txt")), list.toList(), "nothing was changed");
    }
    assertEquals("mine", Files.readString(target.resolve("notes.txt")));
    assertEquals(2, Backup.restoreCommand(new String[] {target.toString(), "--data", TestNode.tempDir().resolve("x").toString()},
        Map.of()), "a folder that is not a backup");
  }

  @Test
  void theScheduleRunsAndKeepsTheNewest(Vertx vertx) throws Exception {
    Path backups = TestNode.tempDir().resolve("backups");
    TestNode node = TestNode.start(c -> {
      c.getJsonObject("store").putNull("database");
      c.put("ops", new JsonObject().put("backup", new JsonObject()
          .put("dir", backups.toString()).put("intervalSeconds", 1).put("keep", 2)));
    });
    try {
      Api api = new Api(vertx, node.port());
      Account alice = api.signUp("alice");
      api.send(alice, api.direct(alice, api.signUp("bob")), "hello");
      Set<String> seen = new HashSet<>();
      AtomicReference<JsonObject> lastBackup = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(20)).alias("four backups are taken on schedule").until(() -> {
        JsonObject health = api.get("/health", null).json();
        JsonObject last = health.getJsonObject("checks").getJsonObject("store").getJsonObject("lastBackup");
        lastBackup.set(last);
        if (last != null && last.getString("path") != null) {
          seen.add(last.getString("path"));
        }
        return seen;
      }, paths -> paths.size() >= 4);
      JsonObject last = lastBackup.get();
      assertEquals("ok", last.getString("status"), last.encode());
      assertTrue(last.getBoolean("scheduled"));
      assertTrue(last.getString("time") != null);
      List<Path> kept = Backup.finished(backups);
      assertTrue(kept.size() <= 2 && !kept.isEmpty(), "keep 2: " + kept);
      api.close();
    } finally {
      node.close();
    }
    List<Path> before = Backup.finished(backups);
    assertEquals(before.size() - 1, Backup.prune(backups, 1).size());
    assertEquals(List.of(before.get(before.size() - 1)), Backup.finished(backups), "the newest stays");
  }

  /** The highest {@code V<n>__} of the SQLite migrations this build ships. */
  private static long newestMigration() throws java.io.IOException {
    try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("V\\d+__.*"))
          .mapToLong(name -> Long.parseLong(name.substring(1, name.indexOf("__")))).max().orElseThrow();
    }
  }
}
