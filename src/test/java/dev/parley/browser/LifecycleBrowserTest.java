package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message lifecycle in two browsers: the sender edits a message and both see the new text marked
 * edited; the other reacts and both see the count. Skipped, saying so, on a server without edits.
 */
class LifecycleBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void anEditAndAReactionShowOnBothSides() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    // An edit made before anyone looks: history shows the edited text.
    JsonObject earlier = api.send(alice, conversation, "Helo");
    Reply edited = api.patch("/api/conversations/" + conversation + "/messages/" + earlier.getLong("id"), alice.token(),
        new JsonObject().put("text", "Hello"));
    assertEquals(200, edited.status(), edited.raw());

    Browser a = browser(Browser.Size.DESKTOP);
    Browser b = browser(Browser.Size.PHONE);
    a.signIn(alice.username(), "correct horse");
    b.signIn(bob.username(), "correct horse");
    a.openConversation(bob.username());
    b.openConversation(alice.username());
    b.waitForMessage("Hello");
    a.send("teh plan");
    String id = (String) b.waitForMessage("teh plan").get("id");

    a.messageAction(id, "edit");
    a.type("edit-text", "the plan");
    a.click("edit-save");
    for (Browser x : List.of(a, b)) {
      x.waitFor("edited text", d -> Boolean.TRUE.equals(x.js(
          "const m = document.querySelector('[data-testid=\"message\"][data-message-id=\"' + arguments[0] + '\"]');"
              + " return !!m && m.querySelector('[data-testid=\"message-text\"]').textContent === 'the plan'"
              + " && !!m.querySelector('.edited')", id)));
    }

    b.messageAction(id, "react");
    for (Browser x : List.of(a, b)) {
      x.waitFor("reaction shown", d -> Boolean.TRUE.equals(x.js(
          "const m = document.querySelector('[data-testid=\"message\"][data-message-id=\"' + arguments[0] + '\"]');"
              + " const r = m && m.querySelector('[data-testid=\"reaction\"]');"
              + " return !!r && r.textContent === '\\u{1F44D} 1'", id)));
    }
  }
}
