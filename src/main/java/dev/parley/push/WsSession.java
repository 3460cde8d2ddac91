package dev.parley.push;

import dev.parley.auth.Principal;
import dev.parley.shared.Event;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/** A WebSocket connection: each event is one text frame {@code {"type","id"?,"data"}}. */
final class WsSession extends Session {
  private static final Buffer PING = Buffer.buffer("p");
  private final ServerWebSocket ws;
  private final HttpConnection connection;
  /** nanoTime until which the client's frames are not read (see {@link #holdReading}). */
  private long heldUntil;

  WsSession(Principal principal, Context context, Long since, ServerWebSocket ws, HttpConnection connection,
            Backlog backlog) {
    super(principal, context, since, backlog);
    this.ws = ws;
    this.connection = connection;
    ws.setWriteQueueMaxSize(backlog.shedBytes());
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
  protected int write(Event event) {
    String text = event.webSocketText();
    ws.writeTextMessage(text);
    return text.length();
  }

  /**
   * Stops reading the client's frames for {@code millis} (or longer, if already held longer): a
   * client past its limit per user gets no further than its TCP window meanwhile, so a flood costs
   * the server one refusal per pause, not one per frame.
   */
  void holdReading(long millis) {
    context.runOnContext(v -> {
      long until = System.nanoTime() + millis * 1_000_000;
      if (until <= heldUntil || ws.isClosed()) {
        return;
      }
      heldUntil = until;
      ws.pause();
      context.owner().setTimer(millis, t -> {
        if (System.nanoTime() >= heldUntil - 1_000_000 && !ws.isClosed()) {
          ws.resume();
        }
      });
    });
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
    if (revoked) {
      ws.close(REVOKED_CLOSE_CODE, "session revoked");
    } else if (expired) {
      ws.close(EXPIRED_CLOSE_CODE, "access token expired");
    } else {
      ws.close((short) 1001, "going away");
    }
  }

  /**
   * A close frame would wait behind the backlog, and Vert.x starts its closing timeout only once
   * the close frame is written, which for a client that reads nothing is never: the channel is
   * closed instead, through {@code WebSocketInternal} (Vert.x's integration interface; the
   * connection's own close also starts with a close frame once upgraded).
   */
  @Override
  protected void abortConnection() {
    if (ws instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().channel().close();
    } else {
      connection.close();
    }
  }
}
