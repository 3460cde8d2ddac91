package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery and read pointers, their events, the receipts view and the read-receipts switch. */
class ReceiptsTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private int ack(Account who, String conversationId, String kind, long seq) {
    return api.post("/api/conversations/" + conversationId + "/" + kind, who.token(), new JsonObject().put("seq", seq)).status();
  }

  private JsonObject receiptOf(Account viewer, String conversationId, Account member) {
    return api.get("/api/conversations/" + conversationId + "/receipts", viewer.token()).json().getJsonArray("receipts")
        .stream().map(r -> (JsonObject) r).filter(r -> member.id().equals(r.getString("userId"))).findFirst().orElseThrow();
  }

  private static JsonObject pointer(String conversationId, Account who, long seq) {
    return new JsonObject().put("conversationId", conversationId).put("userId", who.id()).put("seq", seq);
  }

  @Test
  void deliveredAndReadPointersOnlyMoveForwardAndAreClamped() {
    Account reader = api.signUp("reader");
    Account writer = api.signUp("writer");
    String id = api.direct(writer, reader);
    for (int i = 1; i <= 5; i++) {
      api.send(writer, id, "news " + i);
    }
    assertEquals(204, ack(reader, id, "delivered", 3));
    assertEquals(new JsonObject().put("userId", reader.id()).put("deliveredSeq", 3).put("readSeq", 0), receiptOf(writer, id, reader));
    assertEquals(204, ack(reader, id, "delivered", 1));
    assertEquals(3, receiptOf(writer, id, reader).getLong("deliveredSeq"), "never backwards");
    assertEquals(204, ack(reader, id, "read", 2));
    assertEquals(new JsonObject().put("userId", reader.id()).put("deliveredSeq", 3).put("readSeq", 2), receiptOf(writer, id, reader),
        "reading behind the delivery pointer leaves it");
    assertEquals(204, ack(reader, id, "read", 4));
    assertEquals(new JsonObject().put("userId", reader.id()).put("deliveredSeq", 4).put("readSeq", 4), receiptOf(writer, id, reader),
        "read implies delivered");
    assertEquals(204, ack(reader, id, "delivered", 500));
    assertEquals(204, ack(reader, id, "read", 1));
    assertEquals(new JsonObject().put("userId", reader.id()).put("deliveredSeq", 5).put("readSeq", 4), receiptOf(writer, id, reader),
        "clamped to the last seq, and read never backwards");
    assertEquals(new JsonObject().put("userId", writer.id()).put("deliveredSeq", 0).put("readSeq", 0), receiptOf(reader, id, writer));

    assertEquals(400, ack(reader, id, "delivered", -1));
    assertEquals("seq", api.post("/api/conversations/" + id + "/delivered", reader.token(), new JsonObject()).errorField());
    Account outsider = api.signUp("outsider");
    assertEquals(404, ack(outsider, id, "delivered", 1));
    assertEquals(404, api.get("/api/conversations/" + id + "/receipts", outsider.token()).status());
  }

  @Test
  void theOtherMembersSeeDeliveredAndReadEvents() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String id = api.group(alice, "Receipts", bob, carol);
    try (WsClient aliceWs = api.webSocket(alice, null); WsClient bobWs = api.webSocket(bob, null);
         WsClient carolWs = api.webSocket(carol, null)) {
      long seq = api.send(alice, id, "did you get this?").getLong("seq");
      bobWs.next("message");
      bobWs.send(new JsonObject().put("type", "delivered").put("conversationId", id).put("seq", seq));
      assertEquals(pointer(id, bob, seq), aliceWs.next("delivered").getJsonObject("data"));
      assertEquals(pointer(id, bob, seq), carolWs.next("delivered").getJsonObject("data"));
      bobWs.send(new JsonObject().put("type", "delivered").put("conversationId", id).put("seq", seq));
      assertEquals(List.of(), aliceWs.collect("delivered", 300), "a receipt that moves nothing sends nothing");

      bobWs.send(new JsonObject().put("type", "read").put("conversationId", id).put("seq", seq));
      assertEquals(pointer(id, bob, seq), aliceWs.next("read").getJsonObject("data"));
      assertEquals(pointer(id, bob, seq), bobWs.next("read").getJsonObject("data"), "the reader's own connections too");
      assertEquals(List.of(), bobWs.collect("delivered", 300), "nobody is told of their own delivery");

      bobWs.send(new JsonObject().put("type", "delivered").put("conversationId", "c-none").put("seq", 1));
      assertEquals("not_found", bobWs.next("error").getJsonObject("data").getString("code"));
      bobWs.send(new JsonObject().put("type", "delivered").put("conversationId", id).put("seq", "x"));
      assertEquals("seq", bobWs.next("error").getJsonObject("data").getString("field"));
    }
  }

  @Test
  void aUserWhoTurnedReadReceiptsOffStillClearsTheirOwnBadgesEverywhere() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    api.patch("/api/me", bob.token(), new JsonObject().put("readReceipts", false));
    api.send(alice, id, "one");
    long last = api.send(alice, id, "two").getLong("seq");
    try (WsClient aliceWs = api.webSocket(alice, null); WsClient bobLaptop = api.webSocket(bob, null);
         WsClient bobPhone = api.webSocket(bob, null)) {
      assertEquals(2, conversationOf(bob, id).getLong("unread"));
      bobLaptop.send(new JsonObject().put("type", "read").put("conversationId", id).put("seq", last));
      assertEquals(pointer(id, bob, last), bobPhone.next("read").getJsonObject("data"), "the other tab clears its badge");
      assertEquals(pointer(id, bob, last), bobLaptop.next("read").getJsonObject("data"));
      assertEquals(pointer(id, bob, last), aliceWs.next("delivered").getJsonObject("data"), "delivery is still shown");
      assertEquals(List.of(), aliceWs.collect("read", 300), "the read position is not");
      assertEquals(0, conversationOf(bob, id).getLong("unread"), "bob's own unread count follows his reading");
      assertEquals(last, conversationOf(bob, id).getLong("lastReadSeq"));
    }
    JsonObject seenByAlice = receiptOf(alice, id, bob);
    assertEquals(last, seenByAlice.getLong("deliveredSeq"));
    assertFalse(seenByAlice.containsKey("readSeq"), "left out for others");
    assertEquals(last, receiptOf(bob, id, bob).getLong("readSeq"), "but bob sees his own");

    api.patch("/api/me", bob.token(), new JsonObject().put("readReceipts", true));
    assertEquals(last, receiptOf(alice, id, bob).getLong("readSeq"));
  }

  @Test
  void aFloodOfReceiptFramesEndsWithEveryPointerAtItsLastSeq() throws InterruptedException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    String group = api.group(alice, "Flood", bob);
    long lastDirect = 0;
    long lastGroup = 0;
    for (int i = 0; i < 30; i++) {
      lastDirect = api.send(alice, direct, "d" + i).getLong("seq");
      lastGroup = api.send(alice, group, "g" + i).getLong("seq");
    }
    try (WsClient bobWs = api.webSocket(bob, null)) {
      // Many frames per conversation while earlier ones are still with the store: they collapse.
      List<JsonObject> burst = new ArrayList<>();
      for (long seq = 1; seq <= lastGroup; seq++) {
        burst.add(new JsonObject().put("type", "delivered").put("conversationId", group).put("seq", seq));
        burst.add(new JsonObject().put("type", "delivered").put("conversationId", direct).put("seq", Math.min(seq, lastDirect)));
        burst.add(new JsonObject().put("type", "read").put("conversationId", direct).put("seq", Math.min(seq, lastDirect)));
      }
      bobWs.sendAll(burst);
      JsonObject expectedDirect = new JsonObject().put("userId", bob.id()).put("deliveredSeq", lastDirect).put("readSeq", lastDirect);
      await().atMost(Duration.ofSeconds(5)).alias("the last frame of each kind is applied")
          .untilAsserted(() -> assertEquals(expectedDirect, receiptOf(alice, direct, bob), "the last frame of each kind is applied"));
      assertEquals(lastGroup, receiptOf(alice, group, bob).getLong("deliveredSeq"));
      assertEquals(List.of(), bobWs.collect("error", 0), "and none of them was refused");
    }
  }

  @Test
  void receiptsListEveryMemberInJoinOrder() {
    Account owner = api.signUp("owner");
    Account a = api.signUp("a");
    Account b = api.signUp("b");
    String id = api.group(owner, "Everyone", a, b);
    JsonArray receipts = api.get("/api/conversations/" + id + "/receipts", a.token()).json().getJsonArray("receipts");
    assertEquals(List.of(owner.id(), a.id(), b.id()), receipts.stream().map(r -> ((JsonObject) r).getString("userId")).toList());
    assertEquals(new JsonObject().put("userId", a.id()).put("deliveredSeq", 0).put("readSeq", 0), receipts.getJsonObject(1));
  }

  private JsonObject conversationOf(Account viewer, String id) {
    return api.get("/api/conversations/" + id, viewer.token()).json().getJsonObject("conversation");
  }
}
