package dev.parley.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP client for tests, synchronous for readability (tests may {@code await}). */
public final class Api implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();

  public final Vertx vertx;
  public final int port;
  private final HttpClient http;
  private final WebSocketClient ws;

  /** Clients on {@code vertx}, the test's own Vert.x (injected by VertxExtension), never the server's. */
  public Api(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.ws = vertx.createWebSocketClient();
  }

  /** An answer: status, headers and the JSON body (null when there is none). */
  public record Reply(int status, Map<String, String> headers, String raw) {
    public JsonObject json() {
      return raw == null || raw.isEmpty() ? null : new JsonObject(raw);
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

    public String errorField() {
      return json().getJsonObject("error").getString("field");
    }
  }

  /** A signed-in user. */
  public record Account(String id, String username, String token, String refreshToken) {
  }

  public Reply call(HttpMethod method, String path, String token, Object body) {
    // Where the call was made, for a failure that surfaces on an event loop.
    AssertionError caller = new AssertionError(method + " " + path + " did not complete");
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return onContext(() -> http.request(options).compose(request -> {
      if (body == null) {
        return request.send();
      }
      request.putHeader("Content-Type", "application/json");
      return request.send(body instanceof Buffer buffer ? buffer : Buffer.buffer(body.toString()));
    }).compose(response -> response.body().map(buffer -> reply(response, buffer))))
        .timeout(15, java.util.concurrent.TimeUnit.SECONDS)
        .recover(cause -> {
          caller.initCause(cause);
          return io.vertx.core.Future.failedFuture(caller);
        })
        .await();
  }

  /**
   * Runs an asynchronous exchange from a Vert.x context. Started from the test's own thread, a
   * response could be complete before the test thread asks for its body, and the body is lost.
   */
  public <T> io.vertx.core.Future<T> onContext(java.util.function.Supplier<io.vertx.core.Future<T>> exchange) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> exchange.get().onComplete(done));
    return done.future();
  }

  private static Reply reply(HttpClientResponse response, Buffer body) {
    Map<String, String> headers = new java.util.HashMap<>();
    response.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
    return new Reply(response.statusCode(), headers, body.toString());
  }

  public Reply get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  public Reply post(String path, String token, Object body) {
    return call(HttpMethod.POST, path, token, body);
  }

  public Reply patch(String path, String token, Object body) {
    return call(HttpMethod.PATCH, path, token, body);
  }

  public Reply put(String path, String token, Object body) {
    return call(HttpMethod.PUT, path, token, body);
  }

  public Reply delete(String path, String token) {
    return call(HttpMethod.DELETE, path, token, null);
  }

  /** Registers a fresh user (unique name from {@code prefix}) and logs in. */
  public Account signUp(String prefix) {
    String username = prefix + "-" + NAMES.incrementAndGet();
    Reply registered = post("/api/auth/register", null, new JsonObject().put("username", username).put("password", "correct horse"));
    if (registered.status() != 201) {
      throw new AssertionError("register failed: " + registered);
    }
    return login(username, "correct horse");
  }

  public Account login(String username, String password) {
    Reply login = post("/api/auth/login", null, new JsonObject().put("username", username).put("password", password));
    if (login.status() != 200) {
      throw new AssertionError("login failed: " + login);
    }
    JsonObject body = login.json();
    return new Account(body.getJsonObject("user").getString("id"), username, body.getString("accessToken"),
        body.getString("refreshToken"));
  }

  /** Creates a direct conversation between two users and returns its id. */
  public String direct(Account a, Account b) {
    return post("/api/conversations", a.token(), new JsonObject().put("type", "direct").put("userId", b.id()))
        .json().getJsonObject("conversation").getString("id");
  }

  public String group(Account owner, String title, Account... members) {
    io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
    for (Account m : members) {
      ids.add(m.id());
    }
    Reply created = post("/api/conversations", owner.token(),
        new JsonObject().put("type", "group").put("title", title).put("memberIds", ids));
    if (created.status() != 201) {
      throw new AssertionError("group failed: " + created);
    }
    return created.json().getJsonObject("conversation").getString("id");
  }

  public JsonObject send(Account from, String conversationId, String text) {
    Reply sent = post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "c-" + java.util.UUID.randomUUID()).put("type", "text").put("text", text));
    if (sent.status() != 201) {
      throw new AssertionError("send failed: " + sent);
    }
    return sent.json().getJsonObject("message");
  }

  /** A WebSocket of {@code account}, returned once the server says it is live ({@code ready}). */
  public WsClient webSocket(Account account, Long since) {
    return WsClient.connect(vertx, ws, port, "/api/ws?access_token=" + account.token() + (since == null ? "" : "&since=" + since)).ready();
  }

  /** An SSE stream of {@code account}, returned once the server says it is live ({@code ready}). */
  public SseClient events(Account account, Long lastEventId) {
    return SseClient.connect(vertx, http, account.token(), lastEventId).ready();
  }

  public HttpClient http() {
    return http;
  }

  public WebSocketClient webSockets() {
    return ws;
  }

  @Override
  public void close() {
    ws.close().await();
    http.close().await();
  }
}
