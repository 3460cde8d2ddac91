package dev.parley.support;

import dev.parley.support.Api.Account;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Chat traffic for delivery tests: each sender posts numbered text messages into its
 * conversation, one at a time, over REST or its own WebSocket, and mixes in the changes that
 * publish events too (an edit, a reaction, a recall, each on its own message). A request that
 * fails for want of a node (connection lost, 5xx) is retried with the same {@code clientId}, as a
 * real client does. Afterwards it knows, per conversation, the id of every message it created and
 * how many changes it made: what every member's stream must have received.
 */
public final class Traffic implements AutoCloseable {
  /** One sender: who, where to, and how. */
  public record Sender(Account account, String conversationId, boolean overWebSocket) {
  }

  private final Vertx vertx;
  private final IntSupplier restPort;
  private final HttpClient http;
  private final WebSocketClient webSockets;
  private final Map<String, List<Long>> created = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> changes = new ConcurrentHashMap<>();
  private final AtomicInteger retries = new AtomicInteger();
  private boolean messagesOnly;

  /** Requests go to the port {@code restPort} names each time (a load balancer's choice). */
  public Traffic(Vertx vertx, IntSupplier restPort) {
    this.vertx = vertx;
    this.restPort = restPort;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(64));
    this.webSockets = vertx.createWebSocketClient();
  }

  /**
   * Sends messages and nothing else. A change retried after a store died may have been applied
   * before it died and then again (an edit has no idempotency key), which is right but makes
   * the count of events a stream must get uncertain; a message retried with its clientId is not.
   */
  public Traffic messagesOnly() {
    messagesOnly = true;
    return this;
  }

  /**
   * Runs every sender to the end: {@code messagesEach} messages, at most {@code perSecond} a
   * second each (0: as fast as the server answers).
   */
  public void run(List<Sender> senders, int messagesEach, int perSecond) {
    List<Future<Void>> all = new ArrayList<>();
    for (Sender sender : senders) {
      created.putIfAbsent(sender.conversationId(), java.util.Collections.synchronizedList(new ArrayList<>()));
      changes.putIfAbsent(sender.conversationId(), new AtomicInteger());
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> start(sender, messagesEach, perSecond).onComplete(done));
      all.add(done.future());
    }
    Future.all(all).await();
  }

  private Future<Void> start(Sender sender, int count, int perSecond) {
    Future<WebSocket> socket = sender.overWebSocket() ? openSocket(sender) : Future.succeededFuture();
    return socket.compose(ws -> {
      AckWaiter acks = ws == null ? null : new AckWaiter(ws);
      long gapMs = perSecond > 0 ? 1000L / perSecond : 0;
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < count; i++) {
        int n = i;
        chain = chain.compose(v -> paced(gapMs, () -> sendOne(sender, acks, n)));
      }
      return chain.eventually(() -> ws == null ? Future.succeededFuture() : ws.close());
    });
  }

  private Future<Void> paced(long gapMs, java.util.function.Supplier<Future<Void>> step) {
    long started = System.currentTimeMillis();
    return step.get().compose(v -> {
      long left = gapMs - (System.currentTimeMillis() - started);
      if (left <= 0) {
        return Future.succeededFuture();
      }
      return Future.future(p -> vertx.setTimer(left, t -> p.complete()));
    });
  }

  private Future<Void> sendOne(Sender sender, AckWaiter acks, int n) {
    String clientId = sender.account().username() + "-" + n;
    JsonObject body = new JsonObject().put("clientId", clientId).put("type", "text").put("text", "message " + n);
    Future<Long> sent = acks != null
        ? acks.send(body.copy().put("type", "send").put("msgType", "text").put("conversationId", sender.conversationId()))
        : rest(HttpMethod.POST, "/api/conversations/" + sender.conversationId() + "/messages", sender, body)
            .map(reply -> reply.getJsonObject("message").getLong("id"));
    return sent.compose(id -> {
      created.get(sender.conversationId()).add(id);
      String path = "/api/conversations/" + sender.conversationId() + "/messages/" + id;
      Future<JsonObject> change = messagesOnly ? null : switch (n % 10) {
        case 3 -> rest(HttpMethod.PATCH, path, sender, new JsonObject().put("text", "message " + n + ", edited"));
        case 5 -> rest(HttpMethod.PUT, path + "/reactions/%F0%9F%91%8D", sender, null);
        case 7 -> rest(HttpMethod.DELETE, path, sender, null);
        default -> null;
      };
      if (change == null) {
        return Future.succeededFuture();
      }
      return change.map(v -> {
        changes.get(sender.conversationId()).incrementAndGet();
        return null;
      });
    });
  }

  /** One REST call, retried (same body, same clientId) while the answer is a lost connection or a 5xx. */
  private Future<JsonObject> rest(HttpMethod method, String path, Sender sender, JsonObject body) {
    return attempt(method, path, sender, body).recover(cause -> {
      if (cause instanceof Refused) {
        return Future.failedFuture(cause);
      }
      retries.incrementAndGet();
      return Future.<Void>future(p -> vertx.setTimer(100, t -> p.complete())).compose(v -> rest(method, path, sender, body));
    });
  }

  private Future<JsonObject> attempt(HttpMethod method, String path, Sender sender, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setPort(restPort.getAsInt()).setURI(path)
        .putHeader("Authorization", "Bearer " + sender.account().token()).setTimeout(10_000);
    return http.request(options).compose(request -> {
      if (body == null) {
        return request.send();
      }
      request.putHeader("Content-Type", "application/json");
      return request.send(Buffer.buffer(body.encode()));
    }).compose(response -> response.body().compose(buffer -> {
      if (response.statusCode() >= 500) {
        return Future.failedFuture("status " + response.statusCode());
      }
      if (response.statusCode() >= 300) {
        return Future.failedFuture(new Refused(method + " " + path + " answered " + response.statusCode() + " " + buffer));
      }
      return Future.succeededFuture(buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject());
    }));
  }

  private Future<WebSocket> openSocket(Sender sender) {
    return webSockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(restPort.getAsInt())
        .setURI("/api/ws?access_token=" + sender.account().token()));
  }

  /** The ids of every message created in {@code conversationId}, in the order their acks came. */
  public List<Long> created(String conversationId) {
    return new ArrayList<>(created.getOrDefault(conversationId, List.of()));
  }

  /** How many edits, reactions and recalls changed a message of {@code conversationId}. */
  public int changes(String conversationId) {
    AtomicInteger count = changes.get(conversationId);
    return count == null ? 0 : count.get();
  }

  /** Requests that were sent again after a lost connection or a 5xx. */
  public int retries() {
    return retries.get();
  }

  @Override
  public void close() {
    webSockets.close().otherwiseEmpty().await();
    http.close().otherwiseEmpty().await();
  }

  /** A 3xx/4xx answer: a bug in the test or the server, never retried. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Sends {@code send} frames on one WebSocket and completes each with the id in its {@code ack}. */
  private static final class AckWaiter {
    private final WebSocket ws;
    private final Map<String, Promise<Long>> waiting = new HashMap<>();

    AckWaiter(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        String type = frame.getString("type");
        if ("ack".equals(type) || "error".equals(type)) {
          JsonObject data = frame.getJsonObject("data");
          Promise<Long> promise = waiting.remove(data.getString("clientId"));
          if (promise == null) {
            return;
          }
          if ("ack".equals(type)) {
            promise.complete(data.getLong("id"));
          } else {
            promise.fail(new Refused("send refused: " + text));
          }
        }
      });
      ws.closeHandler(v -> {
        List<Promise<Long>> left = new ArrayList<>(waiting.values());
        waiting.clear();
        left.forEach(p -> p.tryFail("the WebSocket closed"));
      });
    }

    Future<Long> send(JsonObject frame) {
      Promise<Long> promise = Promise.promise();
      waiting.put(frame.getString("clientId"), promise);
      ws.writeTextMessage(frame.encode());
      return promise.future();
    }
  }
}
