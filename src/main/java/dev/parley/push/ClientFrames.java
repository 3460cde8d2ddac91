package dev.parley.push;

import dev.parley.auth.Principal;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.Json;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Frames a WebSocket client sends: {@code send} (answered by {@code ack} or {@code error}),
 * {@code delivered}, {@code read}, {@code typing} and {@code ping}. Each is validated like its REST twin and goes to
 * the store over the bus; a bad frame gets an {@code error} frame and changes nothing.
 */
final class ClientFrames {
  private static final String PONG = "{\"type\":\"pong\"}";
  /** The longest a client past its limit goes unread at once; it is told the full wait in {@code retryAfter}. */
  private static final long MAX_HOLD_SECONDS = 5;

  private final Bus bus;
  /** Checks the token of an {@code auth} frame as a new stream's token is checked. */
  private final Function<String, Future<Principal>> verify;

  ClientFrames(Bus bus, Function<String, Future<Principal>> verify) {
    this.bus = bus;
    this.verify = verify;
  }

  void handle(WsSession session, String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      session.reply(Frames.error(null, Failure.invalid(null, "a frame must be a JSON object")).encode());
      return;
    }
    String clientId = frame.getValue("clientId") instanceof String s ? s : null;
    try {
      String type = Json.requiredString(frame, "type");
      switch (type) {
        case "ping" -> session.reply(PONG);
        case "auth" -> renew(session, Json.requiredString(frame, "token"));
        case "send" -> send(session, frame, clientId);
        case "delivered" -> answerOnlyErrors(session, bus.request(Address.CONVERSATION_DELIVERED, pointer(session, frame)));
        case "read" -> answerOnlyErrors(session, bus.request(Address.CONVERSATION_READ, pointer(session, frame)));
        case "typing" -> answerOnlyErrors(session, bus.request(Address.CONVERSATION_TYPING,
            new ConversationCommands.Scoped(session.userId, Json.requiredString(frame, "conversationId"))));
        default -> throw Failure.invalid("type", "unknown frame type " + type);
      }
    } catch (RuntimeException e) {
      session.reply(Frames.error(clientId, Failure.from(e)).encode());
    }
  }

  private void send(WsSession session, JsonObject frame, String clientId) {
    SendRequest request = SendRequest.parse(Json.requiredString(frame, "conversationId"), frame, "msgType");
    bus.request(Address.MESSAGE_SEND, MessageCommands.Send.forAck(session.userId, request))
        .onSuccess(sent -> session.reply(Frames.ack(request.clientId(), sent).encode()))
        .onFailure(cause -> refuse(session, clientId, Failure.from(cause)));
  }

  /** An error frame; past a limit per user, the session also stops reading until the wait is over. */
  private static void refuse(WsSession session, String clientId, Failure failure) {
    session.reply(Frames.error(clientId, failure).encode());
    if (failure.code() == ErrorCode.RATE_LIMITED && failure.retryAfter() > 0) {
      session.holdReading(Math.min(failure.retryAfter(), MAX_HOLD_SECONDS) * 1000);
    }
  }

  /**
   * {@code {type: auth, token}}: a fresh access token for this stream, before the one that opened
   * it expires (the stream is closed with 4402 then). Answered {@code {type: auth, data: {expiresAt}}},
   * or an {@code error} frame (the stream keeps its old token meanwhile).
   */
  private void renew(WsSession session, String token) {
    verify.apply(token)
        .compose(principal -> principal.userId().equals(session.userId) ? Future.succeededFuture(principal)
            : Future.failedFuture(Failure.forbidden("the token is another user's")))
        .onSuccess(principal -> {
          session.renew(principal);
          session.reply(Frames.ephemeral("auth", new JsonObject().put("expiresAt", principal.expiresAt())).encode());
        })
        .onFailure(cause -> session.reply(Frames.error(null, Failure.from(cause)).encode()));
  }

  /** A {@code delivered} or {@code read} frame's pointer: {@code {conversationId, seq}}. */
  private static ConversationCommands.Pointer pointer(WsSession session, JsonObject frame) {
    return new ConversationCommands.Pointer(session.userId, Json.requiredString(frame, "conversationId"),
        Json.nonNegativeLong(frame, "seq"));
  }

  private static void answerOnlyErrors(WsSession session, Future<?> result) {
    result.onFailure(cause -> refuse(session, null, Failure.from(cause)));
  }
}
