package dev.parley.support;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client that queues every frame it receives. */
public final class WsClient implements AutoCloseable {
  private final WebSocket socket;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> aside = new ArrayList<>();
  private volatile boolean closed;

  private WsClient(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.closeHandler(v -> closed = true);
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

  /** The next frame of {@code type}; frames of other types stay queued for later. Fails after 5 s. */
  public JsonObject next(String type) {
    for (JsonObject frame : aside) {
      if (type.equals(frame.getString("type"))) {
        aside.remove(frame);
        return frame;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonObject frame = poll(deadline - System.nanoTime());
      if (frame != null && type.equals(frame.getString("type"))) {
        return frame;
      }
      if (frame != null) {
        aside.add(frame);
      }
    }
    throw new AssertionError("no " + type + " frame within 5 s");
  }

  /** Every frame of {@code type} queued or arriving within {@code millis}. */
  public List<JsonObject> collect(String type, long millis) {
    List<JsonObject> found = new ArrayList<>();
    aside.removeIf(frame -> type.equals(frame.getString("type")) && found.add(frame));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      JsonObject frame = poll(deadline - System.nanoTime());
      if (frame != null && type.equals(frame.getString("type"))) {
        found.add(frame);
      } else if (frame != null) {
        aside.add(frame);
      }
    }
    return found;
  }

  private JsonObject poll(long nanos) {
    try {
      return frames.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
