package dev.parley.api;

import java.nio.charset.StandardCharsets;

/** The small parts of HTTP that serving a file needs (RFC 9110): byte ranges, validators, names. */
final class ByteRanges {
  /** {@link #parse}'s answer for a range that lies outside the file (416). */
  static final long[] UNSATISFIABLE = new long[0];

  private ByteRanges() {
  }

  /**
   * The one range {@code header} asks for, as inclusive {@code [first, last]}, or null for the
   * whole file: no header, a syntax or unit we do not serve (several ranges included), or an
   * {@code If-Range} that names another version. {@link #UNSATISFIABLE} when it misses the file.
   */
  static long[] parse(String header, String ifRange, String etag, long size) {
    if (header == null || (ifRange != null && !ifRange.trim().equals(etag))) {
      return null;
    }
    String spec = header.trim();
    if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
      return null;
    }
    spec = spec.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (!digits(first) || !digits(last)) {
        return null; // Long.parseLong would take "-5", "+5" and other scripts' digits
      }
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          return UNSATISFIABLE;
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (from < 0 || to < from) {
        return null;
      }
      if (from >= size) {
        return UNSATISFIABLE;
      }
      return new long[] {from, Math.min(to, size - 1)};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** ASCII digits only (or nothing): RFC 9110's {@code 1*DIGIT}, with the empty side of an open or suffix range. */
  private static boolean digits(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** Whether an {@code If-None-Match} header names {@code etag} (or is {@code *}). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code Content-Disposition}: files download ({@code attachment}), images and voice show
   * ({@code inline}); the name as plain ASCII and, exactly, in RFC 8187 form.
   */
  static String disposition(boolean attachment, String name) {
    StringBuilder ascii = new StringBuilder();
    StringBuilder encoded = new StringBuilder();
    name.codePoints().forEach(c -> ascii.append(c < 0x7F && (Character.isLetterOrDigit(c) || " ._-()".indexOf(c) >= 0)
        ? (char) c : '_'));
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+.^_`|~-".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return (attachment ? "attachment" : "inline") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}
