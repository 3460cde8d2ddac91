package dev.parley.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who is online, cluster-wide: a user is online while at least one node reports at least one
 * connection of theirs. Push nodes report per node (first connection opened, last one closed),
 * so a user connected to two nodes stays online until both connections are gone. The same
 * reports are the routes of {@link Fanout}: a user's events go to the reporters listed here.
 */
final class Presence {
  private final Map<String, Set<String>> nodesOfUser = new HashMap<>();

  /** Records a node's report; true when the user's overall online state changed. */
  boolean update(String userId, String nodeId, boolean online) {
    boolean wasOnline = isOnline(userId);
    if (online) {
      nodesOfUser.computeIfAbsent(userId, k -> new HashSet<>()).add(nodeId);
    } else {
      Set<String> nodes = nodesOfUser.get(userId);
      if (nodes != null) {
        nodes.remove(nodeId);
        if (nodes.isEmpty()) {
          nodesOfUser.remove(userId);
        }
      }
    }
    return wasOnline != isOnline(userId);
  }

  /** Forgets a node (it left the cluster); returns the users who went offline with it. */
  Set<String> forgetNode(String nodeId) {
    Set<String> offline = new HashSet<>();
    nodesOfUser.entrySet().removeIf(entry -> {
      entry.getValue().remove(nodeId);
      if (entry.getValue().isEmpty()) {
        offline.add(entry.getKey());
        return true;
      }
      return false;
    });
    return offline;
  }

  /**
   * Forgets a cluster member: every reporter on it, the member id itself (push) and
   * {@code <member id>/<role>} (the bridge). Returns the users who went offline with it.
   */
  Set<String> forgetMember(String memberId) {
    Set<String> offline = new HashSet<>();
    nodesOfUser.entrySet().removeIf(entry -> {
      entry.getValue().removeIf(node -> node.equals(memberId) || node.startsWith(memberId + "/"));
      if (entry.getValue().isEmpty()) {
        offline.add(entry.getKey());
        return true;
      }
      return false;
    });
    return offline;
  }

  /**
   * Replaces everything known about a node with {@code userIds} (its report after the store
   * restarted); returns each user whose online state changed, with the new state.
   */
  Map<String, Boolean> sync(String nodeId, Set<String> userIds) {
    Map<String, Boolean> changed = new HashMap<>();
    for (String userId : forgetNode(nodeId)) {
      changed.put(userId, false);
    }
    for (String userId : userIds) {
      if (update(userId, nodeId, true)) {
        // Offline a moment ago because the node was forgotten, online again: no change at all.
        changed.merge(userId, true, (was, now) -> null);
      }
    }
    return changed;
  }

  /** The reporters (push or bridge verticles) holding a connection of the user: where its events go. */
  Set<String> reportersOf(String userId) {
    Set<String> nodes = nodesOfUser.get(userId);
    return nodes == null ? Set.of() : nodes;
  }

  boolean isOnline(String userId) {
    return nodesOfUser.containsKey(userId);
  }
}
