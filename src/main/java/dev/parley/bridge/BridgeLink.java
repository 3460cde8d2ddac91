package dev.parley.bridge;

import dev.parley.shared.Failure;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;

/**
 * One bridged socket, SockJS or TCP: the user it belongs to once a frame has proved it, its
 * registration on {@code chat.user.<id>}, and how frames are written to it. Writes happen on
 * the socket's own event loop ({@link #context}).
 */
abstract class BridgeLink {
  final Context context;
  /** Bound by the first frame whose token checks out; every later frame must be the same user's. */
  private String userId;
  /** A bot token already checked on this socket (revoking the bot closes the socket). */
  private String botToken;
  BridgeSession session;
  /** Set on {@link #context} once either side has closed the socket. */
  protected boolean socketClosed;

  BridgeLink(Context context) {
    this.context = context;
  }

  /** The frame type that carries a message to the client: {@code rec} (SockJS) or {@code message} (TCP). */
  protected abstract String messageType();

  protected abstract void writeText(String json);

  protected abstract boolean writeQueueFull();

  /** Closes the transport's socket. */
  protected abstract void closeTransport();

  final boolean socketClosed() {
    return socketClosed;
  }

  final void closeSocket() {
    socketClosed = true;
    closeTransport();
  }

  String userId() {
    return userId;
  }

  /** True once a bot's token has been accepted here; a person's link has none. */
  boolean isBot() {
    return botToken != null;
  }

  boolean knows(String token) {
    return token.equals(botToken);
  }

  void bind(String userId, String botToken) {
    this.userId = userId;
    if (botToken != null) {
      this.botToken = botToken;
    }
  }

  /** A message frame for a client-side address; {@code body} is JSON text. */
  String envelope(String address, String body) {
    return "{\"type\":\"" + messageType() + "\",\"address\":\"" + address + "\",\"body\":" + body + "}";
  }

  /** Answers a {@code send} that named a reply address; the address is the client's, so it is escaped. */
  void reply(String replyAddress, JsonObject body) {
    if (replyAddress != null) {
      write(new JsonObject().put("type", messageType()).put("address", replyAddress).put("body", body).encode());
    }
  }

  /**
   * Refuses a frame: an {@code err} frame with the contract's error code in {@code body} and the
   * status in {@code failureCode}. It names {@code address} (the reply address of a send, the
   * address of a register) so a client library hands it to the right callback.
   */
  void refuse(String address, Failure failure) {
    JsonObject err = new JsonObject().put("type", "err");
    if (address != null) {
      err.put("address", address);
    }
    err.put("failureCode", failure.code().status()).put("failureType", "RECIPIENT_FAILURE")
        .put("body", failure.code().wire()).put("message", failure.getMessage());
    if (failure.retryAfter() > 0) {
      err.put("retryAfter", failure.retryAfter());
    }
    write(err.encode());
  }

  private void write(String json) {
    context.runOnContext(v -> {
      if (!socketClosed()) {
        writeText(json);
      }
    });
  }

  /** Ends the socket from this side (revoked bot, shutdown). */
  void close() {
    context.runOnContext(v -> {
      if (session != null) {
        session.close();
      } else if (!socketClosed()) {
        closeSocket();
      }
    });
  }

  /** The socket is gone: stop delivering. */
  final void closed() {
    context.runOnContext(v -> {
      socketClosed = true;
      if (session != null) {
        session.closed();
      }
    });
  }
}
