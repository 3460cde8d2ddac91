package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * Finding one's place in a long conversation: opening at the first unread message under a "New
 * messages" divider, older history loading above without moving what one reads, the way back to
 * the latest, and sharing a range picked on the messages themselves.
 */
class FindingYourPlaceBrowserTest extends BrowserTestBase {
  private static final String PLAIN_PASSWORD = "correct horse"; // what Api.signUp uses

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void aConversationWithUnreadMessagesOpensAtTheFirstOfThem() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    long lastRead = 0;
    for (int i = 1; i <= 10; i++) {
      lastRead = api.send(bob, conversation, "old " + i).getLong("seq");
    }
    Reply read = api.post("/api/conversations/" + conversation + "/read", alice.token(), new JsonObject().put("seq", lastRead));
    assertEquals(204, read.status(), read.raw());
    // More unread messages than one page of history: the client pages back to the first.
    for (int i = 1; i <= 70; i++) {
      api.send(bob, conversation, "new " + i);
    }

    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("new 1");
    Map<String, Object> place = a.waitFor("the divider above the first unread, in view", d -> {
      Map<String, Object> p = a.js("const l = document.getElementById('messages');"
          + " const div = l.querySelector('[data-testid=\"unread-divider\"]');"
          + " const next = div && div.nextElementSibling;"
          + " if (!next) return null;"
          + " const lr = l.getBoundingClientRect(), r = next.getBoundingClientRect();"
          + " return {text: next.querySelector('[data-testid=\"message-text\"]').textContent,"
          + " inView: r.top >= lr.top && r.bottom <= lr.bottom, divider: div.textContent,"
          + " fromBottom: l.scrollHeight - l.scrollTop - l.clientHeight}");
      return p != null && Boolean.TRUE.equals(p.get("inView")) ? p : null;
    });
    assertEquals("new 1", place.get("text"));
    assertEquals("New messages", place.get("divider"));
    assertTrue(((Number) place.get("fromBottom")).doubleValue() > 500, "not at the end: " + place);
    assertEquals(1L, (Long) a.js("return document.querySelectorAll('[data-testid=\"unread-divider\"]').length"));

