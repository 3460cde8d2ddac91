package dev.parley.push;

import dev.parley.auth.Principal;
import dev.parley.shared.Event;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

/** A server-sent-events stream: {@code event:}, {@code id:} (durable only), {@code data:}. */
final class SseSession extends Session {
  private final HttpServerResponse response;
  private final HttpConnection connection;

  SseSession(Principal principal, Context context, Long since, HttpServerResponse response, HttpConnection connection,
             Backlog backlog) {
    super(principal, context, since, backlog);
    this.response = response;
    this.connection = connection;
    response.setWriteQueueMaxSize(backlog.shedBytes());
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
  protected int write(Event event) {
    String text = event.sseText();
    response.write(text);
    return text.length();
  }

  @Override
  protected void ping() {
    response.write(": ping\n\n");
  }

  @Override
  protected void closeConnection() {
    if (!response.ended() && !response.closed()) {
      if (revoked) {
        response.write("event: auth_revoked\ndata: {}\n\n");
      } else if (expired) {
        response.write("event: auth_expired\ndata: {}\n\n");
      }
      response.end();
    }
  }

  /** The end of the stream would wait behind the backlog: the TCP connection is closed instead. */
  @Override
  protected void abortConnection() {
    connection.close();
  }
}
