package dev.parley.shared;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contract error as an exception, and its round trip over the event bus: the failure code of
 * a {@link ReplyException} is the HTTP status, its message a small JSON text with the human
 * message and the field at fault. {@link #from(Throwable)} maps anything back to an error the
 * edge can answer with, so no stack trace ever reaches a client.
 */
public final class Failure extends RuntimeException {
  private static final Logger log = LoggerFactory.getLogger(Failure.class);
  private final ErrorCode code;
  private final String field;
  /** Names an unexpected failure in the log line that has its stack trace; null for expected ones. */
  private final String errorId;
  /** For a rate limit: the seconds until the next attempt may pass; else 0. */
  private final long retryAfter;

  public Failure(ErrorCode code, String message) {
    this(code, message, null);
  }

  public Failure(ErrorCode code, String message, String field) {
    this(code, message, field, null);
  }

  private Failure(ErrorCode code, String message, String field, String errorId) {
    this(code, message, field, errorId, 0);
  }

  private Failure(ErrorCode code, String message, String field, String errorId, long retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.errorId = errorId;
    this.retryAfter = retryAfter;
  }

  /** {@code rate_limited}: try again in {@code seconds} (the HTTP {@code Retry-After}, the frames' {@code retryAfter}). */
  public static Failure rateLimited(String what, long seconds) {
    return new Failure(ErrorCode.RATE_LIMITED, "too many " + what + ", try again in " + seconds + " s", null, null, seconds);
  }

  /**
   * Something that should not happen (a bug, a database error): logged here, once, with its stack
   * trace and a short id, counted in {@code parley.errors.unexpected}, and answered as
   * {@code internal_error} carrying the same id, so that a user's report leads to the log line.
   */
  public static Failure unexpected(Throwable cause) {
    String errorId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    log.error("unexpected failure, errorId {}", errorId, cause);
    Counter.builder("parley.errors.unexpected").description("Unexpected failures (bugs, database errors), each logged")
        .register(Meters.registry()).increment();
    return new Failure(ErrorCode.INTERNAL, "internal error", null, errorId);
  }

  public static Failure invalid(String field, String message) {
    return new Failure(ErrorCode.INVALID_REQUEST, message, field);
  }

  public static Failure notFound(String what) {
    return new Failure(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static Failure forbidden(String message) {
    return new Failure(ErrorCode.FORBIDDEN, message);
  }

  public static Failure conflict(String message) {
    return new Failure(ErrorCode.CONFLICT, message);
  }

  public static <T> Future<T> future(ErrorCode code, String message) {
    return Future.failedFuture(new Failure(code, message));
  }

  public ErrorCode code() {
    return code;
  }

  public String field() {
    return field;
  }

  public String errorId() {
    return errorId;
  }

  /** Seconds until a rate-limited request may pass, or 0. */
  public long retryAfter() {
    return retryAfter;
  }

  /** The contract's error body: {@code {"error": {"code", "message", "field"?}}}. */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code.wire()).put("message", getMessage());
    if (field != null) {
      error.put("field", field);
    }
    if (errorId != null) {
      error.put("errorId", errorId);
    }
    if (retryAfter > 0) {
      error.put("retryAfter", retryAfter);
    }
    return new JsonObject().put("error", error);
  }

  /** Fails a bus request with this error (or a 500 for anything unexpected). */
  public static void reply(Message<?> message, Throwable cause) {
    Failure failure = from(cause);
    JsonObject text = new JsonObject().put("message", failure.getMessage());
    if (failure.field != null) {
      text.put("field", failure.field);
    }
    if (failure.errorId != null) {
      text.put("errorId", failure.errorId);
    }
    if (failure.retryAfter > 0) {
      text.put("retryAfter", failure.retryAfter);
    }
    message.fail(failure.code.status(), text.encode());
  }

  /** Maps any failure, local or from a bus reply, to a contract error. */
  public static Failure from(Throwable cause) {
    if (cause instanceof Failure failure) {
      return failure;
    }
    if (cause instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new Failure(ErrorCode.UNAVAILABLE, "the service is unavailable, try again");
      }
      String message = reply.getMessage();
      String field = null;
      String errorId = null;
      long retryAfter = 0;
      if (message != null && message.startsWith("{")) {
        try {
          JsonObject parsed = new JsonObject(message);
          message = parsed.getString("message");
          field = parsed.getString("field");
          errorId = parsed.getString("errorId");
          retryAfter = parsed.getLong("retryAfter", 0L);
        } catch (RuntimeException notJson) {
          // a foreign failure text: keep it as it is
        }
      }
      ErrorCode code = ErrorCode.fromStatus(reply.failureCode());
      if (code == ErrorCode.INTERNAL) {
        message = "internal error";
      }
      // The node that failed has logged it under errorId: the id travels, the log line stays there.
      return new Failure(code, message == null ? code.wire() : message, field, errorId, retryAfter);
    }
    return unexpected(cause);
  }
}
