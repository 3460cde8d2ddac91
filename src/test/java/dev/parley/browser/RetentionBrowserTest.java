package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/** The group info's "Keep messages" choice: the owner picks, everyone sees the system line, a plain member cannot pick. */
class RetentionBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start(c -> c.put("retention", new JsonObject().put("defaultDays", 365)));
  }

  @Test
  void theOwnerChoosesHowLongTheGroupKeepsMessages() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(alice, "Archive", bob);
    Browser owner = browser(Browser.Size.DESKTOP);
    owner.signIn(alice.username(), "correct horse");
    owner.openConversation("Archive");
    owner.click("members");
    Select keep = new Select(owner.find("retention"));
    assertEquals("default", keep.getFirstSelectedOption().getAttribute("value"));
    assertEquals("Server default (for 365 days)", keep.getFirstSelectedOption().getText());
    keep.selectByValue("30");
    owner.waitFor("the setting kept", d -> api.get("/api/conversations/" + group, alice.token()).json()
        .getJsonObject("conversation").getInteger("retentionDays") == 30);
    owner.click("dialog-close");
    owner.waitForMessage("You set messages to be kept for 30 days");

    Browser member = browser(Browser.Size.PHONE);
    member.signIn(bob.username(), "correct horse");
    member.openConversation("Archive");
    member.waitForMessage(alice.username() + " set messages to be kept for 30 days");
    member.click("members");
    assertFalse(member.find("retention").isEnabled(), "a plain member sees the setting but cannot change it");
    assertEquals("30", new Select(member.find("retention")).getFirstSelectedOption().getAttribute("value"));
    assertTrue(member.console().stream().noneMatch(line -> line.contains("SEVERE")), String.join("\n", member.console()));
  }
}
