package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.LocalPushService;
import dev.parley.support.LocalPushService.Device;
import dev.parley.support.LocalPushService.Push;
import dev.parley.support.ServiceWorkerPush;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

/**
 * Web Push from the browser's side: once notifications are allowed the client subscribes this
 * device through its service worker and hands the subscription to the server; what the server
 * then pushes, the service worker shows; signing out removes the device.
 *
 * <p>Headless Chromium has no push service to subscribe with, so the browser's own
 * {@code PushManager} hands out a subscription of the test's {@link LocalPushService} instead
 * (keys made like a browser's): the client, the server, the push request and its decryption
 * are all real, and the decrypted payload is delivered to the page's real service worker
 * registration through the DevTools protocol ({@link ServiceWorkerPush}), as the browser does
 * with a push it received.
 */
class WebPushBrowserTest extends BrowserTestBase {
  private static final String PUSH_MANAGER = """
      (() => {
        const json = %s;
        let current = null;
        PushManager.prototype.subscribe = async function (options) {
          current = { endpoint: json.endpoint, expirationTime: null, options,
                      toJSON: () => json, unsubscribe: async () => { current = null; return true; } };
          return current;
        };
        PushManager.prototype.getSubscription = async function () { return current; };
      })();""";
  private static Vertx pushVertx;
  private static LocalPushService pushService;

  @BeforeAll
  static void start() {
    node = TestNode.start(config -> config.put("webPush", new JsonObject()
        .put("allowPrivateEndpoints", true).put("unreadDelayMs", 500)));
    pushVertx = Vertx.vertx();
    pushService = LocalPushService.start(pushVertx);
  }

  @AfterAll
  static void stopPushService() {
    pushService.close();
    pushVertx.close().await();
  }

  @Test
  void aDeviceSubscribesThroughItsServiceWorkerShowsWhatIsPushedAndIsForgottenAtSignOut() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String chat = api.direct(bob, alice);
    Device device = pushService.device();
    Browser browser = browser(Browser.Size.DESKTOP);
    browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", PUSH_MANAGER.formatted(device.subscription().encode())));
    browser.driver.navigate().refresh(); // the page opened before the script was added
    browser.signIn(alice.username(), "correct horse");
    assertEquals(true, browser.js("return navigator.serviceWorker.ready.then(r => !!r.active)"));

    browser.driver.executeCdpCommand("Browser.grantPermissions",
        Map.of("origin", origin(), "permissions", List.of("notifications")));
    browser.click("notify-enable");
    browser.waitFor("the device given to the server",
        d -> api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").size() == 1);

    // Alice looks at another tab; Bob writes; the message stays unread, so her device is pushed.
    String parley = browser.driver.getWindowHandle();
    browser.driver.switchTo().newWindow(WindowType.TAB);
    browser.driver.get(baseUrl() + "health"); // same origin, not the app: it can see the worker's notifications
    api.send(bob, chat, "are you there?");
    Push push = device.next(15);
    assertEquals("are you there?", push.payload().getString("body"));
    assertEquals(List.of(), pushService.problems());

    // Received while no Parley tab is looked at, so the service worker shows it.
    try (ServiceWorkerPush devTools = ServiceWorkerPush.attach(browser, baseUrl() + "health")) {
      devTools.deliver(origin(), baseUrl(), push.payload().encode());
    }
    List<Map<String, Object>> shown = browser.waitFor("the service worker's notification", d -> {
      List<Map<String, Object>> all = browser.js(
          "return navigator.serviceWorker.getRegistration().then(r => r.getNotifications())"
              + ".then(ns => ns.map(n => ({title: n.title, body: n.body, tag: n.tag})))");
      return all.isEmpty() ? null : all;
    });
    assertEquals(bob.username(), shown.get(0).get("title"));
    assertEquals("are you there?", shown.get(0).get("body"));
    assertEquals(chat, shown.get(0).get("tag"), "one notification per conversation, the newest replacing the last");

    browser.driver.switchTo().window(parley);
    browser.click("logout");
    browser.waitFor("the device forgotten at sign-out",
        d -> api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").isEmpty());
  }

  private String origin() {
    return baseUrl().replaceAll("/$", "");
  }
}
