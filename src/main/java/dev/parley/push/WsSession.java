package dev.parley.push;

import dev.parley.auth.Principal;
import dev.parley.shared.Event;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.HttpServerConnection;

/** A WebSocket connection: each event is one text frame {@code {"type","id"?,"data"}}. */
final class WsSession extends Session {
  private static final Buffer PING = Buffer.buffer("p");
  private static final int FLUSH_AT_MOST_EVERY = 64;
  /** The name Vert.x gives its handler in the channel's pipeline. */
  private static final String VERTX_HANDLER = "handler";
  private final ServerWebSocket ws;
  private final HttpConnection connection;
  private final Channel channel;
  /** nanoTime until which the client's frames are not read (see {@link #holdReading}). */
  private long heldUntil;

  WsSession(Principal principal, Context context, Long since, ServerWebSocket ws, HttpConnection connection,
            Backlog backlog) {
    super(principal, context, since, backlog);
    this.ws = ws;
    this.connection = connection;
    this.channel = channelOf(connection);
    ws.setWriteQueueMaxSize(backlog.shedBytes());
    consolidateFlushes(channel);
  }

  /**
   * Vert.x flushes every frame written outside a read: one {@code write} system call per frame,
   * about a quarter of the server's CPU per direct message (the ack, the sender's own copy and
   * the peer's each took one). Netty's {@link FlushConsolidationHandler}, placed in front of
   * Vert.x's WebSocket handler, turns the flushes of one event-loop task (a batch's events for
   * this socket, say) and of the tasks queued before it into one, issued before the loop takes
   * its next task; a flush still goes out at once every {@value #FLUSH_AT_MOST_EVERY} frames.
   * Order and back-pressure stay Netty's and Vert.x's: only when the bytes leave changes.
   */
  private static void consolidateFlushes(Channel channel) {
    if (channel != null && channel.pipeline().get(VERTX_HANDLER) != null) {
      channel.pipeline().addBefore(VERTX_HANDLER, "flush-consolidation", new FlushConsolidationHandler(FLUSH_AT_MOST_EVERY, true));
    }
  }

  /**
   * The connection's Netty channel, reached through Vert.x's server connection (vertx-web wraps
   * the WebSocket itself); null if a Vert.x version hides it, and then nothing here needs it.
   */
  private static Channel channelOf(HttpConnection connection) {
    return connection instanceof HttpServerConnection server ? server.channelHandlerContext().channel() : null;
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
   * closed instead (the connection's own close also starts with a close frame once upgraded).
   */
  @Override
  protected void abortConnection() {
    if (channel != null) {
      channel.close();
    } else {
      connection.close();
    }
  }
}
