package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Failure;
import dev.parley.shared.RateLimits;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What one user may do per minute ({@code limits.*}): a token bucket per user and kind of action
 * (bucket4j, through {@link RateLimits}). The store counts, because every send, change, typing
 * notice, upload and share of the cluster passes through it, whichever node the user reached, over
 * REST, WebSocket or the bots' bridge. A request past its limit is refused before it is queued
 * with {@code 429 rate_limited} and the seconds to wait.
 */
final class UserLimits {
  /** The kinds of action counted, each with its own bucket per user. */
  enum Kind {
    MESSAGES("messages"), CHANGES("edits, reactions and recalls"), TYPING("typing notices"), UPLOADS("uploads"),
    SHARES("share links and webhooks");

    final String what;

    Kind(String what) {
      this.what = what;
    }
  }

  private final Map<Kind, RateLimits> buckets = new EnumMap<>(Kind.class);

  UserLimits(ParleyConfig.Limits limits) {
    put(Kind.MESSAGES, limits.messagesPerMinute());
    put(Kind.CHANGES, limits.changesPerMinute());
    put(Kind.TYPING, limits.typingPerMinute());
    put(Kind.UPLOADS, limits.uploadsPerMinute());
    put(Kind.SHARES, limits.sharesPerMinute());
  }

  private void put(Kind kind, int perMinute) {
    buckets.put(kind, new RateLimits(perMinute, perMinute / 4));
  }

  /** {@code handler}, refusing with 429 a user ({@code whose} the command is) out of {@code kind}'s budget. */
  <B, R> Function<B, Future<R>> limited(Kind kind, Function<B, String> whose, Function<B, Future<R>> handler) {
    RateLimits limit = buckets.get(kind);
    return cmd -> {
      String userId = whose.apply(cmd);
      long wait = userId == null ? 0 : limit.tryTake(userId);
      return wait > 0 ? Future.failedFuture(Failure.rateLimited(kind.what, wait)) : handler.apply(cmd);
    };
  }
}
