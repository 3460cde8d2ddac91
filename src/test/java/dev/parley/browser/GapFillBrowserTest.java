package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's safety net: a message the live stream never delivered (whatever lost it) shows
 * up anyway once a later message of the conversation reveals the hole in {@code seq}, fetched
 * over REST; with debug on, the client says so in its console. The loss is made at the one
 * place a test can make it without touching the server: Bob's stream is stopped, and the later
 * message (real, read from the server) is handed to the client's own event entrance, the way
 * a stream that lost its predecessor would hand it over.
 */
class GapFillBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void aMessageTheStreamNeverDeliveredIsFetchedOnceTheNextOneShowsTheHole() {
    Browser alice = browser(Browser.Size.DESKTOP);
    Browser bob = browser(Browser.Size.DESKTOP, baseUrl() + "?debug");
    String bobName = name("bob");
    alice.signUp(name("alice"), "Alice", PASSWORD);
    bob.signUp(bobName, "Bob", PASSWORD);
    alice.startDirectChat(bobName);
    alice.send("before");
    bob.openConversation("Alice");
    bob.waitForMessage("before");

    bob.js("return import('./js/sync.js').then(sync => { sync.push.stop(); return true; })");
    alice.send("lost on the way");
    alice.send("after the hole");
    alice.waitFor("stored", d -> alice.waitForMessage("after the hole").get("id") != null);
    assertFalse(bob.texts().contains("lost on the way"), "Bob's stream really is stopped");

    String handed = bob.js("return Promise.all([import('./js/sync.js'), import('./js/store.js'), import('./js/api.js')])"
        + ".then(([sync, store, api]) => api.getMessages(store.state.openId, { after: 0, limit: 200 }).then(page => {"
        + "  const last = page.messages[page.messages.length - 1];"
        + "  sync.onEvent('message', last);"
        + "  return last.text; }))");
    assertEquals("after the hole", handed);

    bob.waitForMessage("lost on the way");
    assertEquals(List.of("before", "lost on the way", "after the hole"), bob.texts());
    Long seen = bob.js("return import('./js/sync.js').then(sync => sync.gaps.seen)");
    assertEquals(1L, seen);
    assertTrue(bob.console().stream().anyMatch(line -> line.contains("parley: filled a gap")),
        "debug mode reports the filled gap in the console");
  }
}
