package dev.parley.shared;

/** The contract's error codes and the HTTP status each one travels with. */
public enum ErrorCode {
  INVALID_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  /** A {@code Range} outside the file (media GETs). */
  RANGE_NOT_SATISFIABLE(416),
  RATE_LIMITED(429),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The snake_case name used on the wire. */
  public String wire() {
    return name().toLowerCase();
  }

  public static ErrorCode fromStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.status == status) {
        return code;
      }
    }
    return status >= 500 ? INTERNAL : INVALID_REQUEST;
  }
}
