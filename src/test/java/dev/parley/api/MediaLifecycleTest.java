package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.shared.Address;
import dev.parley.shared.MediaFiles;
import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What happens to media after the upload: the periodic cleanup removes what nothing uses (row
 * and files) and keeps what a message carries; the store answers a share's question "does a
 * message of this range carry this item".
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

    while (uploads.get(abandoned.getString("url"), alice.token()).status() != 404) {
      Thread.sleep(200); // the cleanup job runs every second; the test's timeout bounds the wait
    }
    assertFalse(Files.exists(files.original(abandoned.getString("id"))), "its bytes are gone");
    assertFalse(Files.exists(files.thumbnail(abandoned.getString("id"))), "and its thumbnail");
    assertEquals(200, uploads.get(kept.getString("url"), bob.token()).status());
    assertTrue(Files.exists(files.original(kept.getString("id"))));
  }

  @Test
  void theStoreSaysWhetherAMessageOfASeqRangeCarriesAnItem() {
    Uploads uploads = new Uploads(api);
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject media = image(uploads, alice);
    long seq = sendImage(alice, id, media.getString("id"));
    String otherConversation = api.group(alice, "elsewhere", bob);

    assertEquals(media, inRange(media.getString("id"), id, seq, seq).getJsonObject("media"));
    assertEquals(404, refusal(media.getString("id"), id, seq + 1, seq + 10), "outside the range");
    assertEquals(404, refusal(media.getString("id"), otherConversation, 0, 1000), "another conversation");
    assertEquals(404, refusal(image(uploads, alice).getString("id"), id, 0, 1000), "never sent");
  }

  private JsonObject inRange(String mediaId, String conversationId, long from, long to) {
    return node.node().vertx().eventBus().<JsonObject>request(Address.MEDIA_IN_RANGE, new JsonObject()
            .put("mediaId", mediaId).put("conversationId", conversationId).put("fromSeq", from).put("toSeq", to))
        .map(Message::body).await();
  }

  private int refusal(String mediaId, String conversationId, long from, long to) {
    try {
      inRange(mediaId, conversationId, from, to);
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    }
  }
}
