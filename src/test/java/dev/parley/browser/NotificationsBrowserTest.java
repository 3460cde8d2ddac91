package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * A tab left open while its user looks elsewhere: the in-app prompt asks for permission (granted
 * through the driver, as a person would in the browser's dialog), then direct messages and
 * mentions raise a notification, nothing else does, and the unread total shows in the title and
 * on the favicon. Notifications are recorded by a hook on the {@code Notification} constructor.
 */
class NotificationsBrowserTest extends BrowserTestBase {
  /** Records every notification the page makes, and keeps it so that a test can click it. */
  private static final String RECORD = """
      window.__notified = [];
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          window.__notified.push({ title, body: options && options.body, tag: options && options.tag, n: this });
        }
      };""";
  private static final String HIDE_TAB = """
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.hasFocus = () => false;
      document.dispatchEvent(new Event('visibilitychange'));""";
  private static final String SHOW_TAB = """
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.hasFocus = () => true;
      document.dispatchEvent(new Event('visibilitychange'));""";

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void directMessagesAndMentionsNotifyWhileTheTabIsHiddenAndNothingElseDoes() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(bob, alice);
    String group = api.group(bob, "Climbing", alice);
    Browser browser = browser(Browser.Size.DESKTOP);
    browser.signIn(alice.username(), "correct horse");

    // The prompt, never the browser's own dialog on page load; the person accepts it.
    browser.waitFor("the notification prompt", d -> browser.visible("notify-prompt"));
    assertEquals("default", browser.js("return Notification.permission"));
    allowNotifications(browser);
    browser.click("notify-enable");
    browser.waitFor("the prompt gone", d -> !browser.visible("notify-prompt"));
    assertEquals("granted", browser.js("return Notification.permission"));

    browser.js(RECORD);
    browser.js(HIDE_TAB);
    api.send(bob, direct, "are you coming tonight?");
    browser.waitFor("a notification", d -> notified(browser).size() == 1);
    assertEquals(bob.username(), notified(browser).get(0).get("title"));
    assertEquals("are you coming tonight?", notified(browser).get(0).get("body"));
    // The group's "created" notice counts as unread too: the title says what the server counts.
    browser.waitFor("the unread total in the title", d -> titleFor(unread(alice)).equals(browser.driver.getTitle()));
    assertEquals(2L, unread(alice));
    assertEquals("2", browser.js("return document.querySelector('link[rel=icon]').dataset.unread"));

    api.send(bob, group, "anyone for the wall on Sunday?");
    api.send(alice, direct, "written on my phone");
    mention(bob, group, alice, "@alice you have the rope?");
    browser.waitFor("the mention's notification", d -> notified(browser).size() == 2);
    assertEquals(bob.username() + " in Climbing", notified(browser).get(1).get("title"));
    assertEquals("@alice you have the rope?", notified(browser).get(1).get("body"));
    browser.waitFor("the group's unread in the title", d -> titleFor(unread(alice)).equals(browser.driver.getTitle()));
    assertEquals(2, notified(browser).size(), "no notification for a group message without a mention, nor for her own");

    // Clicking the notification opens its conversation.
    browser.js("window.__notified[0].n.onclick()");
    browser.waitFor("the direct chat open", d -> bob.username().equals(browser.text("chat-title")));

    // Looking at the conversation: its messages notify no more, and it no longer counts as unread.
    browser.js(SHOW_TAB);
    api.send(bob, direct, "see you at eight");
    browser.waitForMessage("see you at eight");
    browser.waitFor("the direct chat read", d -> unread(alice, direct) == 0 && titleFor(unread(alice)).equals(browser.driver.getTitle()));
    assertTrue(unread(alice) > 0, "the group is still unread");
    assertEquals(2, notified(browser).size(), "nothing for the conversation on screen");
    assertFalse(browser.visible("notify-prompt"));
    assertTrue(browser.console().stream().noneMatch(line -> line.contains("SEVERE")), String.join("\n", browser.console()));
  }

  @Test
  void aGroupNotifiesOfWhatItsMemberChoseAndKeepsTheChoiceOnTheServer() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(bob, "Band", alice);
    Browser browser = browser(Browser.Size.DESKTOP);
    allowNotifications(browser);
    browser.signIn(alice.username(), "correct horse");
    assertFalse(browser.visible("notify-prompt"), "no prompt once the browser may notify");

    browser.openConversation("Band");
    browser.click("members");
    assertEquals("mentions", new Select(browser.find("notify-level")).getFirstSelectedOption().getAttribute("value"));
    new Select(browser.find("notify-level")).selectByValue("all");
    browser.waitFor("the level kept", d -> "all".equals(api.get("/api/conversations/" + group, alice.token()).json()
        .getJsonObject("conversation").getString("notify")));
    browser.click("dialog-close");

    browser.js(RECORD);
    browser.js(HIDE_TAB);
    api.send(bob, group, "rehearsal moved to nine");
    browser.waitFor("a notification for every message", d -> notified(browser).size() == 1);
    assertEquals(bob.username() + " in Band", notified(browser).get(0).get("title"));

    assertEquals(204, api.put("/api/conversations/" + group + "/notify", alice.token(), new JsonObject().put("level", "nothing")).status());
    browser.driver.navigate().refresh();
    browser.find("me-name");
    browser.js(RECORD);
    browser.js(HIDE_TAB);
    mention(bob, group, alice, "@alice bring the cables");
    api.send(bob, group, "and the drum key");
    browser.waitForMessage("and the drum key"); // the group is still open (the address says so), behind a hidden tab
    assertEquals(List.of(), notified(browser), "nothing, not even a mention");
  }

  @Test
  void notNowHidesThePromptForGoodAndAskNothing() {
    Account carol = api.signUp("carol");
    Browser browser = browser(Browser.Size.PHONE);
    browser.signIn(carol.username(), "correct horse");
    browser.waitFor("the notification prompt", d -> browser.visible("notify-prompt"));
    browser.click("notify-dismiss");
    browser.waitFor("the prompt gone", d -> !browser.visible("notify-prompt"));
    browser.driver.navigate().refresh();
    browser.find("me-name");
    assertFalse(browser.visible("notify-prompt"), "not asked again after a reload");
    assertEquals("default", browser.js("return Notification.permission"), "the browser was never asked");
  }

  /** The user's unread total over the conversations they have not muted, as the server counts it. */
  private long unread(Account account) {
    long total = 0;
    for (Object c : api.get("/api/conversations", account.token()).json().getJsonArray("conversations")) {
      JsonObject conversation = (JsonObject) c;
      total += conversation.getBoolean("muted") ? 0 : conversation.getLong("unread");
    }
    return total;
  }

  private long unread(Account account, String conversationId) {
    return api.get("/api/conversations/" + conversationId, account.token()).json().getJsonObject("conversation").getLong("unread");
  }

  private static String titleFor(long unread) {
    return unread == 0 ? "Parley" : "(" + unread + ") Parley";
  }

  /** The person accepts the browser's own permission dialog (granted through the driver). */
  private void allowNotifications(Browser browser) {
    browser.driver.executeCdpCommand("Browser.grantPermissions",
        Map.of("origin", baseUrl().replaceAll("/$", ""), "permissions", List.of("notifications")));
  }

  private void mention(Account from, String conversationId, Account mentioned, String text) {
    int status = api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "m-" + System.nanoTime()).put("type", "text").put("text", text)
        .put("mentions", new JsonArray().add(mentioned.id()))).status();
    assertEquals(201, status);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> notified(Browser browser) {
    return (List<Map<String, Object>>) browser.js("return (window.__notified || []).map(x => ({title: x.title, body: x.body, tag: x.tag}))");
  }
}
