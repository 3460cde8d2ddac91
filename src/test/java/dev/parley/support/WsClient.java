package dev.parley.support;

import static org.awaitility.Awaitility.await;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** A real WebSocket client that queues every frame it receives. */
public final class WsClient implements AutoCloseable {
  private final WebSocket socket;
  private final Inbox<JsonObject> inbox = new Inbox<>(frame -> frame.getString("type"));
  private volatile boolean closed;
  private volatile Short closeCode;

  private WsClient(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> inbox.add(new JsonObject(text)));
    socket.closeHandler(v -> {
      closeCode = socket.closeStatusCode();
      closed = true;
    });
  }

  /** Waits (at most 5 s) until the server closes the socket; its close code. */
  public short awaitClosed() {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .alias("the server closes the WebSocket").until(() -> closed);
    return closeCode == null ? -1 : closeCode;
  }

  static WsClient connect(io.vertx.core.Vertx vertx, WebSocketClient client, int port, String uri) {
    // Connected from a Vert.x context, so the frame handler is set before any frame can arrive.
    io.vertx.core.Promise<WsClient> connected = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .map(WsClient::new).onComplete(connected));
    return connected.future().await();
  }

  public void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  /** Writes all frames back to back, without waiting for each, so the server gets them as one burst. */
  public void sendAll(List<JsonObject> frames) {
    io.vertx.core.Future<Void> last = io.vertx.core.Future.succeededFuture();
    for (JsonObject frame : frames) {
      last = socket.writeTextMessage(frame.encode());
    }
    last.await();
  }

  /** The next frame of {@code type}; frames of other types stay queued for later. Fails after 5 s. */
  public JsonObject next(String type) {
    return inbox.next(type);
  }

  /** Every frame of {@code type} queued or arriving within {@code millis}. */
  public List<JsonObject> collect(String type, long millis) {
    return inbox.collect(type, millis);
  }

  /** Waits for the server's {@code ready} frame: from then on no event is missed. */
  public WsClient ready() {
    inbox.next("ready");
    return this;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      socket.close().otherwiseEmpty().await();
    }
  }
}
