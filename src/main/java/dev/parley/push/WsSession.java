package dev.parley.push;

import dev.parley.shared.Event;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** A WebSocket connection: each event is one text frame {@code {"type","id"?,"data"}}. */
final class WsSession extends Session {
  private static final Buffer PING = Buffer.buffer("p");
  private final ServerWebSocket ws;

  WsSession(String userId, Context context, Long since, ServerWebSocket ws, int writeQueueMaxBytes) {
    super(userId, context, since);
    this.ws = ws;
    ws.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  @Override
  protected boolean connectionClosed() {
    return ws.isClosed();
  }

  @Override
  protected boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  protected void write(Event event) {
    ws.writeTextMessage(event.webSocketText());
  }

  /** Sends a frame that is not an event (ack, error, pong) on the connection's own loop. */
  void reply(String text) {
    context.runOnContext(v -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(text);
      }
    });
  }

  @Override
  protected void ping() {
    ws.writePing(PING);
  }

  @Override
  protected void closeConnection() {
    ws.close((short) 1001, "going away");
  }
}
