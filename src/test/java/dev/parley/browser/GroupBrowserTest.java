package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** A group of three in three browsers: create, talk, read-by-N, mention, reply, rename, remove, leave. */
class GroupBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void aGroupOfThree() {
    Browser carol = browser(Browser.Size.DESKTOP);
    Browser dave = browser(Browser.Size.PHONE);
    Browser erin = browser(Browser.Size.DESKTOP);
    String daveName = name("dave");
    String erinName = name("erin");
    carol.signUp(name("carol"), "Carol", PASSWORD);
    dave.signUp(daveName, "Dave", PASSWORD);
    erin.signUp(erinName, "Erin", PASSWORD);

    // Carol creates the group with Dave and Erin.
    carol.click("new-group");
    carol.type("group-title", "Launch");
    for (String member : List.of(daveName, erinName)) {
      carol.type("user-search", member);
      carol.waitFor("result " + member, d -> {
        for (WebElement result : carol.all("user-result")) {
          if (member.equals(result.getAttribute("data-username"))) {
            result.click();
            return true;
          }
        }
        return false;
      });
      carol.waitFor("chip " + member, d -> carol.text("group-members").contains(member.startsWith("dave") ? "Dave" : "Erin"));
    }
    carol.click("group-create");
    carol.waitFor("group open", d -> carol.text("chat-title").equals("Launch"));
    assertEquals("3 members", carol.text("chat-subtitle"));
    carol.send("Hello team");
    carol.waitFor("stored", d -> carol.waitForMessage("Hello team").get("id") != null);

    // Both see it, unread; opening it counts as read: "Read by 1", then "Read by 2".
    dave.waitFor("unread on Dave's list", d -> dave.visible("unread-badge"));
    dave.openConversation("Launch");
    dave.waitForMessage("Hello team");
    carol.waitFor("read by 1", d -> "Read by 1".equals(carol.waitForMessage("Hello team").get("readState")));
    erin.openConversation("Launch");
    erin.waitForMessage("Hello team");
    carol.waitFor("read by 2", d -> "Read by 2".equals(carol.waitForMessage("Hello team").get("readState")));

    // Dave mentions Erin, picking her from the suggestions; Erin sees who wrote it and the highlight.
    WebElement composer = dave.find("composer");
    composer.sendKeys("@" + erinName.substring(0, 3));
    dave.find("mention-option");
    composer.sendKeys(Keys.ENTER);
    composer.sendKeys("can you check the build?");
    composer.sendKeys(Keys.ENTER);
    String mention = "@" + erinName + " can you check the build?";
    Map<String, Object> seen = erin.waitForMessage(mention);
    assertEquals("true", erin.js("return document.querySelector('[data-message-id=\"" + seen.get("id")
        + "\"]').classList.contains('mentions-me') + ''"));
    assertTrue(erin.text("messages").contains("Dave"), "sender name shown in a group");

    // Erin replies to it; Carol sees the quote.
    erin.messageAction((String) seen.get("id"), "reply");
    erin.find("reply-preview");
    erin.send("On it");
    carol.waitForMessage("On it");
    carol.waitFor("quote", d -> carol.all("reply-quote").stream().anyMatch(q -> q.getText().contains("can you check the build?")));

    // Carol renames the group: everyone's title follows.
    carol.click("members");
    carol.type("rename-input", "Launch v2");
    carol.click("rename");
    dave.waitFor("renamed for Dave", d -> dave.text("chat-title").equals("Launch v2"));
    erin.waitFor("renamed for Erin", d -> erin.text("chat-title").equals("Launch v2"));

    // Carol removes Erin: the conversation leaves Erin's list.
    carol.waitFor("remove Erin", d -> {
      for (WebElement member : carol.all("member")) {
        if (!member.findElements(Browser.testId("remove-member")).isEmpty() && member.getText().contains("Erin")) {
          member.findElement(Browser.testId("remove-member")).click();
          return true;
        }
      }
      return false;
    });
    carol.waitFor("two members left", d -> carol.all("member").size() == 2);
    carol.click("dialog-close");
    erin.waitFor("gone from Erin's list", d -> erin.all("conversation-item").isEmpty());
    carol.waitFor("removal shown", d -> carol.texts().size() == 3
        && carol.messages().stream().anyMatch(m -> ((String) m.get("text")).equals("You removed Erin")));

    // Dave leaves; Carol sees it.
    dave.click("members");
    dave.click("leave");
    dave.click("leave-confirm");
    dave.waitFor("back on the list", d -> dave.all("conversation-item").isEmpty());
    carol.waitFor("Dave left", d -> carol.messages().stream().anyMatch(m -> ((String) m.get("text")).equals("Dave left")));
  }
}
