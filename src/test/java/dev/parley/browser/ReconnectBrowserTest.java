package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browser;
import dev.parley.support.NetProxy;
import dev.parley.support.TestNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dropped connection: the client says "reconnecting", backs off, resumes from its last event
 * id, and afterwards shows every message exactly once, its own sends from the outage included.
 * Bob's browser reaches the node through a proxy whose connections the test kills.
 */
class ReconnectBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void overWebSocket() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port())) {
      outageWithSendsOnBothSides(proxy);
      assertTrue(proxy.requests().stream().anyMatch(r -> r.startsWith("GET /api/ws?")), "used the WebSocket");
    }
  }

  @Test
  void overServerSentEventsWhenTheProxyRefusesWebSockets() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port()).refuseWebSockets()) {
      outageWithSendsOnBothSides(proxy);
      List<String> streams = proxy.requests().stream().filter(r -> r.startsWith("GET /api/events?")).toList();
      assertTrue(streams.size() >= 2, "an event stream before and after the outage: " + streams);
      assertTrue(streams.get(streams.size() - 1).contains("since="), "resumed from its last event id");
    }
  }

  private void outageWithSendsOnBothSides(NetProxy proxy) {
    Browser alice = browser(Browser.Size.DESKTOP);
    Browser bob = browser(Browser.Size.DESKTOP, "http://127.0.0.1:" + proxy.port() + "/");
    String bobName = name("bob");
    alice.signUp(name("alice"), "Alice", PASSWORD);
    bob.signUp(bobName, "Bob", PASSWORD);
    alice.startDirectChat(bobName);
    alice.send("before");
    bob.openConversation("Alice");
    bob.waitForMessage("before");
    bob.waitFor("connected", d -> !bob.visible("connection-banner"));

    proxy.cut();
    bob.waitFor("reconnecting banner", d -> bob.visible("connection-banner"));
    assertEquals("Reconnecting…", bob.text("connection-banner"));
    alice.send("one");
    alice.send("two");
    alice.send("three");
    alice.waitFor("stored", d -> alice.waitForMessage("three").get("id") != null);
    bob.send("while away");
    bob.waitFor("failed with a retry button", d -> "failed".equals(bob.waitForMessage("while away").get("state"))
        && bob.visible("retry"));
    assertFalse(bob.texts().contains("one"), "the connection really was down");

    proxy.restore();
    bob.waitFor("banner gone", d -> !bob.visible("connection-banner"));
    bob.waitForMessage("three");
    bob.waitFor("own message stored", d -> bob.waitForMessage("while away").get("id") != null);
    alice.waitForMessage("while away");
    List<String> all = List.of("before", "one", "two", "three", "while away");
    assertEquals(all, bob.texts());
    assertEquals(all, alice.texts());

    // Tokens stay out of URLs except on the push endpoints, where the contract needs them.
    for (String request : proxy.requests()) {
      if (!request.startsWith("GET /api/ws?") && !request.startsWith("GET /api/events?")) {
        assertFalse(request.contains("access_token"), request);
      }
    }
  }
}
