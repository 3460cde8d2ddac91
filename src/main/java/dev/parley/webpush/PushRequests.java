package dev.parley.webpush;

import com.interaso.webpush.WebPush;
import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.EndpointGuard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
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

  private final HttpClient client;
  private final EndpointGuard guard;
  private final ParleyConfig.WebPush settings;

  PushRequests(HttpClient client, EndpointGuard guard, ParleyConfig.WebPush settings) {
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

  /** Sends; blocking steps (resolution, encryption) run on the calling worker thread. */
  Future<Outcome> send(WebPush webPush, JsonObject target, byte[] payload, String topic) {
    String endpoint = target.getString("endpoint");
    URI uri;
    InetAddress address;
    byte[] body;
    Map<String, String> headers;
    try {
      uri = guard.check(endpoint);
      address = guard.resolve(uri);
      body = webPush.getBody(payload, Base64.getUrlDecoder().decode(target.getString("p256dh")),
          Base64.getUrlDecoder().decode(target.getString("auth")));
      headers = webPush.getHeaders(endpoint, settings.ttlSeconds(), topic, WebPush.Urgency.High);
    } catch (java.net.UnknownHostException e) {
      return Future.succeededFuture(new Outcome(Kind.RETRY, hostOf(endpoint), e.getMessage(), 0));
    } catch (RuntimeException e) {
      // A target the store holds was checked when it came in; one that no longer passes is refused, not retried.
      return Future.succeededFuture(new Outcome(Kind.REFUSED, hostOf(endpoint), String.valueOf(e.getMessage()), 0));
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(endpoint)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setFollowRedirects(false)
        .setTimeout(settings.requestTimeoutMs());
    headers.forEach(options::putHeader);
    String service = uri.getHost();
    return client.request(options)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(text -> outcome(service, response.statusCode(),
            response.getHeader("Retry-After"), text)));
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
