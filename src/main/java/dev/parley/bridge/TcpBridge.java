package dev.parley.bridge;

import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.bridge.BridgeEventType;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TCP event-bus bridge, speaking the wire protocol of vertx-tcp-eventbus-bridge (every frame
 * a 4-byte big-endian length and that many bytes of UTF-8 JSON; {@code ping} answered with
 * {@code pong}), so that library's clients work unchanged. It is served here rather than by the
 * library because the library buffers a frame of any announced length before anyone sees it:
 * an unauthenticated peer could fill the heap with one frame. Here a length over
 * {@code push.maxFrameBytes} closes the socket before a byte of its body is kept. Every frame
 * then goes through {@link BridgeGate}, exactly like a SockJS frame.
 */
final class TcpBridge {
  private static final String PONG = "{\"type\":\"pong\"}";

  private final BridgeGate gate;
  private final Map<Object, BridgeLink> links;
  private final int maxFrameBytes;
  private final int writeQueueMaxBytes;

  TcpBridge(BridgeGate gate, Map<Object, BridgeLink> links, int maxFrameBytes, int writeQueueMaxBytes) {
    this.gate = gate;
    this.links = links;
    this.maxFrameBytes = maxFrameBytes;
    this.writeQueueMaxBytes = writeQueueMaxBytes;
  }

  Future<NetServer> listen(Vertx vertx, String host, int port, int idleSeconds) {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(port)
        // A bot pings at least this often; a silent socket is closed.
        .setReadIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createNetServer(options).connectHandler(this::accept).listen();
  }

  private void accept(NetSocket socket) {
    TcpLink link = new TcpLink(socket, Vertx.currentContext(), writeQueueMaxBytes);
    links.put(socket, link);
    socket.closeHandler(v -> {
      links.remove(socket);
      gate.closed(link);
    });
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new Handler<>() {
      private int length = -1;

      @Override
      public void handle(Buffer chunk) {
        if (length < 0) {
          length = chunk.getInt(0);
          if (length < 2 || length > maxFrameBytes) {
            socket.pause(); // not a byte more of it is read
            link.refuse(null, new Failure(ErrorCode.TOO_LARGE,
                "a frame must be 2 to " + maxFrameBytes + " bytes of JSON; this one said " + Integer.toUnsignedString(length)));
            link.context.runOnContext(v -> socket.close()); // after the refusal, queued on the same loop
            return;
          }
          parser.fixedSizeMode(length);
        } else {
          length = -1;
          parser.fixedSizeMode(4);
          frame(link, chunk);
        }
      }
    });
    socket.handler(parser);
  }

  private void frame(TcpLink link, Buffer bytes) {
    JsonObject frame;
    try {
      frame = new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      link.refuse(null, Failure.invalid(null, "a frame must be a JSON object"));
      return;
    }
    String type = frame.getValue("type") instanceof String s ? s : "";
    switch (type) {
      case "ping" -> link.writeText(PONG);
      case "send" -> gate.frame(BridgeEventType.SEND, frame, link);
      case "publish" -> gate.frame(BridgeEventType.PUBLISH, frame, link);
      case "register" -> gate.frame(BridgeEventType.REGISTER, frame, link);
      case "unregister" -> gate.frame(BridgeEventType.UNREGISTER, frame, link);
      default -> link.refuse(null, Failure.invalid("type", "unknown frame type '" + type + "'"));
    }
  }
}
