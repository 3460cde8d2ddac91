package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.NetProxy;
import dev.parley.support.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy that mounts Parley at /chat/: every URL the client uses is relative, the
 * installed app's included (its manifest, its service worker's scope and what that worker caches).
 */
class SubPathBrowserTest extends BrowserTestBase {
  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void theClientWorksUnderASubPath() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port()).mountAt("/chat")) {
      Account bob = api.signUp("bob");
      Browser alice = browser(Browser.Size.PHONE, "http://127.0.0.1:" + proxy.port() + "/chat/");
      alice.signUp(name("alice"), "Alice", PASSWORD);
      alice.startDirectChat(bob.username());
      alice.send("through the proxy");
      alice.waitFor("stored", d -> alice.waitForMessage("through the proxy").get("id") != null);
      String conversation = api.get("/api/conversations", bob.token()).json().getJsonArray("conversations")
          .getJsonObject(0).getString("id");
      api.send(bob, conversation, "and back");
      alice.waitForMessage("and back");
      assertEquals(List.of("through the proxy", "and back"), alice.texts());

      // A share made under the sub-path links under it, and the visitor gets the page.
      alice.click("share");
      alice.click("share-create");
      String link = alice.waitFor("share link", d -> {
        String value = alice.find("share-link").getAttribute("value");
        return value == null || value.isEmpty() ? null : value;
      });
      assertTrue(link.startsWith("http://127.0.0.1:" + proxy.port() + "/chat/s/"), link);
      Browser visitor = browser(Browser.Size.PHONE, link);
      visitor.waitFor("shared messages", d -> Boolean.TRUE.equals(visitor.js(
          "return document.querySelectorAll('[data-testid=\"share-message\"]').length > 0")));

      List<String> requests = proxy.requests();
      assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /chat/api/ws?")), "live over the proxy: " + requests);
      for (String request : requests) {
        assertTrue(request.split(" ")[1].startsWith("/chat/"), "outside the sub-path: " + request);
      }
    }
  }

  @Test
  void theInstalledAppStaysInsideTheSubPath() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port()).mountAt("/chat")) {
      String app = "http://127.0.0.1:" + proxy.port() + "/chat/";
      Browser alice = browser(Browser.Size.PHONE, app);
      assertEquals(app, alice.waitForServiceWorker(), "the service worker's scope is the sub-path");
      alice.driver.navigate().refresh();
      alice.find("login-form");
      assertEquals(app + "sw.js", alice.js("return navigator.serviceWorker.controller?.scriptURL ?? null"));

      Map<String, Object> manifest = alice.driver.executeCdpCommand("Page.getAppManifest", Map.of());
      assertEquals(app + "manifest.webmanifest", manifest.get("url"));
      assertEquals(List.of(), manifest.get("errors"));
      List<String> cached = alice.js("return caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
          + ".then(c => c.keys())))).then(lists => lists.flat().map(r => r.url))");
      assertTrue(cached.contains(app) && cached.contains(app + "js/main.js"), "the shell under the sub-path: " + cached);
      for (String url : cached) {
        assertTrue(url.startsWith(app), "cached outside the sub-path: " + url);
      }
      for (String request : proxy.requests()) {
        assertTrue(request.split(" ")[1].startsWith("/chat/"), "outside the sub-path: " + request);
      }
    }
  }
}
