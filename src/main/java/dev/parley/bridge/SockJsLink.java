package dev.parley.bridge;

import io.vertx.core.Context;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A socket of the SockJS bridge: frames are SockJS messages, deliveries are {@code rec} frames. */
final class SockJsLink extends BridgeLink {
  private final SockJSSocket socket;

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
    if (!socketClosed) {
      socket.write(json);
    }
  }

  /** A socket the peer has just closed throws here; its close event is on its way. */
  @Override
  protected boolean writeQueueFull() {
    try {
      return socket.writeQueueFull();
    } catch (IllegalStateException gone) {
      socketClosed = true;
      return false;
    }
  }

  @Override
  protected void closeTransport() {
    socket.close();
  }
}
