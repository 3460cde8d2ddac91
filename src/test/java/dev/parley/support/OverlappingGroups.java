package dev.parley.support;

import dev.parley.support.Api.Account;
import dev.parley.support.Receiver.Transport;
import dev.parley.support.Traffic.Sender;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The cast of the delivery scenarios under disruption: one sender per group, and receivers who
 * are each in two of the groups (overlapping, so one stream carries several conversations) with
 * one stream each, WebSocket and SSE in turn, opened from the groups' first message on. Closing
 * it closes the streams.
 */
public final class OverlappingGroups implements AutoCloseable {
  public final List<Account> senders = new ArrayList<>();
  public final List<String> groupIds = new ArrayList<>();
  /** Each receiver's stream and the conversations it must carry. */
  public final Map<Receiver, Set<String>> streams = new LinkedHashMap<>();

  private OverlappingGroups() {
  }

  /** Signs everyone up, makes the groups, sends one message to each, then opens the streams on {@code pushPort}. */
  public static OverlappingGroups create(Vertx vertx, Api api, int groups, int receivers, String title, IntSupplier pushPort) {
    OverlappingGroups cast = new OverlappingGroups();
    List<List<Account>> members = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      cast.senders.add(api.signUp("sender"));
      members.add(new ArrayList<>());
    }
    Map<Account, Set<Integer>> groupsOf = new LinkedHashMap<>();
    for (int r = 0; r < receivers; r++) {
      Account receiver = api.signUp("receiver");
      int first = r % groups;
      int second = (first + 1 + r / groups) % groups;
      members.get(first).add(receiver);
      members.get(second).add(receiver);
      groupsOf.put(receiver, Set.of(first, second));
    }
    long cursor = 0;
    for (int g = 0; g < groups; g++) {
      cast.groupIds.add(api.group(cast.senders.get(g), title + " " + g, members.get(g).toArray(Account[]::new)));
      cursor = Math.max(cursor, api.send(cast.senders.get(g), cast.groupIds.get(g), "before the load").getLong("id"));
    }
    try {
      int r = 0;
      for (Map.Entry<Account, Set<Integer>> entry : groupsOf.entrySet()) {
        Transport transport = r++ % 2 == 0 ? Transport.WEBSOCKET : Transport.SSE;
        cast.streams.put(Receiver.open(vertx, entry.getKey(), transport, cursor, pushPort),
            Set.copyOf(entry.getValue().stream().map(cast.groupIds::get).toList()));
      }
    } catch (RuntimeException | Error e) {
      cast.close();
      throw e;
    }
    return cast;
  }

  /** Every sender into its own group. */
  public List<Sender> plan() {
    List<Sender> plan = new ArrayList<>();
    for (int g = 0; g < senders.size(); g++) {
      plan.add(new Sender(senders.get(g), groupIds.get(g), false));
    }
    return plan;
  }

  /** Connections opened beyond the first of each stream. */
  public int reconnects() {
    return streams.keySet().stream().mapToInt(Receiver::connections).sum() - streams.size();
  }

  @Override
  public void close() {
    streams.keySet().forEach(Receiver::close);
  }
}
