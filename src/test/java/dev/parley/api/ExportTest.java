package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.Uploads.Fetched;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conversation exports: the archive's messages, page and files, ranges, one-time links, who may, and the limits. */
class ExportTest extends NodeTestBase {
  private Uploads uploads;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @BeforeEach
  void clients() {
    uploads = new Uploads(api);
  }

  /** A ZIP's entries by name, in the archive's order, read through its central directory. */
  private record Archive(Map<String, byte[]> entries) {
    static Archive of(byte[] zip) throws IOException {
      Path file = Files.createTempFile("export-test-", ".zip");
      try {
        Files.write(file, zip);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile archive = new ZipFile(file.toFile())) {
          for (ZipEntry entry : archive.stream().toList()) {
            entries.put(entry.getName(), archive.getInputStream(entry).readAllBytes());
          }
        }
        return new Archive(entries);
      } finally {
        Files.delete(file);
      }
    }

    JsonObject json() {
      return new JsonObject(Buffer.buffer(entries.get("messages.json")));
    }

    JsonArray messages() {
      return json().getJsonArray("messages");
    }

    String html() {
      return new String(entries.get("messages.html"), StandardCharsets.UTF_8);
    }

    List<String> media() {
      return entries.keySet().stream().filter(name -> name.startsWith("media/")).toList();
    }
  }

  private Archive export(String conversationId, String query, Account who) throws IOException {
    Fetched fetched = uploads.get("/api/conversations/" + conversationId + "/export" + query, who.token());
    assertEquals(200, fetched.status(), new String(fetched.body(), StandardCharsets.UTF_8));
    assertEquals("application/zip", fetched.header("content-type"));
    return Archive.of(fetched.body());
  }

  /** Every message of the conversation through the history API, oldest first. */
  private JsonArray history(String conversationId, Account who) {
    JsonArray all = new JsonArray();
    long after = 0;
    while (true) {
      JsonObject page = api.get("/api/conversations/" + conversationId + "/messages?limit=200&after=" + after, who.token())
          .json();
      page.getJsonArray("messages").forEach(all::add);
      if (!page.getBoolean("hasMore")) {
        return all;
      }
      after = all.getJsonObject(all.size() - 1).getLong("seq");
    }
  }

  private static List<Long> seqs(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
  }

  private JsonObject upload(Account owner, String name, String type, byte[] bytes) {
    Fetched uploaded = uploads.upload(owner.token(), name, type, bytes);
    assertEquals(201, uploaded.status(), new String(uploaded.body(), StandardCharsets.UTF_8));
    return uploaded.json().getJsonObject("media");
  }

  private JsonObject sendMedia(Account from, String conversationId, String type, JsonObject media, String caption) {
    Reply sent = api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "x-" + UUID.randomUUID()).put("type", type).put("mediaId", media.getString("id")).put("text", caption));
    assertEquals(201, sent.status(), sent.raw());
    return sent.json().getJsonObject("message");
  }

  private void react(Account who, String conversationId, long messageId, String emoji) {
    assertEquals(204, api.put("/api/conversations/" + conversationId + "/messages/" + messageId + "/reactions/"
        + URLEncoder.encode(emoji, StandardCharsets.UTF_8), who.token(), null).status());
  }

  @Test
  void anExportHoldsTheHistoryItsPicturesAndAPageThatShowsUserTextAsText() throws IOException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String group = api.group(alice, "Trip <b>photos</b>", bob);
    assertEquals(201, api.post("/api/conversations/" + group + "/members", alice.token(),
        new JsonObject().put("userId", carol.id())).status());
    byte[] png = Samples.png(Samples.halves(64, 32));
    byte[] jpeg = Samples.jpeg(Samples.photo(320, 240, 7), 0.8f);
    JsonObject beach = sendMedia(alice, group, "image", upload(alice, "beach.png", "image/png", png), "the beach");
    sendMedia(bob, group, "image", upload(bob, "sunset.jpg", "image/jpeg", jpeg), null);
    JsonObject hostile = api.send(bob, group, "<img src=x onerror=alert(1)>");
    long typo = api.send(alice, group, "see you at 9").getLong("id");
    assertEquals(200, api.patch("/api/conversations/" + group + "/messages/" + typo, alice.token(),
        new JsonObject().put("text", "see you at 10")).status());
    long oops = api.send(bob, group, "my password is hunter2").getLong("id");
    assertEquals(204, api.delete("/api/conversations/" + group + "/messages/" + oops, bob.token()).status());
    react(carol, group, beach.getLong("id"), "👍");
    react(bob, group, beach.getLong("id"), "🎉");
    Reply reply = api.post("/api/conversations/" + group + "/messages", bob.token(), new JsonObject()
        .put("clientId", "r-" + UUID.randomUUID()).put("type", "text").put("text", "@" + alice.username() + " lovely")
        .put("replyTo", beach.getLong("id")).put("mentions", new JsonArray().add(alice.id())));
    assertEquals(201, reply.status(), reply.raw());
    assertEquals(200, api.patch("/api/conversations/" + group, alice.token(), new JsonObject().put("title", "Trip")).status());

    Fetched fetched = uploads.get("/api/conversations/" + group + "/export", carol.token());
    assertEquals(200, fetched.status());
    assertEquals("application/zip", fetched.header("content-type"));
    assertEquals("no-store", fetched.header("cache-control"));
    assertTrue(fetched.header("content-disposition").startsWith("attachment; filename=\"parley-trip-"
        + LocalDate.now(ZoneOffset.UTC) + ".zip\""), fetched.header("content-disposition"));
    Archive archive = Archive.of(fetched.body());

    JsonArray history = history(group, carol);
    assertEquals(history, archive.messages(), "the history's messages, exactly, in seq order");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs(archive.messages()));
    JsonObject json = archive.json();
    assertEquals("parley-export/1", json.getString("format"));
    assertEquals(new JsonObject().put("id", group).put("type", "group").put("title", "Trip")
        .put("createdAt", json.getJsonObject("conversation").getString("createdAt")), json.getJsonObject("conversation"));
    assertEquals(carol.id(), json.getString("exportedBy"));
    assertEquals(new JsonObject().put("fromSeq", 1).put("toSeq", 9), json.getJsonObject("range"));
    assertNull(json.getValue("truncated"));
    assertEquals(3, json.getJsonArray("users").size(), "the people the messages name");
    assertEquals(List.of("messages.json", "messages.html"), new ArrayList<>(archive.entries().keySet()).subList(0, 2));

    // The pictures: once each, the same bytes the media API serves, shown inline through relative paths.
    String sunset = history.getJsonObject(3).getJsonObject("media").getString("id");
    assertEquals(List.of("media/" + beach.getJsonObject("media").getString("id") + ".png", "media/" + sunset + ".jpg"),
        archive.media());
    assertArrayEquals(png, archive.entries().get(archive.media().get(0)));
    assertArrayEquals(uploads.get("/api/media/" + sunset, carol.token()).body(), archive.entries().get(archive.media().get(1)));
    String html = archive.html();
    for (String picture : archive.media()) {
      assertTrue(html.contains("<img src=\"" + picture + "\""), picture + " is shown inline");
    }

    // The page: user text as text, never as markup.
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the message shows as text");
    assertFalse(html.contains("<img src=x"), "and is no element");
    assertFalse(html.toLowerCase().contains("<script"), "the page has no script");
    assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    assertTrue(html.contains("id=\"m" + hostile.getLong("id") + "\""));
    assertTrue(html.contains("see you at 10") && !html.contains("see you at 9"), "the edited text only");
    assertTrue(html.contains("<span class=\"edited\">edited "));
    assertTrue(html.contains("This message was recalled") && !html.contains("hunter2"), "a recall hides the text");
    assertTrue(html.contains("👍 1 (" + carol.username() + ")"), "reactions, and who");
    assertTrue(html.contains("🎉 1 (" + bob.username() + ")"));
    assertTrue(html.contains("<div class=\"quote\">↩ <a href=\"#m" + beach.getLong("id") + "\">" + alice.username()
        + ": the beach</a></div>"), "the reply quotes what it answers");
    assertTrue(html.contains("<span class=\"mention\">@" + alice.username() + "</span> lovely"), "the mention");
    for (String system : List.of(alice.username() + " created the group", alice.username() + " added " + carol.username(),
        alice.username() + " renamed the group")) {
      assertTrue(html.contains(system), system);
    }
    assertTrue(html.contains("<title>Trip · Parley export</title>"));
    assertTrue(html.contains(" · messages #1 to #9 · times in UTC</p>"));
  }

  @Test
  void theTitleAndEveryNameAreEscapedToo() throws IOException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    assertEquals(200, api.patch("/api/me", bob.token(), new JsonObject().put("displayName", "<b onmouseover=x>Bob</b>"))
        .status());
    String group = api.group(alice, "<script>alert('t')</script>", bob);
    api.send(bob, group, "hi \"there\" & https://example.com/?a=1&b=<2> javascript:alert(1)");
    Archive archive = export(group, "", alice);
    String html = archive.html();
    assertTrue(html.contains("<h1>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h1>"));
    assertTrue(html.contains("&lt;b onmouseover=x&gt;Bob&lt;/b&gt;"));
    assertFalse(html.contains("<b onmouseover") || html.contains("<script>"));
    assertTrue(html.contains("hi &quot;there&quot; &amp; <a href=\"https://example.com/?a=1&amp;b=\""
        + " rel=\"noopener noreferrer nofollow\">https://example.com/?a=1&amp;b=</a>&lt;2&gt; javascript:alert(1)"), html);
    assertTrue(archive.entries().keySet().stream().noneMatch(name -> name.contains("script")), "names come from ids");
  }

  @Test
  void aSeqRangeOrATimeRangeHoldsExactlyThatRange() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    List<JsonObject> sent = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      sent.add(api.send(i % 2 == 0 ? bob : alice, direct, "message " + i));
    }
    JsonArray history = history(direct, alice);

    Archive middle = export(direct, "?fromSeq=3&toSeq=6", bob);
    assertEquals(List.of(3L, 4L, 5L, 6L), seqs(middle.messages()));
    assertEquals(new JsonArray(history.getList().subList(2, 6)), middle.messages());
    assertEquals(new JsonObject().put("fromSeq", 3).put("toSeq", 6), middle.json().getJsonObject("range"));
    assertEquals(List.of(8L, 9L), seqs(export(direct, "?fromSeq=8&toSeq=500", alice).messages()), "toSeq past the end");
    assertEquals(List.of(), seqs(export(direct, "?fromSeq=50", alice).messages()), "nothing there");

    // Three days ago: 1-3; yesterday: 4-6; today: 7-9.
    for (int i = 0; i < 6; i++) {
      node.backdateMessage(sent.get(i).getLong("id"), (i < 3 ? 3 : 1) * 86_400);
    }
    Instant now = Instant.now();
    String yesterday = "?from=" + now.minus(2, ChronoUnit.DAYS) + "&to=" + now.minus(12, ChronoUnit.HOURS);
    Archive dated = export(direct, yesterday, alice);
    assertEquals(List.of(4L, 5L, 6L), seqs(dated.messages()));
    assertEquals(new JsonArray(history(direct, alice).getList().subList(3, 6)), dated.messages());
    assertTrue(dated.html().contains("messages #1 to #9 sent from "), "the page says what it holds");
    assertEquals(List.of(5L, 6L), seqs(export(direct, yesterday + "&fromSeq=5", alice).messages()), "both ranges at once");
    assertEquals(List.of(1L, 2L, 3L), seqs(export(direct, "?to=" + now.minus(2, ChronoUnit.DAYS), alice).messages()));
    String plus = now.minus(6, ChronoUnit.HOURS).atOffset(ZoneOffset.ofHours(2)).toString();
    String offset = URLEncoder.encode(plus, StandardCharsets.UTF_8);
    assertEquals(List.of(7L, 8L, 9L), seqs(export(direct, "?from=" + offset, alice).messages()), "any offset");
    assertEquals(List.of(7L, 8L, 9L), seqs(export(direct, "?from=" + plus, alice).messages()), "its + not encoded");
    Instant fourth = Instant.parse(history(direct, alice).getJsonObject(3).getString("createdAt"));
    assertEquals(List.of(4L), seqs(export(direct, "?from=" + fourth + "&to=" + fourth.plusNanos(1), alice).messages()),
        "exactly: from included, to not");
  }

  @Test
  void onlyMembersExportAndEveryBadRangeIsRefusedNamingItsField() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account eve = api.signUp("eve");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "private");
    String path = "/api/conversations/" + direct + "/export";
    assertEquals(404, api.get(path, eve.token()).status(), "a non-member");
    assertEquals(404, api.post(path, eve.token(), new JsonObject()).status());
    assertEquals(404, api.get("/api/conversations/cnope/export", alice.token()).status());
    assertEquals(401, api.get(path, null).status());
    assertEquals(401, api.post(path, null, new JsonObject()).status());
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("?fromSeq=0", "fromSeq");
    refused.put("?fromSeq=one", "fromSeq");
    refused.put("?toSeq=-2", "toSeq");
    refused.put("?fromSeq=5&toSeq=4", "toSeq");
    refused.put("?from=yesterday", "from");
    refused.put("?from=2026-12-01", "from");
    refused.put("?to=2026-12-01T00:00:00", "to");
    refused.put("?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to");
    refused.put("?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z", "to");
    refused.put("?to=0999-01-01T00:00:00Z", "to");
    refused.forEach((query, field) -> {
      Reply reply = api.get(path + query, alice.token());
      assertEquals(400, reply.status(), query);
      assertEquals(field, reply.errorField(), query);
      assertEquals("application/json; charset=utf-8", reply.headers().get("content-type"));
    });
    assertEquals("fromSeq", api.post(path, alice.token(), new JsonObject().put("fromSeq", "1")).errorField());
    assertEquals("toSeq", api.post(path, alice.token(), new JsonObject().put("fromSeq", 3).put("toSeq", 2)).errorField());
    assertEquals("from", api.post(path, alice.token(), new JsonObject().put("from", 20261201)).errorField());
    assertEquals(400, api.post(path, alice.token(), "[]").status());
  }

  @Test
  void aBrowserGetsAOneTimeLinkBoundToItsUserConversationAndRange() throws IOException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String group = api.group(alice, "Team", bob, carol);
    for (int i = 1; i <= 4; i++) {
      api.send(bob, group, "note " + i);
    }
    Reply issued = api.post("/api/conversations/" + group + "/export", bob.token(),
        new JsonObject().put("fromSeq", 2).put("toSeq", 3));
    assertEquals(201, issued.status(), issued.raw());
    String ticket = issued.json().getString("ticket");
    assertEquals(43, ticket.length(), "256 random bits");
    assertEquals("http://127.0.0.1:" + node.port() + "/api/exports/" + ticket, issued.json().getString("url"));
    Instant expiresAt = Instant.parse(issued.json().getString("expiresAt"));
    assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(30)) && expiresAt.isBefore(Instant.now().plusSeconds(61)));

    Fetched download = uploads.get("/api/exports/" + ticket, null);
    assertEquals(200, download.status());
    assertEquals("application/zip", download.header("content-type"));
    Archive archive = Archive.of(download.body());
    assertEquals(List.of(2L, 3L), seqs(archive.messages()), "the range the link was made for");
    assertEquals(bob.id(), archive.json().getString("exportedBy"));
    Reply again = api.get("/api/exports/" + ticket, null);
    assertEquals(404, again.status(), "used once");
    assertEquals(api.get("/api/exports/" + "A".repeat(43), null).raw(), again.raw(), "like one that never existed");
    assertEquals(404, api.get("/api/exports/nonsense", null).status());

    // A link made with an empty body exports everything; one whose maker left is dead.
    String carols = api.post("/api/conversations/" + group + "/export", carol.token(), null).json().getString("ticket");
    assertEquals(204, api.delete("/api/conversations/" + group + "/members/" + carol.id(), carol.token()).status());
    assertEquals(404, api.get("/api/exports/" + carols, null).status(), "membership is checked again");
    String alices = api.post("/api/conversations/" + group + "/export", alice.token(), null).json().getString("ticket");
    assertEquals(history(group, alice), Archive.of(uploads.get("/api/exports/" + alices, null).body()).messages());
  }

  @Test
  void aBotInTheConversationMayExportIt() throws IOException {
    Account alice = api.signUp("alice");
    Reply made = api.post("/api/bots", alice.token(), new JsonObject().put("username", "archiver-" + System.nanoTime()));
    assertEquals(201, made.status(), made.raw());
    Account bot = new Account(made.json().getJsonObject("user").getString("id"), null, made.json().getString("token"), null);
    String group = api.group(alice, "Ops", bot);
    api.send(alice, group, "deploy at noon");
    Archive archive = export(group, "", bot);
    assertEquals(history(group, alice), archive.messages());
    assertEquals(bot.id(), archive.json().getString("exportedBy"));
  }

  @Test
  void anHourHoldsTwentyExportsPerUser() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "hello");
    String path = "/api/conversations/" + direct + "/export";
    for (int i = 0; i < 10; i++) {
      assertEquals(200, uploads.get(path, alice.token()).status());
      assertEquals(201, api.post(path, alice.token(), null).status(), "a link counts as an export");
    }
    Reply limited = api.get(path, alice.token());
    assertEquals(429, limited.status());
    assertEquals("rate_limited", limited.errorCode());
    assertNotNull(limited.headers().get("retry-after"));
    assertEquals(429, api.post(path, alice.token(), null).status());
    assertEquals(200, uploads.get(path, bob.token()).status(), "per user");
  }

  @Test
  void pastALimitTheArchiveEndsEarlySaysWhereAndTheRestFollowsFromThere(Vertx vertx) throws IOException {
    List<byte[]> photos = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      photos.add(Samples.png(Samples.photo(100, 100, i)));
    }
    // Room for three photos and their messages, not for a fourth.
    long maxBytes = photos.get(0).length + photos.get(1).length + photos.get(2).length + photos.get(3).length / 2 + 10_000;
    JsonObject limits = new JsonObject().put("maxBytes", maxBytes).put("maxMessages", 8);
    try (TestNode limited = TestNode.start(c -> c.put("export", limits));
         Api client = new Api(vertx, limited.port())) {
      Uploads files = new Uploads(client);
      Account alice = client.signUp("alice");
      Account bob = client.signUp("bob");
      String direct = client.direct(alice, bob);
      for (int i = 0; i < photos.size(); i++) {
        Fetched uploaded = files.upload(alice.token(), "photo" + i + ".png", "image/png", photos.get(i));
        assertEquals(201, client.post("/api/conversations/" + direct + "/messages", alice.token(), new JsonObject()
            .put("clientId", "p" + i).put("type", "image").put("mediaId", uploaded.json().getJsonObject("media").getString("id")))
            .status());
      }
      Fetched fetched = files.get("/api/conversations/" + direct + "/export", alice.token());
      assertEquals(200, fetched.status());
      Archive cut = Archive.of(fetched.body());
      assertEquals(List.of(1L, 2L, 3L), seqs(cut.messages()));
      assertEquals(new JsonObject().put("reason", "maxBytes").put("limit", maxBytes).put("nextSeq", 4),
          cut.json().getJsonObject("truncated"));
      assertEquals(3, cut.media().size());
      assertEquals(List.of(alice.id()), cut.json().getJsonArray("users").stream()
          .map(u -> ((JsonObject) u).getString("id")).toList(), "the people of the messages it holds");
      long held = cut.entries().entrySet().stream().filter(e -> !e.getKey().equals("TRUNCATED.txt"))
          .mapToLong(e -> e.getValue().length).sum();
      assertTrue(held <= maxBytes + 1_000, "the limit holds, but for the list of people: " + held + " > " + maxBytes);
      String note = new String(cut.entries().get("TRUNCATED.txt"), StandardCharsets.UTF_8);
      assertTrue(note.contains("stops before message #4") && note.contains("fromSeq=4"), note);
      assertTrue(cut.html().contains("<p class=\"truncated\">This export is incomplete"));

      Archive rest = Archive.of(files.get("/api/conversations/" + direct + "/export?fromSeq=4", alice.token()).body());
      assertEquals(List.of(4L, 5L), seqs(rest.messages()));
      assertNull(rest.json().getValue("truncated"));
      assertFalse(rest.entries().containsKey("TRUNCATED.txt"));
      assertArrayEquals(photos.get(4), rest.entries().get(rest.media().get(1)));

      String chat = client.direct(bob, client.signUp("carol"));
      for (int i = 1; i <= 10; i++) {
        client.send(bob, chat, "line " + i);
      }
      Archive counted = Archive.of(files.get("/api/conversations/" + chat + "/export", bob.token()).body());
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), seqs(counted.messages()));
      assertEquals(new JsonObject().put("reason", "maxMessages").put("limit", 8).put("nextSeq", 9),
          counted.json().getJsonObject("truncated"));
    }
  }

  @Test
  void whileAClientReadsSlowlyItsExportWaitsForItAndTheUserCannotStartAnother(Vertx vertx) throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    List<byte[]> pictures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] png = Samples.png(Samples.photo(600, 600, 100 + i));
      sendMedia(alice, direct, "image", upload(alice, "big" + i + ".png", "image/png", png), null);
      pictures.add(png);
    }
    // A client with a tiny receive window that stops reading once the answer has begun: the
    // archive (megabytes) cannot all be sent, so the export waits, holding alice's turn.
    NetClient raw = vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096));
    Buffer received = Buffer.buffer();
    io.vertx.core.Promise<Void> begun = io.vertx.core.Promise.promise();
    io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
    NetSocket socket = api.onContext(() -> raw.connect(node.port(), "127.0.0.1").map(s -> {
      s.handler(chunk -> {
        received.appendBuffer(chunk);
        if (!begun.future().isComplete() && received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          s.pause();
          begun.complete();
        }
      });
      s.closeHandler(v -> closed.tryComplete());
      s.write("GET /api/conversations/" + direct + "/export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + alice.token() + "\r\nConnection: close\r\n\r\n");
      return s;
    })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    begun.future().timeout(10, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get();

    Reply second = api.get("/api/conversations/" + direct + "/export", alice.token());
    assertEquals(429, second.status(), "one export at a time per user: " + second.raw());
    assertEquals(200, uploads.get("/api/conversations/" + direct + "/export", bob.token()).status(), "another user's runs");
    assertFalse(closed.future().isComplete(), "the slow one still waits");

    api.onContext(() -> {
      socket.resume();
      return closed.future();
    }).timeout(30, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get();
    raw.close();
    Archive archive = Archive.of(dechunk(received.getBytes()));
    assertEquals(4, archive.media().size());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(pictures.get(i), archive.entries().get(archive.media().get(i)), "picture " + i);
    }
    assertEquals(200, uploads.get("/api/conversations/" + direct + "/export", alice.token()).status(), "and then the next");
  }

  /** The body of a raw HTTP/1.1 response with chunked transfer coding. */
  private static byte[] dechunk(byte[] response) {
    String head = new String(response, 0, Math.min(response.length, 4096), StandardCharsets.ISO_8859_1);
    int at = head.indexOf("\r\n\r\n");
    assertTrue(head.startsWith("HTTP/1.1 200"), head.substring(0, Math.min(200, head.length())));
    assertTrue(head.toLowerCase().contains("transfer-encoding: chunked"));
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    int pos = at + 4;
    while (true) {
      int lineEnd = pos;
      while (response[lineEnd] != '\r') {
        lineEnd++;
      }
      int size = Integer.parseInt(new String(response, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
      pos = lineEnd + 2;
      if (size == 0) {
        return body.toByteArray();
      }
      body.write(response, pos, size);
      pos += size + 2;
    }
  }
}
