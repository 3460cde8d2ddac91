package dev.parley.support;

import static org.awaitility.Awaitility.await;

import dev.parley.support.Api.Account;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A user's live stream the way a real client keeps one: WebSocket or SSE, opened with a cursor,
 * and whenever it drops, reopened with the last event id it has, on whichever node
 * {@code nextPort} names (a load balancer's choice). It records every durable event it was given,
 * in arrival order, across all its connections, so a test can check that it got each event of its
 * conversations exactly once and in id order.
 */
public final class Receiver implements AutoCloseable {
  /** How the stream travels. */
  public enum Transport { WEBSOCKET, SSE }

  /** One durable event as it arrived: its event id and the message it carries. */
  public record Received(long eventId, JsonObject message) {
  }

  public final Account account;
  public final Transport transport;
  private final Vertx vertx;
  private final Context context;
  private final IntSupplier nextPort;
  private final HttpClient http;
  private final WebSocketClient webSockets;
  private final List<Received> received = new ArrayList<>();
  private long lastEventId;
  private int readies;
  private int connections;
  private boolean stopped;
  private boolean reconnecting;
  private Runnable closeCurrent = () -> { };

  private Receiver(Vertx vertx, Account account, Transport transport, long since, IntSupplier nextPort) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.account = account;
    this.transport = transport;
    this.lastEventId = since;
    this.nextPort = nextPort;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
    this.webSockets = vertx.createWebSocketClient();
  }

  /** Opens the stream with cursor {@code since} and returns once the server has said {@code ready}. */
  public static Receiver open(Vertx vertx, Account account, Transport transport, long since, IntSupplier nextPort) {
    Receiver receiver = new Receiver(vertx, account, transport, since, nextPort);
    receiver.context.runOnContext(v -> receiver.connect());
    receiver.awaitReadies(1, 10_000);
    return receiver;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    connections++;
    int port = nextPort.getAsInt();
    String query = "access_token=" + account.token() + "&since=" + lastEventId;
    if (transport == Transport.WEBSOCKET) {
      webSockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/ws?" + query))
          .onSuccess(this::attach)
          .onFailure(cause -> reconnectSoon());
    } else {
      http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(port).setURI("/api/events?" + query))
          .compose(request -> request.send())
          .onSuccess(response -> {
            if (response.statusCode() != 200) {
              response.request().connection().close();
              reconnectSoon();
              return;
            }
            closeCurrent = () -> response.request().connection().close();
            RecordParser records = RecordParser.newDelimited("\n\n", record -> onSseRecord(record.toString()));
            response.handler(records);
            response.exceptionHandler(cause -> { });
            response.endHandler(v -> reconnectSoon());
            response.request().connection().closeHandler(v -> reconnectSoon());
          })
          .onFailure(cause -> reconnectSoon());
    }
  }

  private void attach(WebSocket ws) {
    closeCurrent = ws::close;
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      onEvent(frame.getString("type"), frame.getLong("id"), frame.getJsonObject("data"));
    });
    ws.exceptionHandler(cause -> { });
    ws.closeHandler(v -> reconnectSoon());
  }

  private void onSseRecord(String record) {
    String type = "message";
    Long id = null;
    String data = null;
    for (String line : record.split("\n")) {
      if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("id: ")) {
        id = Long.parseLong(line.substring(4));
      } else if (line.startsWith("data: ")) {
        data = line.substring(6);
      }
    }
    if (data != null) {
      onEvent(type, id, new JsonObject(data));
    }
  }

  private void onEvent(String type, Long id, JsonObject data) {
    if ("ready".equals(type)) {
      readies++;
    } else if (id != null) {
      received.add(new Received(id, data));
      lastEventId = Math.max(lastEventId, id);
    }
  }

  /** A dropped stream comes back after a short pause, as the browser client's does. */
  private void reconnectSoon() {
    if (stopped || reconnecting) {
      return;
    }
    reconnecting = true;
    closeCurrent.run();
    vertx.setTimer(100, t -> {
      reconnecting = false;
      connect();
    });
  }

  /** Drops the current connection from the client's side; it reconnects with its cursor. */
  public void drop() {
    context.runOnContext(v -> reconnectSoon());
  }

  /** Waits until the server has said {@code ready} {@code count} times in all. */
  public void awaitReadies(int count, long millis) {
    await().atMost(Duration.ofMillis(millis)).pollInterval(Duration.ofMillis(20))
        .alias(account.username() + " (" + transport + ") sees " + count + " ready frames")
        .until(() -> onContext(() -> readies), seen -> seen >= count);
  }

  /** Everything received so far, in arrival order. */
  public List<Received> received() {
    return onContext(() -> new ArrayList<>(received));
  }

  /** How many times the stream was opened (1 + reconnects). */
  public int connections() {
    return onContext(() -> connections);
  }

  private <T> T onContext(java.util.concurrent.Callable<T> read) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(read.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await();
  }

  /** Sleeps the test thread. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    onContext(() -> {
      stopped = true;
      closeCurrent.run();
      return null;
    });
    webSockets.close().otherwiseEmpty().await();
    http.close().otherwiseEmpty().await();
  }
}
