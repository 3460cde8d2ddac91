package dev.parley.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Not a check but a camera: the README's screenshots of the main screens at phone and desktop
 * size, taken from a real node with a small made-up team. Runs only when asked:
 * {@code mvn test-compile surefire:test@integration -Dtest=ScreenshotsTest -Dparley.screenshots=docs/screenshots}.
 */
class ScreenshotsTest extends BrowserTestBase {
  private static final String DIR = System.getProperty("parley.screenshots", "");
  private final List<WsClient> online = new ArrayList<>();

  @BeforeAll
  static void start() {
    assumeTrue(!DIR.isEmpty(), "Screenshots are taken only with -Dparley.screenshots=<folder>");
    // The admin page's charts sample every 2 s here (a minute in production), so the short run has a curve.
    node = TestNode.start(config -> {
      config.getJsonObject("metrics").put("enabled", true);
      config.getJsonObject("ops").put("status", new JsonObject().put("reportSeconds", 1).put("sampleSeconds", 2));
    });
  }

  private Account person(String username, String displayName) {
    api.post("/api/auth/register", null, new JsonObject().put("username", username).put("password", PASSWORD)
        .put("displayName", displayName));
    return api.login(username, PASSWORD);
  }

  private JsonObject say(Account from, String conversation, String text, Long replyTo, Account... mentioned) {
    JsonObject body = new JsonObject().put("clientId", "shot-" + System.nanoTime()).put("type", "text").put("text", text);
    if (replyTo != null) {
      body.put("replyTo", replyTo);
    }
    JsonArray ids = new JsonArray();
    for (Account a : mentioned) {
      ids.add(a.id());
    }
    body.put("mentions", ids);
    return api.post("/api/conversations/" + conversation + "/messages", from.token(), body).json().getJsonObject("message");
  }

