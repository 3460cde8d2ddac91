package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The features that need the media and sharing parts of the server: a picked image shows as a
 * thumbnail on both sides and opens full size; a share link opened in an anonymous browser shows
 * exactly the chosen range, images included, and stops working once revoked.
 */
class MediaAndSharesBrowserTest extends BrowserTestBase {
  private static final String PLAIN_PASSWORD = "correct horse"; // what Api.signUp uses

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @Test
  void aPickedImageShowsAsAThumbnailOnBothSides() throws IOException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    api.direct(alice, bob);

    Browser a = browser(Browser.Size.PHONE);
    Browser b = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    b.signIn(bob.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    b.openConversation(alice.username());

    Path png = picture();
    // The file input sits behind the paperclip button; a person picks the file in the system dialog.
    WebElement input = a.driver.findElement(Browser.testId("attach-input"));
    a.js("arguments[0].hidden = false", input);
    input.sendKeys(png.toAbsolutePath().toString());

    for (Browser x : List.of(a, b)) {
      x.waitFor("image message stored", d -> x.messages().stream()
          .anyMatch(m -> "image".equals(m.get("type")) && m.get("id") != null));
      x.waitFor("thumbnail loaded", d -> Boolean.TRUE.equals(x.js(
          "const img = document.querySelector('[data-testid=\"messages\"] [data-testid=\"image-thumb\"] img');"
              + " return !!img && img.complete && img.naturalWidth > 0")));
    }
    // Tapping the thumbnail opens the full image.
    b.click("image-thumb");
    b.waitFor("full image loaded", d -> Boolean.TRUE.equals(b.js(
        "const img = document.querySelector('[data-testid=\"image-full\"]');"
            + " return !!img && img.complete && img.naturalWidth === 640")));
  }

  @Test
  void aShareLinkShowsExactlyTheRangeToAnAnonymousReader() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String conversation = api.direct(alice, bob);
    List<JsonObject> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(api.send(i % 2 == 0 ? alice : bob, conversation, "line " + i));
      if (i == 3) {
        sendPicture(bob, conversation);
      }
    }

    Browser a = browser(Browser.Size.DESKTOP);
    a.signIn(alice.username(), PLAIN_PASSWORD);
    a.openConversation(bob.username());
    a.waitForMessage("line 5");
    a.click("share");
    a.pickForShare(sent.get(1).getLong("seq"));
    a.pickForShare(sent.get(3).getLong("seq"));
    a.click("share-create");
    String link = a.waitFor("share link", d -> {
      String value = a.find("share-link").getAttribute("value");
      return value == null || value.isEmpty() ? null : value;
    });
    a.waitFor("listed", d -> a.all("share-item").size() == 1);

    Browser reader = browser(Browser.Size.PHONE, link);
    List<String> texts = reader.waitFor("shared messages", d -> {
      List<String> shown = reader.js("return [...document.querySelectorAll('[data-testid=\"share-message\"]')]"
          + ".map(m => m.querySelector('.text')?.textContent ?? '')");
      return shown.isEmpty() ? null : shown;
    });
    assertEquals(List.of("line 2", "line 3", "", "line 4"), texts, "the picture is the third, without text");
    // The reader has no account: the picture comes through the share's own media path.
    reader.waitFor("shared picture loaded", d -> Boolean.TRUE.equals(reader.js(
        "const img = document.querySelector('[data-testid=\"share-message\"][data-type=\"image\"] img');"
            + " return !!img && img.complete && img.naturalWidth > 0")));
    assertTrue(reader.driver.manage().getCookies().isEmpty(), "the reader is not signed in");

    a.click("share-revoke");
    a.waitFor("no links left", d -> a.all("share-item").isEmpty());
    reader.driver.navigate().refresh();
    reader.find("share-error");
  }

  private void sendPicture(Account from, String conversation) {
    Uploads.Fetched uploaded = new Uploads(api).upload(from.token(), "picture.png", "image/png", bytes(picture()));
    assertEquals(201, uploaded.status());
    Reply sent = api.post("/api/conversations/" + conversation + "/messages", from.token(), new JsonObject()
        .put("clientId", "picture-" + System.nanoTime()).put("type", "image")
        .put("mediaId", uploaded.json().getJsonObject("media").getString("id")));
    assertEquals(201, sent.status(), sent.raw());
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 640×400 PNG with some shapes on it. */
  private static Path picture() {
    BufferedImage image = new BufferedImage(640, 400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0x2b6cb0));
    g.fillRect(0, 0, 640, 400);
    g.setColor(Color.ORANGE);
    g.fillOval(220, 100, 200, 200);
    g.dispose();
    try {
      Path file = Files.createTempFile("parley-picture", ".png");
      ImageIO.write(image, "png", file.toFile());
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
