package dev.parley.delivery;

import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Asking the store again while it is unavailable: during a takeover the first tries can reach
 * the store that just died (the bus routes to it until Hazelcast drops it) and fail, and the new
 * store answers a moment later. Any other failure, or the deadline, ends the retries.
 */
final class StoreRetry {
  static final long EVERY_MS = 250;
  /** How long a replay, catch-up or presence sync keeps asking. */
  static final long PATIENCE_NANOS = 30_000_000_000L;

  private StoreRetry() {
  }

  /** {@code request}, asked again every {@value #EVERY_MS} ms while it fails with {@code unavailable}, until {@code deadline} (nanoTime) or {@code givenUp}. */
  static <T> Future<T> whileUnavailable(Vertx vertx, long deadline, BooleanSupplier givenUp, Supplier<Future<T>> request) {
    return request.get().recover(cause -> {
      boolean unavailable = cause instanceof Failure failure && failure.code() == ErrorCode.UNAVAILABLE;
      if (givenUp.getAsBoolean() || !unavailable || System.nanoTime() > deadline) {
        return Future.failedFuture(cause);
      }
      return Future.<Void>future(p -> vertx.setTimer(EVERY_MS, t -> p.complete()))
          .compose(v -> whileUnavailable(vertx, deadline, givenUp, request));
    });
  }
}
