package dev.parley.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a push to a page's service worker as Chromium does on receiving one, through the
 * DevTools protocol.
 *
 * <p>{@code ServiceWorker.deliverPushMessage} names the registration by an id the protocol only
 * reports in {@code ServiceWorker.workerRegistrationUpdated} events, which WebDriver's
 * {@code executeCdpCommand} cannot receive. So this speaks the protocol itself on the page's
 * DevTools socket (a second client beside ChromeDriver): it enables the domain, waits for the
 * registration of the given scope and pushes to exactly that one.
 */
public final class ServiceWorkerPush implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> answers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<String>> registrations = new ConcurrentHashMap<>();

  /** Connects to the DevTools socket of the page now showing {@code pageUrl} in {@code browser}. */
  public static ServiceWorkerPush attach(Browser browser, String pageUrl) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> chrome = (Map<String, Object>) browser.driver.getCapabilities().getCapability("goog:chromeOptions");
    String debugger = (String) chrome.get("debuggerAddress");
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    JsonArray targets = new JsonArray(http.send(HttpRequest.newBuilder(URI.create("http://" + debugger + "/json/list"))
        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body());
    String page = targets.stream().map(JsonObject.class::cast)
        .filter(t -> "page".equals(t.getString("type")) && pageUrl.equals(t.getString("url")))
        .map(t -> t.getString("webSocketDebuggerUrl"))
        .findFirst().orElseThrow(() -> new AssertionError("no DevTools page shows " + pageUrl + ": " + targets));
    ServiceWorkerPush push = new ServiceWorkerPush();
    push.socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(URI.create(page), push.listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return push;
  }

  /** Delivers {@code data} to the registration whose scope is {@code scope}, as a received push. */
  public void deliver(String origin, String scope, String data) throws Exception {
    CompletableFuture<String> registration = registrations.computeIfAbsent(scope, s -> new CompletableFuture<>());
    call("ServiceWorker.enable", new JsonObject());
    String id = registration.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    call("ServiceWorker.deliverPushMessage", new JsonObject()
        .put("origin", origin).put("registrationId", id).put("data", data));
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  private JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = answers.computeIfAbsent(id, i -> new CompletableFuture<>());
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonObject reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new AssertionError(method + " failed: " + reply.getJsonObject("error"));
    }
    return reply.getJsonObject("result", new JsonObject());
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          receive(new JsonObject(text.toString()));
          text.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    };
  }

  private void receive(JsonObject frame) {
    if (frame.containsKey("id")) {
      answers.computeIfAbsent(frame.getInteger("id"), i -> new CompletableFuture<>()).complete(frame);
    } else if ("ServiceWorker.workerRegistrationUpdated".equals(frame.getString("method"))) {
      for (Object each : frame.getJsonObject("params").getJsonArray("registrations")) {
        JsonObject registration = (JsonObject) each;
        if (!registration.getBoolean("isDeleted", false)) {
          registrations.computeIfAbsent(registration.getString("scopeURL"), s -> new CompletableFuture<>())
              .complete(registration.getString("registrationId"));
        }
      }
    }
  }
}
