package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.NetProxy;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client as an installed app: a manifest Chromium accepts, with icons that really are images
 * of their declared sizes; a service worker that controls the page and caches the app shell (and
 * nothing of the API); and a reload with the server out of reach that still opens, on the last
 * state the browser saw, until the server answers again.
 */
class InstallableBrowserTest extends BrowserTestBase {
  private static final String SHELL_CACHED_URLS = "return caches.keys().then(names => Promise.all(names"
      + ".filter(n => n.startsWith('parley-shell-')).map(n => caches.open(n).then(c => c.keys()))))"
      + ".then(lists => lists.flat().map(r => r.url))";

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void theManifestIsLinkedServedAndComplete() {
    Browser alice = browser(Browser.Size.DESKTOP);
    String href = alice.js("return document.querySelector('link[rel=\"manifest\"]')?.href ?? null");
    assertEquals(baseUrl() + "manifest.webmanifest", href);
    Map<String, Object> served = alice.js("return fetch(arguments[0], {cache: 'no-store'})"
        + ".then(async r => ({status: r.status, type: r.headers.get('content-type'), body: await r.text()}))", href);
    assertEquals(200L, served.get("status"));
    assertEquals("application/manifest+json", served.get("type"));

    JsonObject manifest = new JsonObject((String) served.get("body"));
    assertEquals("Parley", manifest.getString("name"));
    assertEquals("Parley", manifest.getString("short_name"));
    assertFalse(manifest.getString("description", "").isBlank());
    assertEquals("standalone", manifest.getString("display"));
    assertEquals("./", manifest.getString("start_url"));
    assertEquals("./", manifest.getString("scope"));
    // The colours of the client's stylesheet: its accent (and the light theme's meta tag) and its background.
    assertEquals("#1d5fa8", manifest.getString("theme_color"));
    assertEquals("#f3f5f8", manifest.getString("background_color"));
    assertEquals("#1d5fa8", alice.js("return document.querySelector('meta[name=\"theme-color\"]').content"));
    assertEquals(cssVariable(alice, "--accent"), manifest.getString("theme_color"));
    assertEquals(cssVariable(alice, "--bg"), manifest.getString("background_color"));

    JsonArray icons = manifest.getJsonArray("icons");
    Set<String> kinds = icons.stream().map(JsonObject.class::cast)
        .map(i -> i.getString("sizes") + " " + i.getString("type") + " " + i.getString("purpose")).collect(Collectors.toSet());
    assertTrue(kinds.containsAll(Set.of("192x192 image/png any", "512x512 image/png any", "512x512 image/png maskable")),
        "icons: " + kinds);
    for (Object entry : icons) {
      JsonObject icon = (JsonObject) entry;
      String url = alice.js("return new URL(arguments[0], arguments[1]).href", icon.getString("src"), href);
      assertTrue(url.startsWith(baseUrl()), url);
      Map<String, Object> loaded = loadImage(alice, url);
      assertEquals(icon.getString("type"), loaded.get("type"), url);
      if (!"any".equals(icon.getString("sizes"))) {
        assertEquals(icon.getString("sizes"), loaded.get("width") + "x" + loaded.get("height"), url);
      }
    }
    String touchIcon = alice.js("return document.querySelector('link[rel=\"apple-touch-icon\"]').href");
    assertEquals(180L, loadImage(alice, touchIcon).get("width"));

    // And Chromium's own reading of it: parsed without complaint.
    Map<String, Object> chromium = alice.driver.executeCdpCommand("Page.getAppManifest", Map.of());
    assertEquals(href, chromium.get("url"));
    assertEquals(List.of(), chromium.get("errors"));
    // Chromium would offer to install it: a suitable icon, a start URL in scope, a standalone display.
    assertEquals(Map.of("installabilityErrors", List.of()),
        alice.driver.executeCdpCommand("Page.getInstallabilityErrors", Map.of()));
  }

  @Test
  void theServiceWorkerControlsThePageAndCachesTheShellOnly() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    api.send(bob, api.direct(alice, bob), "hello");
    Browser page = browser(Browser.Size.DESKTOP);
    page.signIn(alice.username(), "correct horse");
    page.openConversation(bob.username());
    page.waitForMessage("hello");
    assertEquals(baseUrl(), page.waitForServiceWorker());

