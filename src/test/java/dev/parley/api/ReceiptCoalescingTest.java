package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipt events are coalesced per member and conversation: a member who acknowledges message
 * after message within the window costs every other member one event, carrying the latest
 * pointer, while the pointers themselves are stored at once. (A whole second of window here, so
 * the burst below surely falls into one; the default is 200 ms.)
 */
class ReceiptCoalescingTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> c.getJsonObject("store").put("receiptsCoalesceMs", 1000));
  }

  private static JsonObject ack(String kind, String conversationId, long seq) {
    return new JsonObject().put("type", kind).put("conversationId", conversationId).put("seq", seq);
  }

  private static JsonObject pointer(String conversationId, Account who, long seq) {
    return new JsonObject().put("conversationId", conversationId).put("userId", who.id()).put("seq", seq);
  }

  @Test
  void aBurstOfReceiptsReachesEveryOtherMemberAsOneEventWithTheLatestPointer() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String id = api.group(alice, "Busy", bob, carol);
    try (WsClient aliceWs = api.webSocket(alice, null); WsClient bobWs = api.webSocket(bob, null);
         WsClient carolWs = api.webSocket(carol, null)) {
      long last = 0;
      for (int i = 1; i <= 10; i++) {
        last = api.send(alice, id, "update " + i).getLong("seq");
      }
      for (long seq = last - 9; seq <= last; seq++) {
        bobWs.send(ack("delivered", id, seq));
      }

      assertEquals(pointer(id, bob, last), carolWs.next("delivered").getJsonObject("data"));
      assertEquals(pointer(id, bob, last), aliceWs.next("delivered").getJsonObject("data"));
      assertEquals(List.of(), carolWs.collect("delivered", 1500), "one event for ten receipts");
      assertEquals(last, api.get("/api/conversations/" + id + "/receipts", carol.token()).json().getJsonArray("receipts")
          .getJsonObject(1).getLong("deliveredSeq"));

      bobWs.send(ack("delivered", id, last));
      bobWs.send(ack("read", id, last - 5));
      bobWs.send(ack("read", id, last));
      assertEquals(pointer(id, bob, last), carolWs.next("read").getJsonObject("data"));
      assertEquals(pointer(id, bob, last), bobWs.next("read").getJsonObject("data"), "bob's own tabs as well");
      assertEquals(List.of(), carolWs.collect("read", 1500), "one event for two reads");
      assertEquals(List.of(), carolWs.collect("delivered", 0), "and none for a delivery that moved nothing");
    }
  }
}
