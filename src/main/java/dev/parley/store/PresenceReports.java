package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.Frames;
import dev.parley.shared.MessageCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns the push nodes' reports into {@code presence} events: one node's first connection or
 * last disconnection of a user ({@code store.presence.update}), a node's full list after the
 * store restarted ({@code store.presence.sync}), and a node that left the cluster.
 */
final class PresenceReports {
  private final Presence presence;
  private final StoreState state;
  private final Users users;
  private final Fanout fanout;

  PresenceReports(Presence presence, StoreState state, Users users, Fanout fanout) {
    this.presence = presence;
    this.state = state;
    this.users = users;
    this.fanout = fanout;
  }

  Future<BusBody.Empty> update(MessageCommands.PresenceReport report) {
    String userId = report.userId();
    boolean online = report.online();
    if (userId == null || !presence.update(userId, report.nodeId(), online)) {
      return Future.succeededFuture(BusBody.Empty.INSTANCE);
    }
    return announce(userId, online).map(BusBody.Empty.INSTANCE);
  }

  Future<BusBody.Empty> sync(MessageCommands.PresenceSync report) {
    Set<String> userIds = new HashSet<>(report.userIds());
    return announceAll(presence.sync(report.nodeId(), userIds)).map(BusBody.Empty.INSTANCE);
  }

  /** A cluster member is gone: so are the connections it held. */
  Future<Void> memberLeft(String memberId) {
    Map<String, Boolean> changed = new HashMap<>();
    presence.forgetMember(memberId).forEach(userId -> changed.put(userId, false));
    return announceAll(changed);
  }

  private Future<Void> announceAll(Map<String, Boolean> changed) {
    return Future.all(changed.entrySet().stream().map(e -> announce(e.getKey(), e.getValue())).toList()).mapEmpty();
  }

  private Future<Void> announce(String userId, boolean online) {
    if (!state.users.containsKey(userId)) {
      return Future.succeededFuture();
    }
    fanout.toUsers(state.contacts(userId), Frames.ephemeral(Frames.PRESENCE,
        new JsonObject().put("userId", userId).put("online", online)));
    return online ? Future.succeededFuture() : users.seen(userId);
  }
}
