package dev.parley.bridge;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * A socket of the TCP bridge: every frame is a 4-byte big-endian length and that many bytes of
 * UTF-8 JSON; deliveries are {@code message} frames.
 */
final class TcpLink extends BridgeLink {
  private final NetSocket socket;

  TcpLink(NetSocket socket, Context context, int writeQueueMaxBytes) {
    super(context);
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  @Override
  protected String messageType() {
    return "message";
  }

  @Override
  protected void writeText(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes));
  }

  @Override
  protected boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  protected void closeTransport() {
    socket.close();
  }
}
