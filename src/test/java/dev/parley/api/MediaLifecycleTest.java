package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.shared.MediaFiles;
import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What happens to media after the upload: the periodic cleanup removes what nothing uses (row
 * and files) and keeps what a message carries. (What a share shows: {@code ShareTest}.)
 */
class MediaLifecycleTest extends NodeTestBase {

  @BeforeAll
  static void startNode() {
    // Cleanup every second, for uploads older than two: both sends below happen well before that.
    node = TestNode.start(c -> c.getJsonObject("media").put("cleanup",
        new JsonObject().put("unreferencedMaxAgeSeconds", 2).put("intervalSeconds", 1)));
  }

  private JsonObject image(Uploads uploads, Account owner) {
    Uploads.Fetched reply = uploads.upload(owner.token(), "cat.png", "image/png", Samples.png(Samples.halves(64, 32)));
    assertEquals(201, reply.status());
    return reply.json().getJsonObject("media");
  }

  private long sendImage(Account from, String conversationId, String mediaId) {
    return api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
            .put("clientId", "m-" + java.util.UUID.randomUUID()).put("type", "image").put("mediaId", mediaId))
        .json().getJsonObject("message").getLong("seq");
  }

  @Test
  @Timeout(30)
  void unreferencedUploadsAreRemovedAndSentOnesKept() throws Exception {
    Uploads uploads = new Uploads(api);
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject kept = image(uploads, alice);
    sendImage(alice, id, kept.getString("id"));
    JsonObject abandoned = image(uploads, alice);
    MediaFiles files = new MediaFiles(node.node().config().media().dir());
    assertTrue(Files.exists(files.original(abandoned.getString("id"))));

    // The cleanup job runs every second.
    await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200)).alias("the abandoned upload is removed")
        .until(() -> uploads.get(abandoned.getString("url"), alice.token()).status() == 404);
    assertFalse(Files.exists(files.original(abandoned.getString("id"))), "its bytes are gone");
    assertFalse(Files.exists(files.thumbnail(abandoned.getString("id"))), "and its thumbnail");
    assertEquals(200, uploads.get(kept.getString("url"), bob.token()).status());
    assertTrue(Files.exists(files.original(kept.getString("id"))));
  }
}
