package dev.parley.webpush;

import com.interaso.webpush.WebPush;
import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.EndpointGuard;
import dev.parley.shared.PushCommands;
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
import java.util.Base64;
import java.util.Map;

/**
 * One push request to one device (RFC 8030): the library builds the VAPID header and the
 * payload encrypted to the device's keys (RFC 8291, aes128gcm), the endpoint passes the
 * {@link EndpointGuard}, and Vert.x's client sends it to the address just checked. The answer
 * becomes an {@link Outcome}.
 */
final class PushRequests {
  /** What a request came to, and what to do about it. */
  enum Kind { DELIVERED, EXPIRED, RETRY, REFUSED }

  /** {@code retryAfterMs}: the push service's own wait for a retry, 0 if it gave none. */
  record Outcome(Kind kind, String service, String detail, long retryAfterMs) {
    static Outcome unreachable(Throwable cause) {
      return new Outcome(Kind.RETRY, "push service", String.valueOf(cause.getMessage()), 0);
    }
  }

  /** The most of a push service's answer that is read: its status is what counts. */
  private static final int MAX_ANSWER_BYTES = 8 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final EndpointGuard guard;
  private final ParleyConfig.WebPush settings;

  PushRequests(Vertx vertx, HttpClient client, EndpointGuard guard, ParleyConfig.WebPush settings) {
    this.vertx = vertx;
    this.client = client;
    this.guard = guard;
    this.settings = settings;
  }

  /**
   * The push service's Topic for a conversation: a newer push of the same conversation replaces
   * one still waiting for the device (at most 32 base64url characters, RFC 8030 §5.4).
   */
  static String topic(String conversationId) {
    return Secrets.sha256(conversationId).substring(0, 32); // hex is within base64url's alphabet
  }

  /** A request ready to go: the checked endpoint, the address it resolved to, the VAPID headers and the encrypted body. */
  private record Prepared(URI uri, InetAddress address, Map<String, String> headers, byte[] body) {
  }

  /**
   * Sends. Name resolution and encryption run on a worker thread of their own (unordered), so a
   * slow lookup for one device holds up no other; the exchange as a whole has
   * {@code webPush.requestTimeoutMs}, and at most {@link #MAX_ANSWER_BYTES} of the answer are read.
   */
  Future<Outcome> send(WebPush webPush, PushCommands.Target target, byte[] payload, String topic) {
    String endpoint = target.endpoint();
    return vertx.executeBlocking(() -> {
      URI uri = guard.check(endpoint);
      InetAddress address = guard.resolve(uri);
      byte[] body = webPush.getBody(payload, Base64.getUrlDecoder().decode(target.p256dh()),
          Base64.getUrlDecoder().decode(target.auth()));
      return new Prepared(uri, address, webPush.getHeaders(endpoint, settings.ttlSeconds(), topic, WebPush.Urgency.High), body);
    }, false).transform(ar -> {
      if (ar.succeeded()) {
        return post(endpoint, ar.result());
      }
      Throwable cause = ar.cause();
      // Resolution may work later; an endpoint that no longer passes the guard, or keys that do not decode, will not.
      return Future.succeededFuture(cause instanceof java.net.UnknownHostException
          ? new Outcome(Kind.RETRY, hostOf(endpoint), cause.getMessage(), 0)
          : new Outcome(Kind.REFUSED, hostOf(endpoint), String.valueOf(cause.getMessage()), 0));
    });
  }

  private Future<Outcome> post(String endpoint, Prepared prepared) {
    URI uri = prepared.uri();
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(endpoint)
        .setServer(SocketAddress.inetSocketAddress(port, prepared.address().getHostAddress()))
        .setFollowRedirects(false)
        .setTimeout(settings.requestTimeoutMs());
    prepared.headers().forEach(options::putHeader);
    String service = uri.getHost();
    Promise<Outcome> outcome = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(settings.requestTimeoutMs(), t -> {
      outcome.tryComplete(new Outcome(Kind.RETRY, service, "no answer within " + settings.requestTimeoutMs() + " ms", 0));
      if (sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(options)
        .compose(request -> {
          sent[0] = request;
          return request.send(Buffer.buffer(prepared.body()));
        })
        .onSuccess(response -> {
          Buffer answer = Buffer.buffer();
          response.handler(chunk -> {
            if (answer.length() + chunk.length() > MAX_ANSWER_BYTES) {
              // The status is what counts; a service that keeps talking is cut off.
              outcome.tryComplete(outcome(service, response.statusCode(), response.getHeader("Retry-After"), answer));
              sent[0].reset();
            } else {
              answer.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> outcome.tryComplete(outcome(service, response.statusCode(),
              response.getHeader("Retry-After"), answer)));
          response.exceptionHandler(e -> outcome.tryComplete(Outcome.unreachable(e)));
        })
        .onFailure(e -> outcome.tryComplete(Outcome.unreachable(e)));
    return outcome.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static Outcome outcome(String service, int status, String retryAfter, Buffer text) {
    String detail = status + " " + abbreviated(text.toString());
    if (status >= 200 && status < 300) {
      return new Outcome(Kind.DELIVERED, service, detail, 0);
    }
    if (status == 404 || status == 410) {
      return new Outcome(Kind.EXPIRED, service, detail, 0);
    }
    if (status == 429 || status >= 500) {
      return new Outcome(Kind.RETRY, service, detail, retryAfterMs(retryAfter));
    }
    return new Outcome(Kind.REFUSED, service, detail, 0);
  }

  /** {@code Retry-After} in seconds (the push services' form), as milliseconds; 0 when absent or a date. */
  static long retryAfterMs(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim())) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviated(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }

  private static String hostOf(String endpoint) {
    try {
      return URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      return "an unreadable endpoint";
    }
  }
}
