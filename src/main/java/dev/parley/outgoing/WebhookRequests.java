package dev.parley.outgoing;

import dev.parley.http.EndpointGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One webhook request: the event frame POSTed as JSON, signed, to the address the
 * {@link EndpointGuard} has just checked (never a redirect's), within a time limit for the whole
 * exchange, reading at most {@link #MAX_ANSWER_BYTES} of the answer.
 */
final class WebhookRequests {
  /** The most of an answer that is read; a longer one is cut off (the status still counts). */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  /** What a request came to: {@code status} 0 when there was no HTTP answer. */
  record Outcome(int status, Buffer body, String error, long latencyMs) {
    boolean delivered() {
      return status >= 200 && status < 300;
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final EndpointGuard guard;
  private final long timeoutMs;

  WebhookRequests(Vertx vertx, HttpClient client, EndpointGuard guard, long timeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.guard = guard;
    this.timeoutMs = timeoutMs;
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of {@code timestamp + "." + body} under the secret. */
  static String signature(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends; name resolution blocks the calling thread (a worker's). Never fails: a failure is an {@link Outcome}. */
  Future<Outcome> send(String url, String secret, long eventId, byte[] body) {
    long started = System.nanoTime();
    // Name resolution blocks: on a worker thread of its own (unordered), so one slow lookup holds up no other bot.
    return vertx.executeBlocking(() -> {
      URI uri = guard.check(url);
      return new Target(uri, guard.resolve(uri));
    }, false).transform(ar -> ar.succeeded()
        ? post(url, secret, eventId, body, ar.result(), started)
        : Future.succeededFuture(new Outcome(0, null, "refused: " + ar.cause().getMessage(), 0)));
  }

  /** A checked URL and the address it resolved to, which the request then goes to. */
  private record Target(URI uri, InetAddress address) {
  }

  private Future<Outcome> post(String url, String secret, long eventId, byte[] body, Target target, long started) {
    URI uri = target.uri();
    InetAddress address = target.address();
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setFollowRedirects(false)
        .setTimeout(timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "Parley-Webhook")
        .putHeader("X-Parley-Event-Id", Long.toString(eventId))
        .putHeader("X-Parley-Timestamp", timestamp)
        .putHeader("X-Parley-Signature", signature(secret, timestamp, body));
    Promise<Outcome> outcome = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, t -> {
      outcome.tryComplete(new Outcome(0, null, "no answer within " + timeoutMs + " ms", elapsed(started)));
      if (sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(options)
        .compose(request -> {
          sent[0] = request;
          return request.send(Buffer.buffer(body));
        })
        .onSuccess(response -> {
          Buffer answer = Buffer.buffer();
          response.handler(chunk -> {
            if (answer.length() + chunk.length() > MAX_ANSWER_BYTES) {
              outcome.tryComplete(new Outcome(response.statusCode(), null, "answer longer than " + MAX_ANSWER_BYTES
                  + " bytes, cut off", elapsed(started)));
              sent[0].reset();
            } else {
              answer.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> outcome.tryComplete(new Outcome(response.statusCode(), answer,
              response.statusCode() >= 200 && response.statusCode() < 300 ? null : "HTTP " + response.statusCode(),
              elapsed(started))));
          response.exceptionHandler(e -> outcome.tryComplete(new Outcome(0, null, String.valueOf(e.getMessage()),
              elapsed(started))));
        })
        .onFailure(e -> outcome.tryComplete(new Outcome(0, null, String.valueOf(e.getMessage()), elapsed(started))));
    return outcome.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static long elapsed(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
