package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.VoiceSamples;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Media in messages and profiles: what a message carries, who may read the bytes, avatars. */
class MediaMessageTest extends NodeTestBase {
  private Uploads uploads;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @BeforeEach
  void clients() {
    uploads = new Uploads(api);
  }

  private JsonObject image(Account owner) {
    Uploads.Fetched reply = uploads.upload(owner.token(), "cat.png", "image/png", Samples.png(Samples.halves(64, 32)));
    assertEquals(201, reply.status());
    return reply.json().getJsonObject("media");
  }

  private Reply send(Account from, String conversationId, String type, String mediaId) {
    return api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "m-" + java.util.UUID.randomUUID()).put("type", type).put("mediaId", mediaId).put("text", "look"));
  }

  @Test
  void anImageMessageCarriesItsMediaEverywhere() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject media = image(alice);
    try (WsClient bobWs = api.webSocket(bob, null)) {
      Reply sent = send(alice, id, "image", media.getString("id"));
      assertEquals(201, sent.status(), sent.raw());
      JsonObject message = sent.json().getJsonObject("message");
      assertEquals(media, message.getJsonObject("media"));
      assertEquals("look", message.getString("text"), "a caption");

      assertEquals(media, bobWs.next("message").getJsonObject("data").getJsonObject("media"), "the push event");
      JsonArray history = api.get("/api/conversations/" + id + "/messages", bob.token()).json().getJsonArray("messages");
      assertEquals(media, history.getJsonObject(history.size() - 1).getJsonObject("media"), "history");
      JsonObject last = api.get("/api/conversations/" + id, bob.token()).json().getJsonObject("conversation")
          .getJsonObject("lastMessage");
      assertEquals(media, last.getJsonObject("media"), "the conversation's last message");
      try (SseClient replay = api.events(bob, message.getLong("id") - 1)) {
        assertEquals(media, replay.next("message").data().getJsonObject("media"), "replay on resume");
      }
    }
    assertFalse(api.send(alice, id, "plain text").containsKey("media"));
  }

  @Test
  void onlyTheUploaderAndMembersWhereItWasSentMayReadIt() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account eve = api.signUp("eve");
    String id = api.direct(alice, bob);
    JsonObject media = image(alice);
    String url = media.getString("url");

    assertEquals(200, uploads.get(url, alice.token()).status(), "the uploader");
    assertEquals(404, uploads.get(url, bob.token()).status(), "not sent anywhere yet");
    assertEquals(201, send(alice, id, "image", media.getString("id")).status());
    assertEquals(200, uploads.get(url, bob.token()).status(), "a member where it was sent");
    assertEquals(200, uploads.get(media.getString("thumbnailUrl"), bob.token()).status());
    assertEquals(200, uploads.get(url + "?access_token=" + bob.token(), null).status(), "the token in the URL, as <img> sends it");
    Uploads.Fetched outsider = uploads.get(url, eve.token());
    assertEquals(404, outsider.status(), "a non-member");
    assertEquals("not_found", outsider.errorCode());
    assertEquals(404, uploads.get(media.getString("thumbnailUrl"), eve.token()).status());
    assertEquals(401, uploads.get(url, null).status());
    assertEquals(401, uploads.get(url + "?access_token=nonsense", null).status());
    assertEquals(404, uploads.get("/api/media/m000000000000000000000000", alice.token()).status());
    assertEquals(404, uploads.get("/api/media/..%2F..%2Fparley.db", alice.token()).status());
  }

  @Test
  void aMessageMayCarryOnlyMediaOfItsKindThatTheSenderMayRead() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String id = api.direct(alice, bob);
    String other = api.direct(bob, carol);
    JsonObject picture = image(alice);

    Reply wrongKind = send(alice, id, "voice", picture.getString("id"));
    assertEquals(400, wrongKind.status());
    assertEquals("mediaId", wrongKind.errorField());
    Reply notHers = send(bob, id, "image", picture.getString("id"));
    assertEquals(400, notHers.status(), "bob cannot read it yet");
    assertEquals("mediaId", notHers.errorField());

    assertEquals(201, send(alice, id, "image", picture.getString("id")).status());
    assertEquals(201, send(bob, other, "image", picture.getString("id")).status(), "bob may forward what he can read");
    assertEquals(200, uploads.get(picture.getString("url"), carol.token()).status(), "and carol may read it there");

    JsonObject voice = uploads.upload(alice.token(), "hi.ogg", "audio/ogg", VoiceSamples.oggOpus(25)).json().getJsonObject("media");
    Reply spoken = send(alice, id, "voice", voice.getString("id"));
    assertEquals(201, spoken.status());
    assertEquals(500, spoken.json().getJsonObject("message").getJsonObject("media").getLong("durationMs"));
  }

  @Test
  void aRecalledMessageLosesItsMediaAndItsReaders() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject media = image(alice);
    long messageId = send(alice, id, "image", media.getString("id")).json().getJsonObject("message").getLong("id");
    assertEquals(200, uploads.get(media.getString("url"), bob.token()).status());
    try (WsClient bobWs = api.webSocket(bob, null)) {
      assertEquals(204, api.delete("/api/conversations/" + id + "/messages/" + messageId, alice.token()).status());
      JsonObject recalled = bobWs.next("message").getJsonObject("data");
      assertTrue(recalled.getBoolean("recalled"));
      assertNull(recalled.getJsonObject("media"));
    }
    JsonArray history = api.get("/api/conversations/" + id + "/messages", bob.token()).json().getJsonArray("messages");
    assertNull(history.getJsonObject(history.size() - 1).getJsonObject("media"));
    assertEquals(404, uploads.get(media.getString("url"), bob.token()).status());
    assertEquals(200, uploads.get(media.getString("url"), alice.token()).status(), "still the uploader's");
  }

  @Test
  void anAvatarIsAnImageOfOnesOwnAndEveryoneSignedInSeesIt() {
    Account alice = api.signUp("alice");
    Account stranger = api.signUp("stranger");
    JsonObject picture = image(alice);
    Reply updated = api.patch("/api/me", alice.token(), new JsonObject().put("avatarMediaId", picture.getString("id")));
    assertEquals(200, updated.status(), updated.raw());
    String avatarUrl = updated.json().getJsonObject("user").getString("avatarUrl");
    assertEquals(picture.getString("url"), avatarUrl);
    assertEquals(avatarUrl, api.get("/api/users/" + alice.id(), stranger.token()).json().getJsonObject("user").getString("avatarUrl"));
    assertEquals(200, uploads.get(avatarUrl, stranger.token()).status(), "a profile picture is public to users");

    JsonObject text = uploads.upload(alice.token(), "bio.txt", "text/plain", "hello".getBytes()).json().getJsonObject("media");
    assertEquals("avatarMediaId", api.patch("/api/me", alice.token(), new JsonObject().put("avatarMediaId", text.getString("id")))
        .errorField());
    JsonObject theirs = image(stranger);
    assertEquals("avatarMediaId", api.patch("/api/me", alice.token(), new JsonObject().put("avatarMediaId", theirs.getString("id")))
        .errorField());
    Reply cleared = api.patch("/api/me", alice.token(), new JsonObject().putNull("avatarMediaId"));
    assertFalse(cleared.json().getJsonObject("user").containsKey("avatarUrl"));
    assertEquals(404, uploads.get(avatarUrl, stranger.token()).status(), "no longer anyone's avatar");
  }
}