    // Tab into the list lands on a message in view: the reader keeps their place.
    a.js("document.querySelector('[data-testid=\"export\"]').focus()");
    new Actions(a.driver).sendKeys(Keys.TAB).perform();
    Map<String, Object> focused = a.js("const l = document.getElementById('messages'), m = document.activeElement;"
        + " const lr = l.getBoundingClientRect(), r = m.getBoundingClientRect();"
        + " return {message: m.dataset.testid === 'message', inView: r.top >= lr.top && r.bottom <= lr.bottom,"
        + " fromBottom: l.scrollHeight - l.scrollTop - l.clientHeight}");
    assertEquals(Boolean.TRUE, focused.get("message"), "focus on a message: " + focused);
    assertEquals(Boolean.TRUE, focused.get("inView"), "a message in view: " + focused);
    assertTrue(((Number) focused.get("fromBottom")).doubleValue() > 500, "still at the unread messages: " + focused);
  }

  @Test
  void olderHistoryLoadsAboveWithoutMovingWhatIsInView() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = readHistory(alice, bob, 150);

    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("line 150");
    assertFalse(a.visible("unread-divider"), "nothing unread: no divider");
    a.waitFor("opened at the end", d -> fromBottom(a) < 60);
    long firstLoaded = a.js("return Number(document.querySelector('#messages > [data-testid=\"message\"]').dataset.seq)");
    assertTrue(firstLoaded > 1, "one page, not everything");

    // Scroll to the top of what is loaded: older pages come in above, the message stays put.
    double before = a.js("const l = document.getElementById('messages'); l.scrollTop = 0;"
        + " const m = l.querySelector('[data-seq=\"' + arguments[0] + '\"]');"
        + " return m.getBoundingClientRect().top - l.getBoundingClientRect().top", firstLoaded);
    a.waitFor("older messages loaded", d -> Boolean.TRUE.equals(a.js(
        "return !!document.querySelector('#messages [data-seq=\"' + (arguments[0] - 1) + '\"]')", firstLoaded)));
    a.waitFor("the message that was in view has not moved", d -> {
      double after = ((Number) a.js("const l = document.getElementById('messages');"
          + " const m = l.querySelector('[data-seq=\"' + arguments[0] + '\"]');"
          + " return m.getBoundingClientRect().top - l.getBoundingClientRect().top", firstLoaded)).doubleValue();
      return Math.abs(after - before) <= 2;
    });
  }

  @Test
  void jumpToLatestShowsWhenFarUpAndGoesBack() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    readHistory(alice, bob, 60);
    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("line 60");
    a.waitFor("opened at the end", d -> fromBottom(a) < 60);
    assertFalse(a.visible("jump-latest"), "at the end: no jump button");

    a.js("const l = document.getElementById('messages'); l.scrollTop = l.scrollTop - l.clientHeight / 2");
    a.waitFor("half a screen up: still no button", d -> fromBottom(a) > 100);
    assertFalse(a.visible("jump-latest"), "half a screen up is not far");
    a.js("const l = document.getElementById('messages'); l.scrollTop = l.scrollHeight - 3 * l.clientHeight");
    a.waitFor("far up: the button", d -> a.visible("jump-latest"));
    a.click("jump-latest");
    a.waitFor("back at the end", d -> fromBottom(a) < 60);
    a.waitFor("button gone", d -> !a.visible("jump-latest"));
  }

  @Test
  void aShareRangeIsPickedOnTheMessagesAndListedByDateAndWords() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    List<JsonObject> sent = new ArrayList<>();
    for (String text : List.of("good morning", "the plan for Saturday is a picnic", "bring the blue blanket",
        "and lemonade", "see you there")) {
      sent.add(api.send(bob, conversation, text));
    }
    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("see you there");

    // "Share from here" on a message starts the range there.
    a.messageAction(sent.get(2).getString("id"), "share-here");
    assertEquals(List.of(false, false, true, true, true), a.js(
        "return [...document.querySelectorAll('[data-testid=\"share-pick\"]')].map(b => b.checked)"));

    // Pick the first and the last message of the range: the link covers exactly those.
    a.pickForShare(sent.get(1).getLong("seq"));
    a.pickForShare(sent.get(3).getLong("seq"));
    assertEquals(List.of(false, true, true, true, false), a.js(
        "return [...document.querySelectorAll('[data-testid=\"share-pick\"]')].map(b => b.checked)"));
    a.click("share-create");
    a.find("share-link");
    JsonObject share = api.get("/api/conversations/" + conversation + "/shares", alice.token()).json()
        .getJsonArray("shares").getJsonObject(0);
    assertEquals(sent.get(1).getLong("seq"), share.getLong("fromSeq"));
    assertEquals(sent.get(3).getLong("seq"), share.getLong("toSeq"));

    String title = a.waitFor("listed", d -> a.all("share-title").size() == 1 ? a.text("share-title") : null);
    assertTrue(title.matches("\\d{1,2}:\\d{2}( [AP]M)? · “the plan for Saturday is a…”"), "date and first words: " + title);
  }

  /** A direct conversation with {@code count} messages from Bob, all read by Alice. */
  private String readHistory(Account alice, Account bob, int count) {
    String conversation = api.direct(alice, bob);
    long last = 0;
    for (int i = 1; i <= count; i++) {
      last = api.send(bob, conversation, "line " + i).getLong("seq");
    }
    assertEquals(204, api.post("/api/conversations/" + conversation + "/read", alice.token(), new JsonObject().put("seq", last)).status());
    return conversation;
  }

  private static double fromBottom(Browser b) {
    return ((Number) b.js("const l = document.getElementById('messages'); return l.scrollHeight - l.scrollTop - l.clientHeight")).doubleValue();
  }
}
