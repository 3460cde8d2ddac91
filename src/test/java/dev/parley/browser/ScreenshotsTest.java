package dev.parley.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Not a check but a camera: the README's screenshots of the main screens at phone and desktop
 * size, taken from a real node with a small made-up team. Runs only when asked:
 * {@code mvn -o test -Dtest=ScreenshotsTest -Dparley.screenshots=docs/screenshots}.
 */
class ScreenshotsTest extends BrowserTestBase {
  private static final String DIR = System.getProperty("parley.screenshots", "");
  private final List<WsClient> online = new ArrayList<>();

  @BeforeAll
  static void start() {
    assumeTrue(!DIR.isEmpty(), "Screenshots are taken only with -Dparley.screenshots=<folder>");
    node = TestNode.start();
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
    say(ada, team, "Morning all! Release candidate is up on staging.", null);
    long smoke = say(grace, team, "Smoke tests are green on staging", null).getLong("id");
    say(linus, team, "Found a typo on the pricing page, fixing it now", null);
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
      b.screenshot(shot(prefix + "group.png"));

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
    online.forEach(WsClient::close);
  }

  private static Path shot(String name) {
    return Path.of(DIR, name);
  }
}
