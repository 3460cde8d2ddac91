package dev.parley.shared;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets (bucket4j) per key: a burst of {@code perMinute} attempts, refilled over a
 * minute (or another period); 0 means no limit. Keys are bounded (least recently used forgotten first) so a flood of
 * distinct keys cannot grow memory. The api's credential limits (shared by its instances, hence
 * synchronized) and the store's limits per user use it.
 */
public final class RateLimits {
  private static final int MAX_KEYS = 10_000;

  private final int perPeriod;
  private final int burst;
  private final Duration period;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_KEYS;
    }
  };

  public RateLimits(int perMinute) {
    this(perMinute, perMinute);
  }

  /** {@code perMinute} refilled evenly, at most {@code burst} at once. */
  public RateLimits(int perMinute, int burst) {
    this(perMinute, burst, Duration.ofMinutes(1));
  }

  /** {@code perPeriod} refilled evenly over {@code period}, at most {@code burst} at once; 0: no limit. */
  public RateLimits(int perPeriod, int burst, Duration period) {
    this.perPeriod = perPeriod;
    this.burst = Math.max(1, burst);
    this.period = period;
  }

  /** Another set of buckets, {@code factor} times as large. */
  public RateLimits times(int factor) {
    return new RateLimits(perPeriod * factor, perPeriod * factor, period);
  }

  /** 0 when allowed, else the seconds to wait. */
  public synchronized long tryTake(String key) {
    if (perPeriod <= 0) {
      return 0;
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perPeriod, period).build())
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
  }
}
