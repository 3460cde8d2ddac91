package dev.parley.support;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real event-bus bridge client, as a bot would be: over SockJS (its raw WebSocket endpoint,
 * {@code /eventbus/websocket}, one bridge frame per WebSocket message) or over the TCP bridge
 * (a 4-byte big-endian length, then the frame's JSON). Received frames are sorted by what they
 * carry: the event type of a delivery ({@code message}, {@code ready}, …), {@code reply} for the
 * answer to a send, {@code err}, {@code pong}.
 */
public final class BridgeClient implements AutoCloseable {
  private final Inbox<JsonObject> inbox = new Inbox<>(BridgeClient::kind);
  private final Vertx vertx;
  private Consumer<String> writer;
  private Runnable closer;
  private long pinger;
  private volatile boolean closed;

  private BridgeClient(Vertx vertx) {
    this.vertx = vertx;
  }

  private static String kind(JsonObject frame) {
    String type = frame.getString("type");
    if ("rec".equals(type) || "message".equals(type)) {
      String address = frame.getString("address", "");
      return address.startsWith("chat.user.") ? frame.getJsonObject("body").getString("type") : "reply";
    }
    return type;
  }

  /** Connects to the SockJS bridge's raw WebSocket endpoint and pings it, as the npm client does. */
  public static BridgeClient sockJs(Vertx vertx, WebSocketClient client, int port) {
    BridgeClient bridge = new BridgeClient(vertx);
    Promise<BridgeClient> connected = Promise.promise();
    vertx.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/eventbus/websocket"))
        .map(ws -> {
          bridge.attach(ws);
          return bridge;
        })
        .onComplete(connected));
    return connected.future().await();
  }

  /** Connects to the TCP bridge. */
  public static BridgeClient tcp(Vertx vertx, NetClient client, int port) {
    BridgeClient bridge = new BridgeClient(vertx);
    Promise<BridgeClient> connected = Promise.promise();
    vertx.runOnContext(v -> client.connect(port, "127.0.0.1").map(socket -> {
      bridge.attach(socket);
      return bridge;
    }).onComplete(connected));
    return connected.future().await();
  }

  private void attach(WebSocket ws) {
    ws.textMessageHandler(text -> inbox.add(new JsonObject(text)));
    ws.binaryMessageHandler(data -> inbox.add(new JsonObject(data)));
    ws.closeHandler(v -> closed = true);
    writer = text -> ws.writeTextMessage(text);
    closer = () -> ws.close();
    // The SockJS bridge closes a socket that has not pinged for 10 s.
    pinger = vertx.setPeriodic(2000, t -> {
      if (!closed) {
        ws.writeTextMessage("{\"type\":\"ping\"}");
      }
    });
  }

  private void attach(NetSocket socket) {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new io.vertx.core.Handler<>() {
      int length = -1;

      @Override
      public void handle(Buffer buffer) {
        if (length < 0) {
          length = buffer.getInt(0);
          parser.fixedSizeMode(length);
        } else {
          inbox.add(new JsonObject(buffer));
          length = -1;
          parser.fixedSizeMode(4);
        }
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> closed = true);
    writer = text -> {
      Buffer json = Buffer.buffer(text);
      socket.write(Buffer.buffer().appendInt(json.length()).appendBuffer(json));
    };
    closer = () -> socket.close();
  }

  /** Writes one frame as it is. */
  public void write(JsonObject frame) {
    Promise<Void> written = Promise.promise();
    vertx.runOnContext(v -> {
      writer.accept(frame.encode());
      written.complete();
    });
    written.future().await();
  }

  public static JsonObject bearer(String token) {
    return new JsonObject().put("authorization", "Bearer " + token);
  }

  /** {@code register} on {@code address} with these headers (null: none). */
  public void register(String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (headers != null) {
      frame.put("headers", headers);
    }
    write(frame);
  }

  /** Registers a user's own address with their token and waits until it is live. */
  public BridgeClient registerSelf(String userId, String token, Long since) {
    JsonObject headers = bearer(token);
    if (since != null) {
      headers.put("since", String.valueOf(since));
    }
    register("chat.user." + userId, headers);
    next("ready");
    return this;
  }

  /** A {@code send} with a fresh reply address; returns the reply address. */
  public String send(String address, JsonObject body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
        .put("body", body);
    if (headers != null) {
      frame.put("headers", headers);
    }
    write(frame);
    return replyAddress;
  }

  /** Sends a text message through {@code chat.send} and returns the reply's body (ack or error data). */
  public JsonObject sendText(String token, String conversationId, String clientId, String text) {
    String replyAddress = send("chat.send", new JsonObject().put("clientId", clientId).put("conversationId", conversationId)
        .put("msgType", "text").put("text", text), bearer(token));
    JsonObject reply = next("reply");
    if (!replyAddress.equals(reply.getString("address"))) {
      throw new AssertionError("a reply to another address: " + reply);
    }
    return reply.getJsonObject("body");
  }

  /** The next frame of {@code kind}; fails after 5 s. */
  public JsonObject next(String kind) {
    return inbox.next(kind);
  }

  /** The body (the WebSocket-style event frame) of the next delivery of {@code eventType}. */
  public JsonObject nextEvent(String eventType) {
    return next(eventType).getJsonObject("body");
  }

  public List<JsonObject> collect(String kind, long millis) {
    return inbox.collect(kind, millis);
  }

  public boolean isClosed() {
    return closed;
  }

  /** Waits up to 5 s for the server to close the connection. */
  public boolean awaitClosed() {
    try {
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .alias("the server closes the bridge connection").until(() -> closed);
    } catch (ConditionTimeoutException e) {
      return false; // the caller's assertion says what it expected
    }
    return true;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    if (!closed) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> {
        closer.run();
        done.complete();
      });
      done.future().await();
    }
  }
}
