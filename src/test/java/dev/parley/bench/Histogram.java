package dev.parley.bench;

import java.util.Arrays;

/** Latencies in microseconds, kept whole (a run has at most a few million) and sorted once. */
final class Histogram {
  private long[] values = new long[1 << 16];
  private int size;

  synchronized void record(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  synchronized void clear() {
    size = 0;
  }

  synchronized int count() {
    return size;
  }

  synchronized String summary() {
    if (size == 0) {
      return "no samples";
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
        at(sorted, 0.50) / 1000.0, at(sorted, 0.95) / 1000.0, at(sorted, 0.99) / 1000.0, sorted[size - 1] / 1000.0);
  }

  synchronized double percentileMillis(double q) {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return size == 0 ? 0 : at(sorted, q) / 1000.0;
  }

  private static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
