package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browser;
import dev.parley.support.NetProxy;
import dev.parley.support.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server ends a WebSocket whose access token expired unless the client renewed it in-band
 * (an {@code auth} frame). With six-second tokens and the expiry checked every second, a tab
 * that stays open for several lifetimes keeps its one WebSocket: it refreshes, hands the socket
 * each new token, and every message arrives live over that same socket.
 */
class TokenRenewalBrowserTest extends BrowserTestBase {
  private static final int TOKEN_SECONDS = 6;

  @BeforeAll
  static void start() {
    node = TestNode.start(c -> {
      c.getJsonObject("auth").put("accessTokenSeconds", TOKEN_SECONDS);
      c.getJsonObject("push").put("pingSeconds", 1);
    });
  }

  @Test
  void anOpenTabKeepsItsWebSocketAcrossManyTokenLifetimes() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port())) {
      Browser alice = browser(Browser.Size.DESKTOP);
      // Bob through a proxy that notes his requests, WebSocket handshakes included.
      Browser bob = browser(Browser.Size.DESKTOP, "http://127.0.0.1:" + proxy.port() + "/");
      String bobName = name("bob");
      alice.signUp(name("alice"), "Alice", PASSWORD);
      bob.signUp(bobName, "Bob", PASSWORD);
      alice.startDirectChat(bobName);
      alice.send("hello");
      bob.openConversation("Alice");
      bob.waitForMessage("hello");
      long refreshesBefore = refreshes(proxy);

      List<String> expected = new ArrayList<>(List.of("hello"));
      long end = System.nanoTime() + 3L * TOKEN_SECONDS * 1_000_000_000L;
      for (int i = 1; System.nanoTime() < end; i++) {
        String text = "live " + i;
        alice.send(text);
        expected.add(text);
        bob.waitForMessage(text);
        long next = System.nanoTime() + 2_000_000_000L;
        bob.waitFor("two seconds", d -> System.nanoTime() > next);
      }

      assertEquals(expected, bob.texts());
      List<String> handshakes = proxy.requests().stream().filter(r -> r.startsWith("GET /api/ws")).toList();
      assertEquals(1, handshakes.size(), "one WebSocket for the whole time: " + handshakes);
      assertTrue(refreshes(proxy) - refreshesBefore >= 2, "Bob's tab refreshed its token");
      assertEquals("Bob", bob.text("me-name"), "still signed in");
    }
  }

  private static long refreshes(NetProxy proxy) {
    return proxy.requests().stream().filter(r -> r.equals("POST /api/auth/refresh")).count();
  }
}
