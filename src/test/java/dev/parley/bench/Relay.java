package dev.parley.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's yardstick, not a product: a bare Vert.x WebSocket relay that speaks just enough
 * of the contract for {@link Benchmark}'s clients (register, login, create a conversation, the
 * {@code send} frame, its {@code ack} and the {@code message} event) and stores nothing. It does
 * what any server must do for that traffic (parse each frame, build each event once, write it to
 * every member's socket from that socket's event loop, as Parley does) and nothing else: no
 * database, no event bus, no tokens (a user's token is its id). Run against it
 * ({@code -Dbench.server=relay}), the same clients show how much of this machine the WebSocket
 * traffic alone takes, and so how far any server could go here.
 */
public final class Relay {
  private record Conversation(String id, List<String> members, AtomicLong lastSeq) {
  }

  /** A socket and the event loop it lives on. */
  private record Link(ServerWebSocket socket, Context context) {
  }

  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
  private final Map<String, List<Link>> sockets = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("PARLEY_HTTP_PORT", "8080"));
    Vertx vertx = Vertx.vertx(new VertxOptions());
    Relay relay = new Relay();
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < loops; i++) {
      // One server per event loop on the shared port, as Parley's HTTP verticles do.
      vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
        @Override
        public io.vertx.core.Future<?> start() {
          HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setStrictThreadMode(true));
          return server.requestHandler(relay::handle).listen(port);
        }
      }, new io.vertx.core.DeploymentOptions()).await();
    }
    System.out.println("relay listening on " + port);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/api/ws")) {
      request.toWebSocket().onSuccess(ws -> open(ws, request.getParam("access_token")));
    } else if (path.equals("/metrics")) {
      request.response().end("");
    } else {
      request.body().onSuccess(body -> {
        JsonObject in = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        String auth = request.getHeader("Authorization");
        String caller = auth == null ? null : auth.substring("Bearer ".length());
        JsonObject out = switch (path) {
          case "/api/auth/register" -> new JsonObject().put("user", user(in.getString("username")));
          case "/api/auth/login" -> new JsonObject().put("user", user(in.getString("username")))
              .put("accessToken", in.getString("username"));
          case "/api/conversations" -> create(caller, in);
          default -> null;
        };
        if (out == null) {
          request.response().setStatusCode(404).end();
        } else {
          request.response().putHeader("Content-Type", "application/json").end(out.encode());
        }
      });
    }
  }

  /** A user's id is its username, and so is its access token. */
  private static JsonObject user(String id) {
    return new JsonObject().put("id", id).put("username", id);
  }

  private JsonObject create(String caller, JsonObject in) {
    List<String> members = new ArrayList<>();
    members.add(caller);
    if ("direct".equals(in.getString("type"))) {
      members.add(in.getString("userId"));
    } else {
      in.getJsonArray("memberIds", new JsonArray()).forEach(id -> members.add((String) id));
    }
    Conversation c = new Conversation("c" + ids.incrementAndGet(), List.copyOf(members), new AtomicLong());
    conversations.put(c.id(), c);
    return new JsonObject().put("conversation", new JsonObject().put("id", c.id()));
  }

  private void open(ServerWebSocket ws, String userId) {
    Link link = new Link(ws, Vertx.currentContext());
    sockets.computeIfAbsent(userId, id -> new CopyOnWriteArrayList<>()).add(link);
    ws.closeHandler(v -> sockets.get(userId).remove(link));
    // As the contract's push does: the connection is live from here on.
    ws.writeTextMessage("{\"type\":\"ready\",\"data\":{}}");
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if (!"send".equals(frame.getString("type"))) {
        return;
      }
      Conversation c = conversations.get(frame.getString("conversationId"));
      if (c == null || !c.members().contains(userId)) {
        return;
      }
      long id = ids.incrementAndGet();
      long seq = c.lastSeq().incrementAndGet();
      String clientId = frame.getString("clientId");
      JsonObject message = new JsonObject().put("id", id).put("conversationId", c.id()).put("seq", seq)
          .put("senderId", userId).put("type", frame.getString("msgType")).put("text", frame.getString("text"))
          .put("mentions", new JsonArray()).put("clientId", clientId).put("createdAt", Instant.now().toString())
          .put("edited", false).put("recalled", false).put("reactions", new JsonArray());
      String event = new JsonObject().put("type", "message").put("id", id).put("data", message).encode();
      ws.writeTextMessage(new JsonObject().put("type", "ack")
          .put("data", new JsonObject().put("clientId", clientId).put("id", id).put("seq", seq)).encode());
      deliver(c, event);
    });
  }

  /** Every member's sockets, grouped by event loop: one hop per loop, each socket written on its own. */
  private void deliver(Conversation c, String event) {
    Map<Context, List<ServerWebSocket>> byLoop = new HashMap<>();
    for (String member : c.members()) {
      for (Link link : sockets.getOrDefault(member, List.of())) {
        byLoop.computeIfAbsent(link.context(), k -> new ArrayList<>()).add(link.socket());
      }
    }
    byLoop.forEach((context, targets) -> context.runOnContext(v -> targets.forEach(s -> s.writeTextMessage(event))));
  }
}
