package dev.parley.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.BridgeClient;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bots that keep no state: the server keeps each bot's acknowledged position, and a bot that
 * registers with {@code resume: server} gets everything after it, at least once and in order,
 * across disconnects and a restart of the node.
 */
class ServerKeptPositionTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private Account bot(Account owner) {
    var made = api.post("/api/bots", owner.token(), new JsonObject().put("username", "relay-" + System.nanoTime()));
    assertEquals(201, made.status(), made.raw());
    return new Account(made.json().getJsonObject("user").getString("id"), null, made.json().getString("token"), null);
  }

  private BridgeClient resumeFromServer(Account bot) {
    BridgeClient bridge = BridgeClient.sockJs(api.vertx, api.webSockets(), node.port());
    bridge.register("chat.user." + bot.id(), BridgeClient.bearer(bot.token()).put("resume", "server"));
    return bridge;
  }

  private JsonObject ack(BridgeClient bridge, Account bot, long id) {
    String replyAddress = bridge.send("chat.ack", new JsonObject().put("id", id), BridgeClient.bearer(bot.token()));
    JsonObject reply = bridge.next("reply");
    assertEquals(replyAddress, reply.getString("address"));
    return reply.getJsonObject("body");
  }

  private static List<String> texts(List<JsonObject> deliveries) {
    return deliveries.stream().map(d -> d.getJsonObject("body").getJsonObject("data").getString("text")).toList();
  }

  @Test
  void aBotThatKeepsNothingResumesAfterWhatItAcknowledgedAcrossReconnectsAndARestart() {
    Account owner = api.signUp("owner");
    Account bot = bot(owner);
    String chat = api.direct(owner, new Account(bot.id(), null, null, null));
    api.send(owner, chat, "before the bot ever connected");

    BridgeClient first = resumeFromServer(bot);
    first.next("ready");
    JsonObject early = first.nextEvent("message");
    assertEquals("before the bot ever connected", early.getJsonObject("data").getString("text"),
        "a bot's position starts where it was made, not at its first connection");
    assertEquals(early.getLong("id"), ack(first, bot, early.getLong("id")).getLong("ackedId"));
    first.close();

    JsonObject one = api.send(owner, chat, "one");
    api.send(owner, chat, "two");
    BridgeClient second = resumeFromServer(bot);
    second.next("ready");
    assertEquals(List.of("one", "two"), texts(second.collect("message", 500)));
    // Acknowledges only the first of them, then goes away without a word.
    ack(second, bot, one.getLong("id"));
    second.close();

    node = node.restart();
    api.send(owner, chat, "three");
    BridgeClient third = resumeFromServer(bot);
    third.next("ready");
    assertEquals(List.of("two", "three"), texts(third.collect("message", 500)),
        "everything not acknowledged comes again, in order, after a restart");
    api.send(owner, chat, "four, live");
    assertEquals("four, live", third.nextEvent("message").getJsonObject("data").getString("text"));
    third.close();
  }

  @Test
  void anAcknowledgementNeverMovesBackNorPastWhatExists() {
    Account owner = api.signUp("owner");
    Account bot = bot(owner);
    String chat = api.direct(owner, new Account(bot.id(), null, null, null));
    BridgeClient bridge = resumeFromServer(bot);
    bridge.next("ready");
    JsonObject sent = api.send(owner, chat, "hello");
    long id = bridge.nextEvent("message").getLong("id");
    assertEquals(sent.getLong("id"), id);

    assertEquals(id, ack(bridge, bot, id).getLong("ackedId"));
    assertEquals(id, ack(bridge, bot, id - 1).getLong("ackedId"), "cumulative: an older id changes nothing");
    bridge.send("chat.ack", new JsonObject().put("id", id + 1_000_000), BridgeClient.bearer(bot.token()));
    assertEquals(400, bridge.next("err").getInteger("failureCode"));
    bridge.send("chat.ack", new JsonObject().put("id", "soon"), BridgeClient.bearer(bot.token()));
    assertEquals(400, bridge.next("err").getInteger("failureCode"));
    bridge.close();
  }

  @Test
  void onlyBotsHaveAServerKeptPosition() {
    Account person = api.signUp("person");
    BridgeClient bridge = BridgeClient.sockJs(api.vertx, api.webSockets(), node.port());
    bridge.register("chat.user." + person.id(), BridgeClient.bearer(person.token()).put("resume", "server"));
    assertEquals(403, bridge.next("err").getInteger("failureCode"));
    bridge.register("chat.user." + person.id(), BridgeClient.bearer(person.token()).put("resume", "server").put("since", "3"));
    assertEquals(400, bridge.next("err").getInteger("failureCode"), "resume: server and since together");
    bridge.send("chat.ack", new JsonObject().put("id", 1), BridgeClient.bearer(person.token()));
    assertEquals(403, bridge.next("err").getInteger("failureCode"));
    assertTrue(bridge.collect("ready", 200).isEmpty());
    bridge.close();
  }
}
