package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.auth.Secrets;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShareTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private JsonObject share(Account who, String conversationId, long fromSeq, long toSeq, Long expiresInSeconds) {
    JsonObject body = new JsonObject().put("fromSeq", fromSeq).put("toSeq", toSeq);
    if (expiresInSeconds != null) {
      body.put("expiresInSeconds", expiresInSeconds);
    }
    Reply created = api.post("/api/conversations/" + conversationId + "/shares", who.token(), body);
    assertEquals(201, created.status(), created.raw());
    return created.json().getJsonObject("share");
  }

  private Reply view(String token) {
    return api.get("/api/shared/" + token, null);
  }

  private static List<Long> seqs(JsonObject shared) {
    List<Long> seqs = new ArrayList<>();
    shared.getJsonArray("messages").forEach(m -> seqs.add(((JsonObject) m).getLong("seq")));
    return seqs;
  }

  @Test
  void aShareShowsExactlyItsRangeWithRecalledMessagesRecalled() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(alice, "Release <b>plans</b>", bob);
    List<JsonObject> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sent.add(api.send(i % 2 == 0 ? alice : bob, group, "message " + i + " <script>alert(1)</script>"));
    }
    // seq 1 is the group's "created" message, so the sent ones are seq 2..7.
    JsonObject share = share(bob, group, 3, 5, null);
    assertEquals(43, share.getString("token").length(), "256 random bits");
    assertTrue(share.getString("url").endsWith("/s/" + share.getString("token")), share.getString("url"));
    assertEquals(0, share.getLong("views"));
    assertNull(share.getValue("expiresAt"));
    assertEquals(204, api.delete("/api/conversations/" + group + "/messages/" + sent.get(2).getLong("id"), alice.token()).status());

    JsonObject shared = view(share.getString("token")).json();
    assertEquals("Release <b>plans</b>", shared.getJsonObject("conversation").getString("title"));
    assertEquals(new JsonObject().put("title", "Release <b>plans</b>"), shared.getJsonObject("conversation"),
        "the title and nothing else of the conversation");
    assertEquals(List.of(3L, 4L, 5L), seqs(shared));
    JsonObject recalled = shared.getJsonArray("messages").getJsonObject(1);
    assertTrue(recalled.getBoolean("recalled"));
    assertFalse(recalled.containsKey("text"), "a recalled message never shows its old text");
    JsonObject first = shared.getJsonArray("messages").getJsonObject(0);
    assertEquals(sent.get(1).getString("text"), first.getString("text"));
    assertFalse(first.containsKey("clientId"), "the sender's idempotency key stays private");
    JsonArray users = shared.getJsonArray("users");
    assertEquals(2, users.size(), "only the people the messages name");
    assertEquals(new JsonObject().put("id", bob.id()).put("displayName", bob.username()).put("bot", false),
        users.getJsonObject(0));
    assertFalse(shared.containsKey("members"));
  }

  @Test
  void everyViewCountsAndTheCreatorSeesTheCount() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "one");
    JsonObject share = share(alice, direct, 1, 1, null);
    for (int i = 1; i <= 3; i++) {
      Reply seen = view(share.getString("token"));
      assertEquals(200, seen.status());
      assertEquals(i, seen.json().getLong("views"));
      assertEquals("no-store", seen.headers().get("cache-control"));
    }
    assertNull(view(share.getString("token")).json().getJsonObject("conversation").getValue("title"),
        "a direct conversation has no title");
    JsonObject listed = api.get("/api/conversations/" + direct + "/shares", alice.token()).json()
        .getJsonArray("shares").getJsonObject(0);
    assertEquals(share.getString("id"), listed.getString("id"));
    assertEquals(4, listed.getLong("views"));
    assertEquals(share.getString("token"), listed.getString("token"), "the contract lists shares with their token");
    assertEquals(share.getString("url"), listed.getString("url"));
    assertEquals(0, api.get("/api/conversations/" + direct + "/shares", bob.token()).json().getJsonArray("shares").size(),
        "members of a direct conversation see their own shares");
  }

  @Test
  void anExpiredShareIsGoneLikeOneThatNeverExisted() throws InterruptedException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "short-lived");
    JsonObject share = share(alice, direct, 1, 1, 1L);
    assertEquals(200, view(share.getString("token")).status());
    Instant expiresAt = Instant.parse(share.getString("expiresAt"));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).alias("the share's expiry passes")
        .until(() -> Instant.now().isAfter(expiresAt));
    Reply expired = view(share.getString("token"));
    assertEquals(404, expired.status());
    assertEquals(view(Secrets.token(32)).raw(), expired.raw(), "indistinguishable from an unknown token");
    assertEquals(0, api.get("/api/conversations/" + direct + "/shares", alice.token()).json().getJsonArray("shares").size());
  }

  @Test
  void revokedSharesAreGoneAndOnlyTheCreatorOrAGroupModeratorMayRevoke() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    Account eve = api.signUp("eve");
    String group = api.group(alice, "Team", bob, carol);
    api.send(bob, group, "hello");
    JsonObject bobs = share(bob, group, 1, 2, null);
    JsonObject carols = share(carol, group, 2, 2, null);

    assertEquals(404, api.delete("/api/shares/" + bobs.getString("token"), eve.token()).status(), "an outsider");
    assertEquals(403, api.delete("/api/shares/" + bobs.getString("token"), carol.token()).status(), "a plain member");
    assertEquals(2, api.get("/api/conversations/" + group + "/shares", alice.token()).json().getJsonArray("shares").size(),
        "the owner sees every share of the group");
    assertEquals(204, api.delete("/api/shares/" + bobs.getString("token"), bob.token()).status(), "the creator, by token");
    assertEquals(204, api.delete("/api/shares/" + carols.getString("id"), alice.token()).status(), "the owner, by id");
    for (JsonObject revoked : List.of(bobs, carols)) {
      Reply gone = view(revoked.getString("token"));
      assertEquals(404, gone.status());
      assertEquals(view(Secrets.token(32)).raw(), gone.raw());
    }
    assertEquals(404, api.delete("/api/shares/" + bobs.getString("token"), bob.token()).status(), "already revoked");

    JsonObject leavers = share(carol, group, 1, 1, null);
    assertEquals(200, view(leavers.getString("token")).status());
    assertEquals(204, api.delete("/api/conversations/" + group + "/members/" + carol.id(), carol.token()).status());
    assertEquals(404, view(leavers.getString("token")).status(), "a share ends when its creator leaves");
  }

  @Test
  void onlyMembersShareAndOnlyRangesThatExist() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account eve = api.signUp("eve");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "one");
    api.send(bob, direct, "two");
    String path = "/api/conversations/" + direct + "/shares";
    JsonObject range = new JsonObject().put("fromSeq", 1).put("toSeq", 2);
    assertEquals(404, api.post(path, eve.token(), range).status(), "a non-member cannot share");
    assertEquals(404, api.get(path, eve.token()).status());
    assertEquals(401, api.post(path, null, range).status());
    assertEquals("fromSeq", api.post(path, alice.token(), range.copy().put("fromSeq", 0)).errorField());
    assertEquals("toSeq", api.post(path, alice.token(), range.copy().put("fromSeq", 2).put("toSeq", 1)).errorField());
    assertEquals("toSeq", api.post(path, alice.token(), range.copy().put("toSeq", 3)).errorField(), "past the last message");
    assertEquals("toSeq", api.post(path, alice.token(), range.copy().put("toSeq", 1001)).errorField(), "over 1,000 messages");
    assertEquals("expiresInSeconds", api.post(path, alice.token(), range.copy().put("expiresInSeconds", 0)).errorField());
    assertEquals("fromSeq", api.post(path, alice.token(), range.copy().put("fromSeq", "1")).errorField());
  }

  @Test
  void numbersPastTheLongRangeAreRefusedNotWrapped() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "one");
    // 2^64 + 1: read as a long it would wrap around to 1, a valid range of one message.
    Reply wrapped = api.post("/api/conversations/" + direct + "/shares", alice.token(),
        "{\"fromSeq\":1,\"toSeq\":18446744073709551617}");
    assertEquals(400, wrapped.status(), wrapped.raw());
    assertEquals("toSeq", wrapped.errorField());
    assertEquals(400, api.post("/api/conversations/" + direct + "/read", alice.token(), "{\"seq\":1e30}").status());
    assertEquals(List.of(), api.get("/api/conversations/" + direct + "/shares", alice.token()).json()
        .getJsonArray("shares").getList(), "nothing was made");
  }

  @Test
  void guessingTokensGetsNothingButIdentical404s() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "secret");
    JsonObject real = share(alice, direct, 1, 1, null);
    String notFound = view(Secrets.token(32)).raw();
    List<String> guesses = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      guesses.add(Secrets.token(32));
    }
    String token = real.getString("token");
    guesses.addAll(List.of(token.substring(0, 42), token + "A", token.toUpperCase(), token.substring(1) + "A",
        real.getString("id"), "..%2F..%2Fapi%2Fme", "%00", "a".repeat(300)));
    for (String guess : guesses) {
      Reply reply = view(guess);
      assertEquals(404, reply.status(), guess);
      assertEquals(notFound, reply.raw(), guess);
      assertEquals(404, api.get("/api/shared/" + guess + "/media/m1", null).status());
    }
    assertEquals(1, view(token).json().getLong("views"), "guesses count no views");
  }

  private JsonObject sendImage(Account from, String conversationId, Uploads uploads, byte[] png) {
    Uploads.Fetched uploaded = uploads.upload(from.token(), "picture.png", "image/png", png);
    assertEquals(201, uploaded.status());
    Reply sent = api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "img-" + UUID.randomUUID()).put("type", "image")
        .put("mediaId", uploaded.json().getJsonObject("media").getString("id")));
    assertEquals(201, sent.status(), sent.raw());
    return sent.json().getJsonObject("message");
  }

  @Test
  void mediaIsServedPubliclyOnlyWhenAMessageOfTheRangeCarriesIt() {
    Uploads uploads = new Uploads(api);
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    byte[] png = Samples.png(Samples.halves(640, 480));
    JsonObject inside = sendImage(alice, direct, uploads, png);
    JsonObject recalled = sendImage(bob, direct, uploads, Samples.png(Samples.halves(32, 32)));
    JsonObject outside = sendImage(alice, direct, uploads, Samples.png(Samples.halves(48, 48)));
    assertEquals(204, api.delete("/api/conversations/" + direct + "/messages/" + recalled.getLong("id"), bob.token()).status());
    String token = share(alice, direct, inside.getLong("seq"), recalled.getLong("seq"), null).getString("token");

    // The shared view points its reader at the share's own media paths, which need no account.
    JsonObject media = view(token).json().getJsonArray("messages").getJsonObject(0).getJsonObject("media");
    String base = "/api/shared/" + token + "/media/" + inside.getJsonObject("media").getString("id");
    assertEquals(base, media.getString("url"));
    assertEquals(base + "/thumbnail", media.getString("thumbnailUrl"));

    Uploads.Fetched bytes = uploads.get(base, null);
    assertEquals(200, bytes.status());
    assertArrayEquals(png, bytes.body(), "the uploaded bytes, unchanged");
    assertEquals("image/png", bytes.header("content-type"));
    assertEquals("nosniff", bytes.header("x-content-type-options"));
    assertEquals("noindex, nofollow", bytes.header("x-robots-tag"));
    Uploads.Fetched part = uploads.get(base, null, Map.of("Range", "bytes=8-23"));
    assertEquals(206, part.status());
    assertArrayEquals(Arrays.copyOfRange(png, 8, 24), part.body());
    Uploads.Fetched thumbnail = uploads.get(base + "/thumbnail", null);
    assertEquals(200, thumbnail.status());
    assertEquals("image/jpeg", thumbnail.header("content-type"));

    String prefix = "/api/shared/" + token + "/media/";
    assertEquals(404, uploads.get(prefix + outside.getJsonObject("media").getString("id"), null).status(),
        "a message after the range");
    assertEquals(404, uploads.get(prefix + recalled.getJsonObject("media").getString("id"), null).status(),
        "a recalled message inside the range");
    assertEquals(404, uploads.get(prefix + "m123", null).status(), "not a media id");
    assertEquals(404, uploads.get("/api/shared/" + Secrets.token(32) + "/media/"
        + inside.getJsonObject("media").getString("id"), null).status(), "another token");
    assertEquals(401, uploads.get("/api/media/" + inside.getJsonObject("media").getString("id"), null).status(),
        "the members' path still needs an account");
    assertEquals(2, view(token).json().getLong("views"), "two views of the page; media requests count none");

    assertEquals(204, api.delete("/api/shares/" + token, alice.token()).status());
    assertEquals(404, uploads.get(base, null).status(), "revoked: the bytes are gone with the share");
    assertEquals(404, uploads.get(base + "/thumbnail", null).status());
  }

  @Test
  void thePageIsAStaticReadOnlyPageThatReadsTheApi() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "hello");
    String token = share(alice, direct, 1, 1, null).getString("token");
    Reply page = api.get("/s/" + token, null);
    assertEquals(200, page.status());
    assertTrue(page.headers().get("content-type").startsWith("text/html"));
    assertTrue(page.raw().contains("src=\"../share-page.js\""), "relative paths, so it also works under a proxy sub-path");
    assertFalse(page.raw().contains(token), "the page is the same file for every token");
    assertEquals("no-referrer", page.headers().get("referrer-policy"));
    assertTrue(page.headers().get("content-security-policy").contains("script-src 'self'"));
    assertEquals("noindex, nofollow", page.headers().get("x-robots-tag"));
    Reply script = api.get("/share-page.js", null);
    assertEquals(200, script.status());
    assertFalse(script.raw().contains("innerHTML"), "user text goes in as text only");
    assertEquals(200, api.get("/css/share.css", null).status());
    assertEquals(1, view(token).json().getLong("views"), "loading the page itself counts no view");
  }

  @Test
  void aLinkThatNoLongerWorksGetsThePageWith404() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "hello");
    String token = share(alice, direct, 1, 1, null).getString("token");
    assertEquals(200, api.get("/s/" + token, null).status(), "a live link");
    Reply unknown = api.get("/s/" + "A".repeat(43), null);
    assertEquals(404, unknown.status(), "an unknown token");
    assertTrue(unknown.raw().contains("src=\"../share-page.js\""), "the same page, which says the link no longer works");
    assertEquals("noindex, nofollow", unknown.headers().get("x-robots-tag"));
    assertEquals(404, api.get("/s/not-a-token", null).status(), "a malformed token");
    assertEquals(204, api.delete("/api/shares/" + token, alice.token()).status());
    assertEquals(404, api.get("/s/" + token, null).status(), "a revoked link");
  }
}
