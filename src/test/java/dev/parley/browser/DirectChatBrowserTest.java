package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

/** Two people in two browsers: sign up, start a direct chat, talk both ways; one of them in two tabs. */
class DirectChatBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void twoPeopleSignUpAndChat() {
    Browser alice = browser(Browser.Size.PHONE);
    Browser bob = browser(Browser.Size.DESKTOP);
    String aliceName = name("alice");
    String bobName = name("bob");
    alice.signUp(aliceName, "Alice", PASSWORD);
    bob.signUp(bobName, "Bob", PASSWORD);

    alice.startDirectChat(bobName);
    assertEquals("Bob", alice.text("chat-title"));
    alice.send("Hi Bob");
    alice.waitFor("stored", d -> "sent".equals(alice.waitForMessage("Hi Bob").get("state"))
        && alice.waitForMessage("Hi Bob").get("id") != null);

    bob.waitFor("unread badge", d -> bob.visible("unread-badge") && bob.text("unread-badge").equals("1"));
    assertEquals("Hi Bob", bob.text("conversation-preview"));
    assertTrue(bob.visible("online-dot"), "Alice is online");
    bob.openConversation("Alice");
    assertEquals("online", bob.text("chat-subtitle"));
    bob.waitForMessage("Hi Bob");
    alice.waitFor("read by Bob", d -> "Read".equals(alice.waitForMessage("Hi Bob").get("readState")));

    bob.find("composer").sendKeys("Hel");
    alice.waitFor("Bob typing", d -> alice.text("typing").equals("Bob is typing…"));
    bob.send("lo Alice");
    alice.waitForMessage("Hello Alice");
    alice.waitFor("typing cleared", d -> alice.text("typing").isEmpty());
    assertEquals(List.of("Hi Bob", "Hello Alice"), alice.texts());
    assertEquals(List.of("Hi Bob", "Hello Alice"), bob.texts());
    bob.waitFor("badge cleared", d -> !bob.visible("unread-badge"));

    // Recall: the sender takes a message back; both sides show it as recalled.
    alice.send("wrong chat, sorry");
    String id = (String) bob.waitForMessage("wrong chat, sorry").get("id");
    alice.messageAction(id, "recall");
    for (Browser b : List.of(alice, bob)) {
      b.waitFor("recalled", d -> b.messages().stream().anyMatch(m -> id.equals(m.get("id"))
          && "This message was recalled".equals(m.get("text"))));
    }

    // Search: Bob finds Alice's greeting and jumps to it.
    bob.click("open-search");
    bob.type("search-input", "Hi Bob");
    bob.waitFor("a result", d -> !bob.all("search-result").isEmpty());
    assertEquals(1, bob.all("search-result").size());
    bob.click("search-result");
    bob.waitFor("dialog closed, message shown", d -> !bob.visible("search-input") && bob.texts().contains("Hi Bob"));
  }

  @Test
  void aSecondTabOfTheSameBrowserIsSignedInAndSeesEachMessageOnce() {
    Browser alice = browser(Browser.Size.DESKTOP);
    Browser bob = browser(Browser.Size.DESKTOP);
    String bobName = name("bob");
    alice.signUp(name("alice"), "Alice", PASSWORD);
    bob.signUp(bobName, "Bob", PASSWORD);
    alice.startDirectChat(bobName);
    alice.send("first");
    bob.openConversation("Alice");
    String firstTab = bob.driver.getWindowHandle();

    bob.driver.switchTo().newWindow(WindowType.TAB);
    bob.driver.get(bob.baseUrl);
    bob.waitFor("signed in without a password", d -> bob.text("me-name").equals("Bob"));
    bob.openConversation("Alice");
    alice.send("second");
    bob.waitForMessage("second");
    bob.send("from tab two");
    alice.waitForMessage("from tab two");
    assertEquals(List.of("first", "second", "from tab two"), bob.texts());

    bob.driver.switchTo().window(firstTab);
    bob.waitForMessage("from tab two");
    assertEquals(List.of("first", "second", "from tab two"), bob.texts());
    assertEquals(List.of("first", "second", "from tab two"), alice.texts());
  }
}
