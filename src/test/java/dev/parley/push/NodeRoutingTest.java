package dev.parley.push;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.DeliveryWatch;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store routes events by node: an event goes once to each push verticle that holds a
 * connection of a recipient, with the recipients there, and users with no connection cost
 * nothing. Watched on the node's own event bus, where the store's outgoing messages are seen.
 */
class NodeRoutingTest extends NodeTestBase {
  private static DeliveryWatch watch;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
    watch = new DeliveryWatch(node.node().vertx());
  }

  @Test
  void aGroupMessageTravelsOnceToTheNodeWithEveryConnectedMemberAndNoOneElse() {
    Account owner = api.signUp("owner");
    List<Account> members = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      members.add(api.signUp("member"));
    }
    String group = api.group(owner, "routing", members.toArray(Account[]::new));
    List<WsClient> sockets = new ArrayList<>();
    Set<String> connected = new HashSet<>();
    try {
      for (Account member : members.subList(0, 6)) {
        sockets.add(api.webSocket(member, null));
        connected.add(member.id());
      }
      sockets.add(api.webSocket(members.get(0), null)); // a second device of the first member

      api.send(owner, group, "once per node");

      for (WsClient socket : sockets) {
        assertEquals("once per node", socket.next("message").getJsonObject("data").getString("text"));
      }
      List<DeliveryWatch.Sent> carried = watch.of("once per node");
      assertEquals(1, carried.size(), "one bus message for the whole group: " + carried);
      assertEquals(connected, carried.get(0).recipients(), "the connected members, each once; the offline five and the owner not at all");
    } finally {
      sockets.forEach(WsClient::close);
    }
  }

  @Test
  void aUsersLastConnectionClosingEndsTheRouteAndTheCursorBringsWhatCameMeanwhile() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    long seen;
    try (WsClient bobWs = api.webSocket(bob, null)) {
      api.send(alice, direct, "while bob is here");
      seen = bobWs.next("message").getLong("id");
      assertTrue(watch.recipientsOf("while bob is here").contains(bob.id()));
    }
    awaitOffline(alice, bob);

    api.send(alice, direct, "while bob is away");
    assertFalse(watch.recipientsOf("while bob is away").contains(bob.id()), "no route to a user with no connection");

    try (WsClient bobWs = api.webSocket(bob, seen)) {
      assertEquals("while bob is away", bobWs.next("message").getJsonObject("data").getString("text"), "replayed from his cursor");
      api.send(alice, direct, "bob is back");
      assertEquals("bob is back", bobWs.next("message").getJsonObject("data").getString("text"), "and routed to again");
      assertTrue(watch.recipientsOf("bob is back").contains(bob.id()));
    }
  }

  /** Waits until the store counts {@code user} offline, as {@code viewer} sees it. */
  private void awaitOffline(Account viewer, Account user) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .alias(user.username() + " is offline once his last connection is closed")
        .until(() -> !api.get("/api/users/" + user.id(), viewer.token()).json().getJsonObject("user").getBoolean("online"));
  }
}