    page.driver.navigate().refresh();
    page.find("me-name");
    assertEquals(baseUrl() + "sw.js", page.js("return navigator.serviceWorker.controller?.scriptURL ?? null"),
        "controlled from the start of the load");

    List<String> cached = page.js(SHELL_CACHED_URLS);
    Set<String> missing = shellFiles().stream().map(file -> baseUrl() + file).filter(url -> !cached.contains(url))
        .collect(Collectors.toSet());
    assertEquals(Set.of(), missing, "shell files sw.js does not cache");
    assertTrue(cached.contains(baseUrl()), "the page itself: " + cached);
    for (String url : cached) {
      assertFalse(url.contains("/api/") || url.contains("/s/"), "not part of the shell: " + url);
    }
  }

  @Test
  void reloadedWithoutTheServerItShowsWhatItHadAndReconnects() {
    try (NetProxy proxy = NetProxy.start(api.vertx, node.port())) {
      Account alice = api.signUp("alice");
      Account bob = api.signUp("bob");
      String conversation = api.direct(alice, bob);
      api.send(bob, conversation, "kept for later");
      Browser page = browser(Browser.Size.DESKTOP, "http://127.0.0.1:" + proxy.port() + "/");
      page.signIn(alice.username(), "correct horse");
      page.openConversation(bob.username());
      page.waitForMessage("kept for later");
      page.waitForServiceWorker();
      page.waitFor("connected", d -> !page.visible("connection-banner"));

      proxy.cut();
      page.driver.navigate().refresh();
      page.waitFor("the connecting banner", d -> page.visible("connection-banner"));
      assertEquals("Connecting…", page.text("connection-banner"));
      assertEquals(alice.username(), page.text("me-name"));
      assertEquals(List.of(bob.username()), conversationTitles(page));
      assertEquals(bob.username(), page.text("chat-title"));
      page.waitForMessage("kept for later");
      assertEquals(List.of("kept for later"), page.texts());
      assertFalse(page.visible("login-form"));
      // Written while away: queued, and sent once the server answers.
      page.send("written offline");
      page.waitForMessage("written offline");

      proxy.restore();
      page.waitFor("the banner gone", d -> !page.visible("connection-banner"));
      page.waitFor("the offline message stored", d -> page.waitForMessage("written offline").get("id") != null);
      api.send(bob, conversation, "live again");
      page.waitForMessage("live again");
      assertEquals(List.of("kept for later", "written offline", "live again"), page.texts());
      assertTrue(api.get("/api/conversations/" + conversation + "/messages", bob.token()).raw().contains("written offline"));

      // Signing out leaves nothing of the user in the browser.
      page.click("logout");
      page.find("login-form");
      assertNull(page.js("return localStorage.getItem('parley.snapshot')"));
      proxy.cut();
      page.driver.navigate().refresh();
      page.find("login-form");
      assertFalse(page.visible("conversation-list"));
    }
  }

  /** The files of the shell as sw.js must list them: the stylesheet, every module, every icon, the manifest. */
  static List<String> shellFiles() {
    Path webroot = Path.of("webroot");
    try (Stream<Path> files = Stream.of("js", "icons").flatMap(dir -> walk(webroot.resolve(dir)))) {
      return Stream.concat(files.filter(Files::isRegularFile).map(f -> webroot.relativize(f).toString().replace('\\', '/')),
          Stream.of("css/app.css", "manifest.webmanifest")).sorted().toList();
    }
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cssVariable(Browser browser, String name) {
    // The light scheme's value: the headless browser runs in light mode.
    return browser.js("return getComputedStyle(document.documentElement).getPropertyValue(arguments[0]).trim()", name);
  }

  /** Fetches an image and decodes it as the browser would show it: its content type and pixel size. */
  private static Map<String, Object> loadImage(Browser browser, String url) {
    return browser.js("return fetch(arguments[0], {cache: 'no-store'}).then(async r => {"
        + "const blob = await r.blob(); const img = new Image(); img.src = URL.createObjectURL(blob); await img.decode();"
        + "return {type: r.headers.get('content-type'), width: img.naturalWidth, height: img.naturalHeight}; })", url);
  }

  private static List<String> conversationTitles(Browser browser) {
    return browser.js("return [...document.querySelectorAll('[data-testid=\"conversation-title\"]')].map(e => e.textContent)");
  }
}
