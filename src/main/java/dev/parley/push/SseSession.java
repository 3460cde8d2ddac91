package dev.parley.push;

import dev.parley.shared.Event;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/** A server-sent-events stream: {@code event:}, {@code id:} (durable only), {@code data:}. */
final class SseSession extends Session {
  private final HttpServerResponse response;

  SseSession(String userId, Context context, Long since, HttpServerResponse response, int writeQueueMaxBytes) {
    super(userId, context, since);
    this.response = response;
    response.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  @Override
  protected boolean connectionClosed() {
    return response.closed() || response.ended();
  }

  @Override
  protected boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  protected void write(Event event) {
    response.write(event.sseText());
  }

  @Override
  protected void ping() {
    response.write(": ping\n\n");
  }

  @Override
  protected void closeConnection() {
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }
}
