package dev.parley.api;

import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.MediaCommands;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * What part of a conversation an export holds: by seq ({@code fromSeq..toSeq}, both included), by
 * time ({@code from ≤ createdAt < to}, ISO-8601 instants with an offset), both (what both allow), or
 * neither (all of it). Read from a query string or a JSON body; anything that is not one of these
 * is a 400 naming the field.
 */
record ExportRange(Long fromSeq, Long toSeq, Instant from, Instant to) {
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  static ExportRange query(HttpServerRequest request) {
    return checked(seq(request.getParam("fromSeq"), "fromSeq"), seq(request.getParam("toSeq"), "toSeq"),
        instant(request.getParam("from"), "from"), instant(request.getParam("to"), "to"));
  }

  static ExportRange body(JsonObject body) {
    return checked(body.getValue("fromSeq") == null ? null : Json.positiveLong(body, "fromSeq"),
        body.getValue("toSeq") == null ? null : Json.positiveLong(body, "toSeq"),
        instant(Json.string(body, "from"), "from"), instant(Json.string(body, "to"), "to"));
  }

  private static ExportRange checked(Long fromSeq, Long toSeq, Instant from, Instant to) {
    if (fromSeq != null && toSeq != null && toSeq < fromSeq) {
      throw Failure.invalid("toSeq", "toSeq must not be smaller than fromSeq");
    }
    if (from != null && to != null && !to.isAfter(from)) {
      throw Failure.invalid("to", "to must be later than from");
    }
    return new ExportRange(fromSeq, toSeq, from, to);
  }

  /** The range as the store's export commands take it (instants as {@link Instant#toString}). */
  MediaCommands.Range onTheBus() {
    return new MediaCommands.Range(fromSeq, toSeq, from == null ? null : from.toString(), to == null ? null : to.toString());
  }

  private static Long seq(String raw, String name) {
    Long value = Json.queryLong(raw, name);
    if (value != null && value < 1) {
      throw Failure.invalid(name, name + " must be a whole number ≥ 1");
    }
    return value;
  }

  private static Instant instant(String raw, String name) {
    if (raw == null) {
      return null;
    }
    Instant instant;
    try {
      // A "+" of the offset that was not percent-encoded arrives as a space.
      instant = OffsetDateTime.parse(raw.trim().replace(' ', '+')).toInstant();
    } catch (DateTimeException e) {
      throw Failure.invalid(name, name + " must be an ISO-8601 time with an offset, such as 2026-12-01T00:00:00Z");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw Failure.invalid(name, name + " must be between 1970 and 9999");
    }
    return instant;
  }
}
