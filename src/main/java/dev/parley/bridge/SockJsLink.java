package dev.parley.bridge;

import io.vertx.core.Context;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A socket of the SockJS bridge: frames are SockJS messages, deliveries are {@code rec} frames. */
final class SockJsLink extends Link {
  private final SockJSSocket socket;
  private boolean closed;

  SockJsLink(SockJSSocket socket, Context context, int writeQueueMaxBytes) {
    super(context);
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  @Override
  protected String messageType() {
    return "rec";
  }

  @Override
  protected void writeText(String json) {
    if (!closed) {
      socket.write(json);
    }
  }

  /** A socket the peer has just closed throws here; its close event is on its way. */
  @Override
  protected boolean writeQueueFull() {
    try {
      return socket.writeQueueFull();
    } catch (IllegalStateException gone) {
      closed = true;
      return false;
    }
  }

  @Override
  protected boolean socketClosed() {
    return closed;
  }

  @Override
  protected void closeSocket() {
    closed = true;
    socket.close();
  }

  @Override
  void closed() {
    context.runOnContext(v -> closed = true);
    super.closed();
  }
}
