package dev.parley.support;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real SSE client: parses the stream into events (comments kept as {@code :comment} events). */
public final class SseClient implements AutoCloseable {
  /** One server-sent event. */
  public record Event(String type, Long id, JsonObject data) {
  }

  private final HttpClientRequest request;
  public final HttpClientResponse response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> aside = new ArrayList<>();
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
        events.add(new Event(type == null ? "message" : type, id, data.length() == 0 ? null : new JsonObject(data.toString())));
      }
      type = null;
      id = null;
      data = new StringBuilder();
    } else if (line.startsWith(":")) {
      events.add(new Event(":comment", null, new JsonObject().put("text", line.substring(1).trim())));
    } else if (line.startsWith("event: ")) {
      type = line.substring(7);
    } else if (line.startsWith("id: ")) {
      id = Long.parseLong(line.substring(4));
    } else if (line.startsWith("data: ")) {
      data.append(line.substring(6));
    }
  }

  /** The next event of {@code wanted}; events of other types stay queued for later. Fails after 5 s. */
  public Event next(String wanted) {
    for (Event event : aside) {
      if (wanted.equals(event.type())) {
        aside.remove(event);
        return event;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Event event = poll(deadline - System.nanoTime());
      if (event != null && wanted.equals(event.type())) {
        return event;
      }
      if (event != null) {
        aside.add(event);
      }
    }
    throw new AssertionError("no " + wanted + " event within 5 s");
  }

  /** Every event of {@code wanted} queued or arriving within {@code millis}. */
  public List<Event> collect(String wanted, long millis) {
    List<Event> found = new ArrayList<>();
    aside.removeIf(event -> wanted.equals(event.type()) && found.add(event));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      Event event = poll(deadline - System.nanoTime());
      if (event != null && wanted.equals(event.type())) {
        found.add(event);
      } else if (event != null) {
        aside.add(event);
      }
    }
    return found;
  }

  private Event poll(long nanos) {
    try {
      return events.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    request.connection().close().await();
  }
}
