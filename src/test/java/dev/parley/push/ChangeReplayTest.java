package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edits, reactions and recalls are events of the conversation's log with new event ids: a client
 * that resumes after the change gets the changed message again, once, though the message itself
 * is older than its cursor.
 */
class ChangeReplayTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private record Scene(Account alice, Account bob, String conversationId, long messageId, long cursor) {
    String path() {
      return "/api/conversations/" + conversationId + "/messages/" + messageId;
    }
  }

  /** Alice sends; bob sees it live and disconnects with the message's event id as his cursor. */
  private Scene sentAndSeen(String text) {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    long cursor;
    long messageId;
    try (WsClient bobWs = api.webSocket(bob, null)) {
      messageId = api.send(alice, id, text).getLong("id");
      cursor = bobWs.next("message").getLong("id");
    }
    assertEquals(messageId, cursor);
    return new Scene(alice, bob, id, messageId, cursor);
  }

  /** Resumes bob over WebSocket after {@code change} and returns the one message frame replayed. */
  private JsonObject replayedOnce(Scene scene, Consumer<Scene> change) {
    change.accept(scene);
    try (WsClient bobWs = api.webSocket(scene.bob(), scene.cursor())) {
      List<JsonObject> frames = bobWs.collect("message", 500);
      assertEquals(1, frames.size(), "the changed message, once: " + frames);
      JsonObject frame = frames.get(0);
      assertTrue(frame.getLong("id") > scene.cursor(), "under a new, larger event id");
      assertEquals(scene.messageId(), frame.getJsonObject("data").getLong("id"));
      return frame;
    }
  }

  @Test
  void anEditIsReplayedAfterTheCursor() {
    Scene scene = sentAndSeen("first draft");
    JsonObject frame = replayedOnce(scene, s -> assertEquals(200, api.patch(s.path(), s.alice().token(),
        new JsonObject().put("text", "final text")).status()));
    assertEquals("final text", frame.getJsonObject("data").getString("text"));
    assertTrue(frame.getJsonObject("data").getBoolean("edited"));
  }

  @Test
  void aRecallIsReplayedAfterTheCursor() {
    Scene scene = sentAndSeen("regrettable");
    JsonObject frame = replayedOnce(scene, s -> assertEquals(204, api.delete(s.path(), s.alice().token()).status()));
    assertTrue(frame.getJsonObject("data").getBoolean("recalled"));
    assertFalse(frame.getJsonObject("data").containsKey("text"));
  }

  @Test
  void aReactionIsReplayedAfterTheCursor() {
    Scene scene = sentAndSeen("nice one");
    JsonObject frame = replayedOnce(scene, s -> assertEquals(204, api.put(s.path() + "/reactions/"
        + URLEncoder.encode("🎉", StandardCharsets.UTF_8), s.alice().token(), null).status()));
    assertEquals("🎉", frame.getJsonObject("data").getJsonArray("reactions").getJsonObject(0).getString("emoji"));
  }

  @Test
  void severalChangesAreReplayedOnceInTheFinalFormOverSse() {
    Scene scene = sentAndSeen("draft");
    api.patch(scene.path(), scene.alice().token(), new JsonObject().put("text", "edited once"));
    api.put(scene.path() + "/reactions/" + URLEncoder.encode("👍", StandardCharsets.UTF_8), scene.bob().token(), null);
    api.patch(scene.path(), scene.alice().token(), new JsonObject().put("text", "edited twice"));
    try (SseClient bobSse = api.events(scene.bob(), scene.cursor())) {
      List<SseClient.Event> events = bobSse.collect("message", 500);
      assertEquals(1, events.size());
      assertEquals("edited twice", events.get(0).data().getString("text"));
      assertEquals(1, events.get(0).data().getJsonArray("reactions").size());
    }
  }

  @Test
  void connectedClientsSeeEachChangeLiveAndNoChangeMeansNoEvent() {
    Scene scene = sentAndSeen("live");
    String thumbs = scene.path() + "/reactions/" + URLEncoder.encode("👍", StandardCharsets.UTF_8);
    try (WsClient aliceWs = api.webSocket(scene.alice(), null); WsClient bobWs = api.webSocket(scene.bob(), null)) {
      api.put(thumbs, scene.bob().token(), null);
      JsonObject first = aliceWs.next("message");
      assertEquals(first, bobWs.next("message"), "every member, the reactor's own connections included");
      api.patch(scene.path(), scene.alice().token(), new JsonObject().put("text", "live!"));
      assertEquals("live!", aliceWs.next("message").getJsonObject("data").getString("text"));
      api.put(thumbs, scene.bob().token(), null);
      api.delete(scene.path() + "/reactions/" + URLEncoder.encode("👎", StandardCharsets.UTF_8), scene.bob().token());
      api.patch(scene.path(), scene.alice().token(), new JsonObject().put("text", "live!"));
      assertEquals(List.of(), aliceWs.collect("message", 400), "a repeat, a removal of nothing, the same edit again: no event");
      api.delete(thumbs, scene.bob().token());
      JsonObject second = aliceWs.next("message");
      assertTrue(second.getLong("id") > first.getLong("id"));
      assertEquals(0, second.getJsonObject("data").getJsonArray("reactions").size());
    }
  }
}
