package dev.parley.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;

/**
 * The origin check of the socket endpoints ({@code /api/ws}, {@code /eventbus}) against
 * cross-site WebSocket hijacking. Browsers send {@code Origin} with every WebSocket and
 * cross-origin request: only the page's own origin and the configured ones may open a socket.
 * Clients that are not browsers (bots, curl) send no Origin and are let through; they
 * authenticate with their token like everyone.
 */
public final class Origins {
  private Origins() {
  }

  /** {@code forwarded}: the host a trusted proxy says the client addressed counts as the page's own. */
  public static boolean allowed(HttpServerRequest request, List<String> allowedOrigins, Forwarded forwarded) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return true;
    }
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      String host = request.getHeader(HttpHeaders.HOST);
      String forwardedHost = forwarded.host(request);
      String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority.equalsIgnoreCase(host) || authority.equalsIgnoreCase(forwardedHost);
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }
}
