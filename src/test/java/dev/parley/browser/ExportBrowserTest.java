package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exporting from the chat header: the dialog hands the browser a one-time link, and the browser
 * saves the ZIP itself (Chromium is told where to save downloads, as a person would have it).
 */
class ExportBrowserTest extends BrowserTestBase {
  private static final String PLAIN_PASSWORD = "correct horse"; // what Api.signUp uses

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void theExportButtonDownloadsAllMessagesOrTheChosenDays() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    List<Long> ids = Stream.of("last week", "also last week", "<img src=x onerror=alert(1)>", "today")
        .map(text -> api.send(bob, direct, text).getLong("id")).toList();
    node.backdateMessage(ids.get(0), 7 * 86_400);
    node.backdateMessage(ids.get(1), 7 * 86_400);
    JsonArray history = api.get("/api/conversations/" + direct + "/messages", alice.token()).json().getJsonArray("messages");

    Browser a = browser(Browser.Size.DESKTOP);
    Path downloads = Files.createTempDirectory("parley-downloads");
    a.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("today");

    a.click("export");
    a.find("export-form");
    a.click("export-start");
    a.waitFor("the dialog says so", d -> a.text("export-status").equals("Your download has started."));
    Path all = a.waitFor("the archive saved", d -> saved(downloads));
    assertTrue(all.getFileName().toString().startsWith("parley-" + direct + "-"), all.toString());
    JsonObject everything = messagesJson(all);
    assertEquals(history, everything.getJsonArray("messages"));
    assertTrue(html(all).contains("&lt;img src=x onerror=alert(1)&gt;"));
    Files.delete(all);

    // Yesterday and today (the reader's own days, midnight to midnight): not last week.
    a.click("export-dated");
    a.js("const from = document.querySelector('[data-testid=\"export-from\"]');"
        + " const day = new Date(document.querySelector('[data-testid=\"export-to\"]').value + 'T12:00:00');"
        + " day.setDate(day.getDate() - 1);"
        + " const two = (n) => String(n).padStart(2, '0');"
        + " from.value = day.getFullYear() + '-' + two(day.getMonth() + 1) + '-' + two(day.getDate());"
        + " from.dispatchEvent(new Event('input', {bubbles: true}))");
    a.click("export-start");
    Path today = a.waitFor("the second archive saved", d -> saved(downloads));
    JsonArray recent = messagesJson(today).getJsonArray("messages");
    assertEquals(List.of(ids.get(2), ids.get(3)), recent.stream().map(m -> ((JsonObject) m).getLong("id")).toList());
  }

  /** The finished download in the folder (a readable archive), or null while there is none. */
  private static Path saved(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      Path file = files.filter(f -> f.toString().endsWith(".zip")).findFirst().orElse(null);
      if (file == null) {
        return null;
      }
      try (ZipFile zip = new ZipFile(file.toFile())) {
        return zip.getEntry("messages.json") != null ? file : null;
      }
    } catch (IOException e) {
      return null; // still being written
    }
  }

  private static JsonObject messagesJson(Path archive) {
    return new JsonObject(Buffer.buffer(entry(archive, "messages.json")));
  }

  private static String html(Path archive) {
    return new String(entry(archive, "messages.html"), StandardCharsets.UTF_8);
  }

  private static byte[] entry(Path archive, String name) {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return zip.getInputStream(zip.getEntry(name)).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
