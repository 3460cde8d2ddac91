package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.Uploads.Fetched;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Media in a cluster as docs/deploy.md describes it: one media folder shared by every node
 * ({@code media.dir}), the media role on a node of its own. Node 1 (store, api, push) has no
 * media verticle: its uploads are made into media by node 2's, over the clustered bus, and
 * either node serves the bytes.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class MediaClusterTest {
  private static final int PORT_1 = TestNode.freePort();
  private static final int PORT_2 = TestNode.freePort();
  private static final List<Integer> SEEDS = List.of(PORT_1, PORT_2);

  private static TestNode node1;
  private static TestNode node2;

  @BeforeAll
  static void startCluster() {
    String shared = TestNode.tempDir().resolve("media").toString();
    node1 = TestNode.clustered(TestNode.tempDir(), PORT_1, SEEDS,
        c -> c.getJsonObject("media").put("dir", shared), "store", "api", "push");
    node2 = TestNode.clustered(TestNode.tempDir(), PORT_2, SEEDS,
        c -> c.getJsonObject("media").put("dir", shared), "api", "media");
  }

  @AfterAll
  static void stopCluster() {
    for (TestNode node : new TestNode[] {node2, node1}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void anUploadToANodeWithoutTheMediaRoleIsMadeByAnotherAndServedByBoth(Vertx vertx) throws Exception {
    try (Api api1 = new Api(vertx, node1.port()); Api api2 = new Api(vertx, node2.port())) {
      Account alice = api1.signUp("alice");
      Account bob = api1.signUp("bob");
      byte[] png = Samples.png(Samples.halves(640, 480));
      Fetched created = new Uploads(api1).upload(alice.token(), "cluster.png", "image/png", png);
      assertEquals(201, created.status());
      JsonObject media = created.json().getJsonObject("media");
      assertEquals(640, media.getInteger("width"));

      String conversation = api1.direct(alice, bob);
      assertEquals(201, api1.post("/api/conversations/" + conversation + "/messages", alice.token(),
          new JsonObject().put("clientId", "c1").put("type", "image").put("mediaId", media.getString("id"))).status());

      Uploads uploads2 = new Uploads(api2);
      Fetched bytes = uploads2.get(media.getString("url"), bob.token());
      assertEquals(200, bytes.status());
      assertArrayEquals(png, bytes.body());
      Fetched range = uploads2.get(media.getString("url"), bob.token(), Map.of("Range", "bytes=0-7"));
      assertEquals(206, range.status());
      BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(
          new Uploads(api1).get(media.getString("thumbnailUrl"), alice.token()).body()));
      assertEquals(320, thumbnail.getWidth());
      assertEquals(240, thumbnail.getHeight());
    }
  }
}
