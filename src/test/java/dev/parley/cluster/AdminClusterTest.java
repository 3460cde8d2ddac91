package dev.parley.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.BridgeClient;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An admin on node A shuts out someone whose connections are all on node B, on a real Hazelcast
 * cluster on loopback: the admin page counts them there, disabling closes every one of them
 * within seconds, and node B refuses the account from then on. The admin page lists both nodes.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class AdminClusterTest {
  @Test
  void disablingOnOneNodeClosesTheConnectionsOnAnother(Vertx vertx) {
    int portA = TestNode.freePort();
    int portB = TestNode.freePort();
    List<Integer> seeds = List.of(portA, portB);
    Consumer<JsonObject> config = c -> {
      c.getJsonObject("auth").put("jwtSecret", "x".repeat(40));
      c.getJsonObject("ops").put("status", new JsonObject().put("reportSeconds", 1).put("sampleSeconds", 60));
    };
    try (TestNode a = TestNode.clustered(TestNode.tempDir(), portA, seeds, config, "store", "api", "push", "bridge");
         TestNode b = TestNode.clustered(TestNode.tempDir(), portB, seeds, config, "api", "push", "bridge");
         Api viaA = new Api(vertx, a.port()); Api viaB = new Api(vertx, b.port())) {
      Account admin = viaA.signUp("admin");
      Account dana = viaA.signUp("dana");
      Account phone = viaA.login(dana.username(), "correct horse");
      await().atMost(Duration.ofSeconds(15)).alias("the admin page lists both nodes")
          .until(() -> nodeIds(viaA, admin).size() == 2);

      try (WsClient ws = viaB.webSocket(dana, null);
           SseClient sse = viaB.events(phone, null);
           BridgeClient bridge = BridgeClient.sockJs(vertx, viaB.webSockets(), b.port())) {
        bridge.registerSelf(dana.id(), dana.token(), null);
        await().atMost(Duration.ofSeconds(15)).alias("node A's admin page counts Dana's three connections on node B")
            .until(() -> devices(viaA, admin, dana) == 3);

        assertEquals(200, viaA.post("/api/admin/users/" + dana.id() + "/disable", admin.token(), new JsonObject()).status());
        assertEquals(4401, ws.awaitClosed(), "node B ended the WebSocket");
        sse.next("auth_revoked");
        assertTrue(bridge.awaitClosed(), "and the bridge connection");
      }
      assertEquals(403, viaB.get("/api/me", dana.token()).status(), "node B refuses her access token");
      assertEquals(403, viaB.get("/api/events?access_token=" + dana.token(), null).status(), "and a new stream");
      assertEquals(401, viaB.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", phone.refreshToken())).status());
      assertEquals(403, viaB.post("/api/auth/login", null, new JsonObject().put("username", dana.username())
          .put("password", "correct horse")).status());
      assertEquals(0, devices(viaA, admin, dana));
    }
  }

  private static Set<String> nodeIds(Api api, Account admin) {
    JsonArray nodes = api.get("/api/admin/server", admin.token()).json().getJsonArray("nodes");
    return nodes.stream().map(n -> ((JsonObject) n).getString("id")).collect(Collectors.toSet());
  }

  private static int devices(Api api, Account admin, Account who) {
    JsonArray users = api.get("/api/admin/users?q=" + who.username(), admin.token()).json().getJsonArray("users");
    return users.getJsonObject(0).getInteger("devices");
  }

}
