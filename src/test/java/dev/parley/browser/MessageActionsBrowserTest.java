package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * A message's actions as people expect them: a toolbar on hover or keyboard focus on a desktop,
 * a long press or the "⋯" button and an action sheet on a phone, a reaction picker, copying; the
 * message list as one Tab stop with a roving focus; messages read as they come into view.
 */
class MessageActionsBrowserTest extends BrowserTestBase {
  private static final String PLAIN_PASSWORD = "correct horse"; // what Api.signUp uses
  private static final String LONG_TEXT = "A long message that certainly needs more than one line of the bubble to say"
      + " everything it has to say about the weather, the plans for the weekend and the state of the garden.";

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void onADesktopTheToolbarShowsOnHoverTakesNoRoomAndPicksAnyReaction() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    String shortId = String.valueOf(api.send(bob, conversation, "short").getLong("id"));
    api.send(bob, conversation, LONG_TEXT);

    Browser a = browser(Browser.Size.DESKTOP);
    Browser b = browser(Browser.Size.PHONE);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    b.signIn(bob.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    b.openConversation(alice.username());
    a.waitForMessage(LONG_TEXT);

    // Nothing beside the bubbles: no actions column, and the long one uses the width.
    List<Map<String, Object>> rows = a.js("return [...document.querySelectorAll('#messages > [data-testid=\"message\"]')].map(m => ({"
        + " extra: [...m.children].filter(c => !c.classList.contains('bubble') && c.getBoundingClientRect().width > 0).length,"
        + " row: m.getBoundingClientRect().width, bubble: m.querySelector('.bubble').getBoundingClientRect().width}))");
    for (Map<String, Object> row : rows) {
      assertEquals(0L, row.get("extra"), "only the bubble takes room in " + row);
    }
    Map<String, Object> longRow = rows.get(rows.size() - 1);
    assertTrue(((Number) longRow.get("bubble")).doubleValue() > 0.8 * ((Number) longRow.get("row")).doubleValue(),
        "a long message uses the width: " + longRow);
    assertEquals(1L, (Long) a.js(TAB_STOPS), "the message list is one Tab stop");

    // The toolbar appears on hover and floats: the bubble keeps its size.
    WebElement message = a.message(shortId);
    WebElement toolbar = message.findElement(Browser.testId("message-toolbar"));
    assertFalse(toolbar.isDisplayed(), "no toolbar before pointing at the message");
    Map<String, Object> before = bubbleBox(a, shortId);
    new Actions(a.driver).moveToElement(message).perform();
    a.waitFor("toolbar on hover", d -> toolbar.isDisplayed());
    assertEquals(before, bubbleBox(a, shortId), "the toolbar takes no room");

    // More reactions: the picker, and a reaction other than 👍 reaches the other side.
    a.messageAction(shortId, "react-more");
    a.find("reaction-picker");
    a.js("document.querySelector('[data-testid=\"react-emoji\"][data-emoji=\"🎉\"]').click()");
    b.waitFor("🎉 on Bob's side", d -> Boolean.TRUE.equals(b.js(
        "const r = document.querySelector('[data-message-id=\"' + arguments[0] + '\"] [data-testid=\"reaction\"]');"
            + " return !!r && r.dataset.emoji === '🎉' && r.textContent === '🎉 1'", shortId)));

    // Copy text: the clipboard has the message's text.
    a.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", baseUrl().replaceAll("/$", ""),
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    a.messageAction(shortId, "copy");
    a.waitFor("Copied", d -> "Copied".equals(a.text("toast")));
    assertEquals("short", a.driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0])"));
  }

  @Test
  void theKeyboardMovesAlongTheMessagesAndOpensTheirActions() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    for (String text : List.of("one", "two", "three")) {
      api.send(bob, conversation, text);
    }
    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("three");

    // Tab from the header's last button lands on the list's one stop: the latest message.
    a.js("document.querySelector('[data-testid=\"export\"]').focus()");
    a.waitFor("members button hidden in a direct chat", d -> !a.visible("members"));
    keys(a, Keys.TAB);
    assertEquals("three", focusedMessageText(a));
    keys(a, Keys.ARROW_UP);
    assertEquals("two", focusedMessageText(a));
    keys(a, Keys.HOME);
    assertEquals("one", focusedMessageText(a));
    keys(a, Keys.END);
    assertEquals("three", focusedMessageText(a));
    keys(a, Keys.ARROW_UP);
    assertEquals(1L, (Long) a.js(TAB_STOPS), "still one Tab stop: the message last focused");

    // Enter opens the toolbar of the focused message; its buttons take Tab and arrows; Escape goes back.
    keys(a, Keys.ENTER);
    assertEquals("react", a.js("return document.activeElement.dataset.testid"));
    assertEquals("two", a.js("return document.activeElement.closest('[data-testid=\"message\"]')"
        + ".querySelector('[data-testid=\"message-text\"]').textContent"));
    keys(a, Keys.TAB);
    assertEquals("react-more", a.js("return document.activeElement.dataset.testid"));
    keys(a, Keys.ARROW_RIGHT);
    assertEquals("reply", a.js("return document.activeElement.dataset.testid"));
    keys(a, Keys.ESCAPE);
    assertEquals("two", focusedMessageText(a));

    // Shift+F10 opens them too; Reply from the toolbar quotes the message in the composer.
    new Actions(a.driver).keyDown(Keys.SHIFT).sendKeys(Keys.F10).keyUp(Keys.SHIFT).perform();
    keys(a, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ENTER);
    a.waitFor("replying to two", d -> a.visible("reply-preview") && a.text("reply-preview").contains("two"));
  }

  @Test
  void onAPhoneALongPressOrTheMoreButtonOpensTheActionSheet() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    String id = String.valueOf(api.send(bob, conversation, "hold me").getLong("id"));
    Browser a = browser(Browser.Size.PHONE);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("hold me");
    WebElement text = a.message(id).findElement(Browser.testId("message-text"));
    assertFalse(a.message(id).findElement(Browser.testId("message-toolbar")).isDisplayed(), "no toolbar on a phone");

    // A tap is not a long press.
    text.click();
    assertFalse(a.visible("action-sheet"), "a tap opens nothing");

    new Actions(a.driver).clickAndHold(text).pause(Duration.ofMillis(800)).release().perform();
    a.find("action-sheet");
    assertEquals(List.of("reply", "copy", "share-here"), a.js(
        "return [...document.querySelectorAll('[data-testid=\"action-sheet\"] button')].map(b => b.dataset.testid)"));
    a.click("dialog-close");
    a.waitFor("sheet closed", d -> !a.visible("action-sheet"));

    // The visible "⋯" does the same; a reaction from the sheet's picker shows at once.
    a.message(id).findElement(Browser.testId("message-more")).click();
    a.js("document.querySelector('#dialog [data-testid=\"react-emoji\"][data-emoji=\"😂\"]').click()");
    a.waitFor("😂 shown", d -> Boolean.TRUE.equals(a.js(
        "const r = document.querySelector('[data-message-id=\"' + arguments[0] + '\"] [data-testid=\"reaction\"]');"
            + " return !!r && r.textContent === '😂 1'", id)));
    a.messageAction(id, "reply");
    a.waitFor("replying", d -> a.visible("reply-preview") && a.text("reply-preview").contains("hold me"));
  }

  @Test
  void messagesAreReadAsTheyComeIntoView() throws InterruptedException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    long last = 0;
    for (int i = 1; i <= 60; i++) {
      last = api.send(bob, conversation, "unread " + i + "\nwith a second line").getLong("seq");
    }
    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("unread 1\nwith a second line");

    // Bob's receipts say how far Alice has read: what she has seen, not the whole history.
    long seenFirst = a.waitFor("a first read mark", d -> {
      long seq = alicesReadSeq(bob, conversation, alice);
      return seq > 0 ? seq : null;
    });
    Thread.sleep(1500); // a read mark for everything would come within this time
    long settled = alicesReadSeq(bob, conversation, alice);
    assertTrue(settled < last / 2, "read only what was in view: " + settled + " of " + last + " (first mark " + seenFirst + ")");

    a.js("const l = document.getElementById('messages'); l.scrollTop = l.scrollHeight");
    long end = last;
    a.waitFor("all read after scrolling to the end", d -> alicesReadSeq(bob, conversation, alice) == end);
  }

  private long alicesReadSeq(Account viewer, String conversation, Account alice) {
    return api.get("/api/conversations/" + conversation + "/receipts", viewer.token()).json().getJsonArray("receipts")
        .stream().map(JsonObject.class::cast).filter(r -> alice.id().equals(r.getString("userId")))
        .mapToLong(r -> r.getLong("readSeq", 0L)).findFirst().orElse(0L);
  }

  /** Elements of the message list that Tab stops at. */
  private static final String TAB_STOPS = "return [document.getElementById('messages'),"
      + " ...document.querySelectorAll('#messages *')].filter(e => e.tabIndex >= 0 && e.checkVisibility()).length";

  private static Map<String, Object> bubbleBox(Browser b, String id) {
    return b.js("const r = document.querySelector('[data-message-id=\"' + arguments[0] + '\"] .bubble').getBoundingClientRect();"
        + " return {x: r.x, y: r.y, w: r.width, h: r.height}", id);
  }

  private static String focusedMessageText(Browser b) {
    return b.js("const m = document.activeElement; return m.dataset.testid === 'message'"
        + " ? m.querySelector('[data-testid=\"message-text\"]').textContent : 'focus on ' + m.outerHTML.slice(0, 80)");
  }

  private static void keys(Browser b, CharSequence... keys) {
    new Actions(b.driver).sendKeys(keys).perform();
  }
}
