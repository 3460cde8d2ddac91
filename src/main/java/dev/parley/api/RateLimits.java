package dev.parley.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets (bucket4j) per key, for credential endpoints: a burst of {@code perMinute}
 * attempts, refilled over a minute. Keys are bounded (least recently used forgotten first) so a
 * flood of distinct keys cannot grow memory. Shared by the api instances, hence synchronized.
 */
final class RateLimits {
  private static final int MAX_KEYS = 10_000;

  private final int perMinute;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_KEYS;
    }
  };

  RateLimits(int perMinute) {
    this.perMinute = perMinute;
  }

  /** Another set of buckets, {@code factor} times as large. */
  RateLimits times(int factor) {
    return new RateLimits(perMinute * factor);
  }

  /** 0 when allowed, else the seconds to wait. */
  synchronized long tryTake(String key) {
    if (perMinute <= 0) {
      return 0;
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
  }
}
