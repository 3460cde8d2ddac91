package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/** Typed reads of untrusted JSON that fail as {@code invalid_request} naming the field. */
public final class Json {
  private Json() {
  }

  /** The string at {@code key}, or null when absent; a non-string is a 400. */
  public static String string(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw Failure.invalid(key, key + " must be a string");
    }
    return s;
  }

  public static String requiredString(JsonObject body, String key) {
    String value = string(body, key);
    if (value == null || value.isEmpty()) {
      throw Failure.invalid(key, key + " is required");
    }
    return value;
  }

  public static Boolean bool(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw Failure.invalid(key, key + " must be true or false");
    }
    return b;
  }

  /** A whole number ≥ 0 (JSON numbers with a fraction are refused). */
  public static long nonNegativeLong(JsonObject body, String key) {
    Object value = body.getValue(key);
    // Past the long range (a BigInteger from Jackson, or 1e30) longValue() would wrap or saturate.
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() >= 0x1p63
        || n.longValue() < 0) {
      throw Failure.invalid(key, key + " must be a whole number ≥ 0");
    }
    return n.longValue();
  }

  public static long positiveLong(JsonObject body, String key) {
    long value = nonNegativeLong(body, key);
    if (value == 0) {
      throw Failure.invalid(key, key + " must be a whole number ≥ 1");
    }
    return value;
  }

  /** Parses a query-string number; null when absent. */
  public static Long queryLong(String raw, String name) {
    if (raw == null) {
      return null;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw Failure.invalid(name, name + " must be a whole number ≥ 0");
    }
  }

  /** The contract's page size: default 50, 1..200. */
  public static int limit(String raw) {
    if (raw == null) {
      return 50;
    }
    Long value = queryLong(raw, "limit");
    if (value < 1 || value > 200) {
      throw Failure.invalid("limit", "limit must be between 1 and 200");
    }
    return value.intValue();
  }
}
