package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signing out on one node ends that sign-in's streams on every node: alice's WebSocket and
 * event stream are on node B, she signs out through node A, and both end within seconds, on a
 * real Hazelcast cluster on loopback.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class RevocationClusterTest {
  @Test
  void signingOutOnOneNodeEndsTheStreamsOnAnother(Vertx vertx) {
    int portA = TestNode.freePort();
    int portB = TestNode.freePort();
    List<Integer> seeds = List.of(portA, portB);
    java.util.function.Consumer<JsonObject> secret = c -> c.getJsonObject("auth").put("jwtSecret", "x".repeat(40));
    try (TestNode a = TestNode.clustered(TestNode.tempDir(), portA, seeds, secret, "store", "api", "push");
         TestNode b = TestNode.clustered(TestNode.tempDir(), portB, seeds, secret, "api", "push");
         Api viaA = new Api(vertx, a.port()); Api viaB = new Api(vertx, b.port())) {
      Account alice = viaA.signUp("alice");
      Account device = viaA.login(alice.username(), "correct horse");
      try (WsClient ws = viaB.webSocket(device, null); SseClient sse = viaB.events(device, null)) {
        assertEquals(204, viaA.post("/api/auth/logout", null,
            new JsonObject().put("refreshToken", device.refreshToken())).status());
        assertEquals(4401, ws.awaitClosed(), "node B ended the WebSocket");
        sse.next("auth_revoked");
        assertEquals(401, viaB.get("/api/events?access_token=" + device.token(), null).status(),
            "and refuses a new stream with the ended sign-in's token");
      }
    }
  }
}
