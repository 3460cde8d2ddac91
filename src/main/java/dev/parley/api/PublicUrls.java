package dev.parley.api;

import dev.parley.http.Forwarded;
import io.vertx.core.http.HttpServerRequest;

/**
 * Links the server hands out (share pages, webhook addresses, invitations, password resets):
 * under {@code http.publicUrl} when set, else under what the client addressed, as a trusted proxy
 * forwarded it (scheme, host and the sub-path it serves Parley under).
 */
final class PublicUrls {
  private final String publicUrl;
  private final Forwarded forwarded;

  PublicUrls(String publicUrl, Forwarded forwarded) {
    this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    this.forwarded = forwarded;
  }

  /** The absolute address of {@code path} (which starts with {@code /}) as the client should open it. */
  String of(HttpServerRequest request, String path) {
    if (publicUrl != null) {
      return publicUrl + path;
    }
    return forwarded.proto(request) + "://" + forwarded.host(request) + forwarded.prefix(request) + path;
  }
}
