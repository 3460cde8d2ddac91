package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A connection that is behind (its write queue past {@code writeQueueMaxBytes}) but not yet past
 * the close bound: typing and receipt events for it are dropped, every message still reaches it,
 * once and in order, when it reads again. Whether the connection is behind is read from the
 * server's own counter ({@code parley_events_shed_total}), not guessed from timing.
 */
@Tag("slow")
class LoadSheddingTest extends NodeTestBase {
  private static final String PAYLOAD = "a reader that is behind loses typing, never messages. ".repeat(80);
  private static final Pattern EVENT_ID = Pattern.compile("(?m)^id: (\\d+)$");
  private static final int ROUND = 20;

  @BeforeAll
  static void startNode() {
    // A small first bound, so the connection is soon behind; a close bound far above anything this
    // test writes, so it is never closed.
    node = TestNode.start(c -> {
      c.getJsonObject("push").put("writeQueueMaxBytes", 16 * 1024).put("writeQueueCloseBytes", 64 * 1024 * 1024);
      c.getJsonObject("metrics").put("enabled", true);
    });
  }

  @Test
  void aStreamThatIsBehindLosesTypingAndReceiptsButNoMessage() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String id = api.group(alice, "Behind", bob, carol);
    String request = "GET /api/events?access_token=" + bob.token() + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
        + "\r\nAccept: text/event-stream\r\n\r\n";
    try (WsClient aliceWs = api.webSocket(alice, null); StalledClient stalled = new StalledClient(node.port(), request)) {
      stalled.readUntil("event: ready");
      double shedBefore = shed();

      List<Long> sent = new ArrayList<>();
      int typings = 0;
      for (int round = 0; round < 300 && shed() == shedBefore; round++) {
        for (int i = 0; i < ROUND; i++) {
          aliceWs.send(new JsonObject().put("type", "send").put("clientId", "m-" + round + "-" + i)
              .put("conversationId", id).put("msgType", "text").put("text", PAYLOAD));
        }
        for (int i = 0; i < ROUND; i++) {
          sent.add(aliceWs.next("ack").getJsonObject("data").getLong("id"));
        }
        assertEquals(204, api.post("/api/conversations/" + id + "/typing", carol.token(), null).status());
        typings++;
      }
      assertTrue(shed() > shedBefore, "bob's stream fell behind and lost an ephemeral event");

      // Still behind (bob has read nothing): carol's receipt is dropped for him, a message is not.
      long lastSeq = api.get("/api/conversations/" + id + "/messages?limit=1", carol.token()).json()
          .getJsonArray("messages").getJsonObject(0).getLong("seq");
      assertEquals(204, api.post("/api/conversations/" + id + "/delivered", carol.token(),
          new JsonObject().put("seq", lastSeq)).status());
      sent.add(api.send(alice, id, "the last word").getLong("id"));

      String stream = stalled.readUntil("the last word");
      List<Long> received = new ArrayList<>();
      Matcher m = EVENT_ID.matcher(stream);
      while (m.find()) {
        received.add(Long.parseLong(m.group(1)));
      }
      // Acks may come back in any order; events come in event-id order.
      assertEquals(sent.stream().sorted().toList(), received, "every message, once and in order");
      int typingSeen = stream.split("event: typing\n", -1).length - 1;
      assertTrue(typingSeen < typings, typingSeen + " of " + typings + " typing events");
      assertFalse(stream.contains("event: delivered"), "the receipt was dropped for the stream that was behind");
    }
  }

  /** The node's count of ephemeral events dropped for connections that were behind. */
  private double shed() {
    String metrics = api.get("/metrics", null).raw();
    Matcher m = Pattern.compile("(?m)^parley_events_shed_total(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