  @Test
  void mainScreens() {
    Account ada = person("ada", "Ada Lovelace");
    Account grace = person("grace", "Grace Hopper");
    Account linus = person("linus", "Linus Park");
    Account margaret = person("margaret", "Margaret Hamilton");
    online.add(api.webSocket(grace, null));
    online.add(api.webSocket(margaret, null));

    String withMargaret = api.direct(ada, margaret);
    say(margaret, withMargaret, "Thanks for the review!", null);
    say(ada, withMargaret, "Any time.", null);
    api.post("/api/conversations/" + withMargaret + "/read", margaret.token(), new JsonObject().put("seq", 2));

    String team = api.group(ada, "Launch crew", grace, linus, margaret);
    long morning = say(ada, team, "Morning all! Release candidate is up on staging.", null).getLong("id");
    api.put("/api/conversations/" + team + "/messages/" + morning + "/reactions/%F0%9F%8E%89", grace.token(), null);
    api.put("/api/conversations/" + team + "/messages/" + morning + "/reactions/%F0%9F%8E%89", linus.token(), null);
    long smoke = say(grace, team, "Smoke tests are green on staging", null).getLong("id");
    say(linus, team, "Found a typo on the pricing page, fixing it now", null);
    picture(linus, team);
    say(margaret, team, "@ada can we deploy after lunch?", null, ada);
    say(grace, team, "Nice. I'll watch the dashboards during the deploy.", smoke);

    String withGrace = api.direct(ada, grace);
    say(grace, withGrace, "Do you have a minute for the deploy checklist?", null);
    say(ada, withGrace, "Sure, give me five minutes.", null);
    long list = say(grace, withGrace, "Great. I put it in the shared doc:\nhttps://example.com/checklist", null).getLong("id");
    say(ada, withGrace, "Reading it now, thanks", list);
    api.post("/api/conversations/" + withGrace + "/read", ada.token(), new JsonObject().put("seq", 4));
    api.post("/api/conversations/" + withMargaret + "/read", ada.token(), new JsonObject().put("seq", 2));

    for (Browser.Size size : Browser.Size.values()) {
      String prefix = size.name().toLowerCase() + "-";
      Browser b = browser(size);
      b.find("login-form");
      b.screenshot(shot(prefix + "signin.png"));
      b.signIn("ada", PASSWORD);
      b.waitFor("three conversations", d -> b.all("conversation-item").size() == 3);
      if (size == Browser.Size.PHONE) {
        b.screenshot(shot(prefix + "list.png"));
      }
      b.openConversation("Grace Hopper");
      String mine = size == Browser.Size.PHONE ? "Looks complete to me." : "One more: rollback plan?";
      b.send(mine);
      b.waitFor("stored", d -> b.waitForMessage(mine).get("id") != null);
      api.post("/api/conversations/" + withGrace + "/read", grace.token(), new JsonObject().put("seq", 1000));
      b.waitFor("read", d -> "Read".equals(b.waitForMessage(mine).get("readState")));
      api.post("/api/conversations/" + withGrace + "/typing", grace.token(), new JsonObject());
      b.waitFor("typing", d -> !b.text("typing").isEmpty());
      b.screenshot(shot(prefix + "chat.png"));

      if (size == Browser.Size.PHONE) {
        b.click("back");
      }
      b.openConversation("Launch crew");
      b.waitForMessage("Nice. I'll watch the dashboards during the deploy.");
      b.waitFor("picture", d -> Boolean.TRUE.equals(b.js(
          "const img = document.querySelector('[data-testid=\"image-thumb\"] img');"
              + " return !!img && img.complete && img.naturalWidth > 0")));
      b.screenshot(shot(prefix + "group.png"));
      // A message's actions: the toolbar over a hovered message on a desktop, the sheet on a phone.
      WebElement asked = b.driver.findElement(By.xpath(
          "//*[@data-testid='message'][.//*[contains(text(), 'can we deploy after lunch')]]"));
      if (size == Browser.Size.PHONE) {
        asked.findElement(Browser.testId("message-more")).click();
        b.waitFor("the action sheet", d -> b.visible("action-sheet"));
      } else {
        new Actions(b.driver).moveToElement(asked).perform();
        b.waitFor("the toolbar", d -> asked.findElement(Browser.testId("reply")).isDisplayed());
      }
      b.screenshot(shot(prefix + "actions.png"));
      if (size == Browser.Size.PHONE) {
        b.click("dialog-close");
      }

      if (size == Browser.Size.PHONE) {
        b.click("back");
      }
      b.click("open-search");
      b.type("search-input", "deploy");
      b.waitFor("results", d -> b.all("search-result").size() >= 2);
      b.screenshot(shot(prefix + "search.png"));
      b.click("dialog-close");
      api.post("/api/conversations/" + team + "/read", grace.token(), new JsonObject().put("seq", 100));
    }

    // The read-only page a share link opens, for a reader without an account.
    String link = api.post("/api/conversations/" + team + "/shares", ada.token(),
        new JsonObject().put("fromSeq", 2).put("toSeq", 7)).json().getJsonObject("share").getString("url");
    for (Browser.Size size : Browser.Size.values()) {
      Browser reader = browser(size, link);
      reader.waitFor("shared range", d -> reader.all("share-message").size() == 6);
      reader.waitFor("picture", d -> Boolean.TRUE.equals(reader.js(
          "const img = document.querySelector('[data-testid=\"share-message\"] img');"
              + " return !!img && img.complete && img.naturalWidth > 0")));
      reader.screenshot(shot(size.name().toLowerCase() + "-share.png"));
    }

    // The admin page as Ada, the server's first account and so its admin, sees it: a colleague
    // who left is disabled, Margaret helps run the server.
    Account sam = person("sam", "Sam Rivera");
    api.post("/api/admin/users/" + sam.id() + "/disable", ada.token(), new JsonObject());
    api.put("/api/admin/users/" + margaret.id() + "/admin", ada.token(), new JsonObject().put("admin", true));
    api.post("/api/admin/backups", ada.token(), new JsonObject());
    for (Browser.Size size : Browser.Size.values()) {
      String prefix = size.name().toLowerCase() + "-";
      Browser b = browser(size);
      b.signIn("ada", PASSWORD);
      b.click("open-admin");
      b.waitFor("the people", d -> b.all("admin-user").size() == 5);
      b.screenshot(shot(prefix + "admin-users.png"));
      b.waitFor("the server tab", d -> {
        d.findElement(By.cssSelector("[data-testid=\"admin-tab\"][data-section=\"server\"]")).click();
        return true;
      });
      b.waitFor("the node and the charts", d -> !b.all("server-node").isEmpty() && b.all("server-series").size() == 3);
      b.screenshot(shot(prefix + "admin-server.png"));
    }
    online.forEach(WsClient::close);
  }

  /** A made-up screenshot of a pricing page with its typo fixed, as an image message. */
  private void picture(Account from, String conversation) {
    BufferedImage image = new BufferedImage(800, 500, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(0xf4f6fa));
    g.fillRect(0, 0, 800, 500);
    g.setColor(new Color(0x1d5fa8));
    g.fillRect(0, 0, 800, 80);
    Color[] columns = {new Color(0xffffff), new Color(0xe3edf9), new Color(0xffffff)};
    for (int i = 0; i < 3; i++) {
      g.setColor(columns[i]);
      g.fillRoundRect(40 + i * 250, 120, 220, 320, 24, 24);
      g.setColor(new Color(0x1e7046));
      g.fillRoundRect(70 + i * 250, 380, 160, 36, 18, 18);
    }
    g.dispose();
    Uploads.Fetched uploaded = new Uploads(api).upload(from.token(), "pricing.png", "image/png", Samples.png(image));
    api.post("/api/conversations/" + conversation + "/messages", from.token(), new JsonObject()
        .put("clientId", "shot-" + System.nanoTime()).put("type", "image")
        .put("mediaId", uploaded.json().getJsonObject("media").getString("id")));
  }

  private static Path shot(String name) {
    return Path.of(DIR, name);
  }
}
