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
import org.openqa.selenium.WindowType;

/**
 * Two tabs of one browser share one refresh token, and the server rotates it on every refresh
 * (presenting a rotated one signs the whole family out). With access tokens that expire every
 * few seconds, both tabs keep refreshing while their user chats, and neither is signed out.
 */
class TabsAndTokensBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    // One second, plus the server's five seconds of leeway.
    node = TestNode.start(c -> c.getJsonObject("auth").put("accessTokenSeconds", 1));
  }

  @Test
  void twoTabsKeepRefreshingWithoutSigningEachOtherOut() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port())) {
      chatFromTwoTabs(proxy);
      long refreshes = proxy.requests().stream().filter(r -> r.equals("POST /api/auth/refresh")).count();
      assertTrue(refreshes >= 4, "both tabs refreshed, more than once: " + refreshes);
    }
  }

  private void chatFromTwoTabs(NetProxy proxy) {
    Browser alice = browser(Browser.Size.DESKTOP);
    // Bob through a proxy that counts his requests.
    Browser bob = browser(Browser.Size.DESKTOP, "http://127.0.0.1:" + proxy.port() + "/");
    String bobName = name("bob");
    alice.signUp(name("alice"), "Alice", PASSWORD);
    bob.signUp(bobName, "Bob", PASSWORD);
    alice.startDirectChat(bobName);
    alice.send("hello");
    bob.openConversation("Alice");
    String[] tabs = new String[2];
    tabs[0] = bob.driver.getWindowHandle();
    bob.driver.switchTo().newWindow(WindowType.TAB);
    bob.driver.get(bob.baseUrl);
    bob.openConversation("Alice");
    tabs[1] = bob.driver.getWindowHandle();

    List<String> expected = new ArrayList<>(List.of("hello"));
    for (int round = 1; round <= 2; round++) {
      long expired = System.nanoTime() + 7_000_000_000L;
      bob.waitFor("every access token so far has expired", d -> System.nanoTime() > expired);
      for (int tab = 0; tab < 2; tab++) {
        // Alice writes; Bob's tab in front marks it read (a REST call, so a refresh first) and answers.
        bob.driver.switchTo().window(tabs[tab]);
        String question = "round " + round + ", tab " + (tab + 1) + "?";
        alice.send(question);
        expected.add(question);
        bob.waitForMessage(question);
        alice.waitFor("read", d -> "Read".equals(alice.waitForMessage(question).get("readState")));
        String answer = "round " + round + " from tab " + (tab + 1);
        bob.send(answer);
        expected.add(answer);
        alice.waitForMessage(answer);
      }
    }
    for (String tab : tabs) {
      bob.driver.switchTo().window(tab);
      bob.waitForMessage(expected.get(expected.size() - 1));
      assertEquals(expected, bob.texts());
      assertEquals("Bob", bob.text("me-name"), "still signed in");
    }
    assertEquals(expected, alice.texts());
  }
}
