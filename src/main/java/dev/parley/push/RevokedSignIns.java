package dev.parley.push;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refresh-token families (sign-ins) that ended recently, as this node heard of them
 * ({@code event.sessions.revoked}). An access token of such a sign-in is still a valid JWT until it
 * expires, so it may not open a new stream meanwhile; after one access-token lifetime none can be
 * left and the family is forgotten. Streams open on any event loop of the node, hence synchronized.
 */
final class RevokedSignIns {
  private final long rememberMs;
  private final Map<String, Long> endedAt = new LinkedHashMap<>();

  RevokedSignIns(long rememberMs) {
    this.rememberMs = rememberMs;
  }

  synchronized void add(String familyId) {
    if (familyId != null) {
      forgetOld();
      endedAt.put(familyId, System.currentTimeMillis());
    }
  }

  synchronized boolean contains(String familyId) {
    if (familyId == null) {
      return false;
    }
    forgetOld();
    return endedAt.containsKey(familyId);
  }

  private void forgetOld() {
    long horizon = System.currentTimeMillis() - rememberMs;
    Iterator<Long> oldestFirst = endedAt.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next() < horizon) {
      oldestFirst.remove();
    }
  }
}
