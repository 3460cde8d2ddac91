package dev.parley.support;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;

/** A real SSE client: parses the stream into events (comments kept as {@code :comment} events). */
public final class SseClient implements AutoCloseable {
  /** One server-sent event. */
  public record Event(String type, Long id, JsonObject data) {
  }

  private final HttpClientRequest request;
  public final HttpClientResponse response;
  private final Inbox<Event> inbox = new Inbox<>(Event::type);
  private String type;
  private Long id;
  private StringBuilder data = new StringBuilder();

  private SseClient(HttpClientRequest request, HttpClientResponse response) {
    this.request = request;
    this.response = response;
    RecordParser lines = RecordParser.newDelimited("\n", line -> onLine(line.toString()));
    response.handler(lines);
  }

  public static SseClient connect(io.vertx.core.Vertx vertx, HttpClient http, String token, Long lastEventId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/events?access_token=" + token);
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", String.valueOf(lastEventId));
    }
    // Sent from a Vert.x context, so the body handler is set before any chunk can arrive.
    io.vertx.core.Promise<SseClient> opened = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> http.request(options)
        .compose(request -> request.send().map(response -> new SseClient(request, response)))
        .onComplete(opened));
    return opened.future().await();
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (type != null || data.length() > 0) {
        inbox.add(new Event(type == null ? "message" : type, id, data.length() == 0 ? null : new JsonObject(data.toString())));
      }
      type = null;
      id = null;
      data = new StringBuilder();
    } else if (line.startsWith(":")) {
      inbox.add(new Event(":comment", null, new JsonObject().put("text", line.substring(1).trim())));
    } else if (line.startsWith("event: ")) {
      type = line.substring(7);
    } else if (line.startsWith("id: ")) {
      id = Long.parseLong(line.substring(4));
    } else if (line.startsWith("data: ")) {
      data.append(line.substring(6));
    }
  }

  /** Waits for the server's {@code ready} event: from then on no event is missed. */
  public SseClient ready() {
    inbox.next("ready");
    return this;
  }

  /** The next event of {@code wanted}; events of other types stay queued for later. Fails after 5 s. */
  public Event next(String wanted) {
    return inbox.next(wanted);
  }

  /** Every event of {@code wanted} queued or arriving within {@code millis}. */
  public List<Event> collect(String wanted, long millis) {
    return inbox.collect(wanted, millis);
  }

  @Override
  public void close() {
    request.connection().close().await();
  }
}
