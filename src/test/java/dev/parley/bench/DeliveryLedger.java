package dev.parley.bench;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a scenario delivered everything: every message the server acknowledged (by its
 * conversation and seq) must reach every connection of every member of that conversation, once.
 * Counted over the whole scenario (warm-up included) and checked after the senders stop and the
 * last events have drained, so a change that makes the server faster by losing or doubling
 * events shows in the benchmark's output instead of in its throughput.
 */
final class DeliveryLedger {
  private final Map<String, BitSet> acked = new ConcurrentHashMap<>();
  private volatile long lastActivity = System.nanoTime();

  /** What one connection received, by conversation and seq. */
  final class Inbox {
    private final Map<String, BitSet> seen = new ConcurrentHashMap<>();
    private long duplicates;

    synchronized void received(String conversationId, long seq) {
      lastActivity = System.nanoTime();
      BitSet seqs = seen.computeIfAbsent(conversationId, c -> new BitSet());
      if (seqs.get((int) seq)) {
        duplicates++;
      } else {
        seqs.set((int) seq);
      }
    }

    private synchronized BitSet seen(String conversationId) {
      BitSet seqs = seen.get(conversationId);
      return seqs == null ? new BitSet() : (BitSet) seqs.clone();
    }

    private synchronized long duplicates() {
      return duplicates;
    }
  }

  Inbox inbox() {
    return new Inbox();
  }

  void acked(String conversationId, long seq) {
    lastActivity = System.nanoTime();
    BitSet seqs = acked.computeIfAbsent(conversationId, c -> new BitSet());
    synchronized (seqs) {
      seqs.set((int) seq);
    }
  }

  /** Waits until nothing has arrived for {@code quietMillis}, at most {@code maxMillis}. */
  void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    while (System.nanoTime() < deadline && System.nanoTime() - lastActivity < quietMillis * 1_000_000) {
      Thread.sleep(50);
    }
  }

  /** "delivery check: …": expected deliveries, missing and duplicate ones; {@code members} by conversation. */
  String report(Map<String, List<Inbox>> members) {
    long expected = 0;
    long missing = 0;
    long duplicates = 0;
    for (Map.Entry<String, List<Inbox>> entry : members.entrySet()) {
      BitSet wanted = acked.getOrDefault(entry.getKey(), new BitSet());
      synchronized (wanted) {
        wanted = (BitSet) wanted.clone();
      }
      for (Inbox inbox : entry.getValue()) {
        BitSet lost = (BitSet) wanted.clone();
        lost.andNot(inbox.seen(entry.getKey()));
        expected += wanted.cardinality();
        missing += lost.cardinality();
      }
    }
    for (List<Inbox> inboxes : members.values()) {
      for (Inbox inbox : inboxes) {
        duplicates += inbox.duplicates();
      }
    }
    return String.format("delivery check: %,d deliveries of acknowledged messages expected, %d missing, %d duplicates%s",
        expected, missing, duplicates, missing + duplicates == 0 ? "" : "  <-- DELIVERY BROKEN");
  }
}
