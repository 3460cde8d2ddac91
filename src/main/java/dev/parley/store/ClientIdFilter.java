package dev.parley.store;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * A Bloom filter over every (sender, clientId) ever stored. A send whose key the filter has
 * never seen is certainly new, so the write batch skips the duplicate lookup for it; only keys
 * the filter may have seen (retries, and rare false positives) are looked up in the database.
 * Sized at start for twice the stored messages (at least a million), 16 bits and 8 probes per
 * key: about 0.05% false positives at that size, and still correct, only slower, beyond it.
 */
final class ClientIdFilter {
  private static final int PROBES = 8;

  private final BitSet bits;
  private final int size;

  ClientIdFilter(long expected) {
    long wanted = Math.max(1_000_000L, expected * 2) * 16;
    this.size = (int) Math.min(Integer.MAX_VALUE - 8, wanted);
    this.bits = new BitSet(size);
  }

  void add(String senderId, String clientId) {
    long h = hash(senderId, clientId);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (int i = 0; i < PROBES; i++) {
      bits.set(index(h1 + i * h2));
    }
  }

  /** False means certainly never added. */
  boolean mightContain(String senderId, String clientId) {
    long h = hash(senderId, clientId);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (int i = 0; i < PROBES; i++) {
      if (!bits.get(index(h1 + i * h2))) {
        return false;
      }
    }
    return true;
  }

  private int index(int combined) {
    return (combined & Integer.MAX_VALUE) % size;
  }

  /** 64-bit FNV-1a over sender, a separator and clientId, then a final mix. */
  private static long hash(String senderId, String clientId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : senderId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0xff) * 0x100000001b3L;
    for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
