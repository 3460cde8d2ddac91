package dev.parley.support;

import dev.parley.support.Receiver.Received;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what streams received against what the traffic made: every receiver must hold exactly
 * the durable events of its conversations made after its cursor, each once, in id order. Missing
 * creations are named by message id; lost changes show as a short count.
 */
public final class DeliveryAudit {
  private final Traffic traffic;
  private final List<String> problems = new ArrayList<>();
  private long deliveries;
  private long missing;
  private long duplicates;
  private long outOfOrder;

  public DeliveryAudit(Traffic traffic) {
    this.traffic = traffic;
  }

  /** The number of durable events {@code conversations} had in all during the traffic. */
  public int expectedEvents(Set<String> conversations) {
    int total = 0;
    for (String c : conversations) {
      total += traffic.created(c).size() + traffic.changes(c);
    }
    return total;
  }

  /** Waits (at most {@code millis}) until every receiver holds as many events as it should. */
  public void awaitQuiet(Map<Receiver, Set<String>> receivers, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    for (Map.Entry<Receiver, Set<String>> entry : receivers.entrySet()) {
      int expected = expectedEvents(entry.getValue());
      while (entry.getKey().received().size() < expected && System.currentTimeMillis() < deadline) {
        Receiver.pause(50);
      }
    }
    // Anything sent twice would still be on its way: give it a moment to show.
    Receiver.pause(300);
  }

  /** Audits one receiver that is a member of {@code conversations}. */
  public void check(Receiver receiver, Set<String> conversations) {
    String who = receiver.account.username() + " (" + receiver.transport + ")";
    List<Received> got = receiver.received();
    deliveries += got.size();
    long previous = Long.MIN_VALUE;
    Set<Long> seen = new HashSet<>();
    Map<String, Integer> perConversation = new HashMap<>();
    Set<Long> creations = new HashSet<>();
    for (Received r : got) {
      String c = r.message().getString("conversationId");
      if (!seen.add(r.eventId())) {
        duplicates++;
        problems.add(who + " got event " + r.eventId() + " twice");
        continue;
      }
      if (r.eventId() < previous) {
        outOfOrder++;
        problems.add(who + " got event " + r.eventId() + " after " + previous);
      }
      previous = Math.max(previous, r.eventId());
      if (!conversations.contains(c)) {
        problems.add(who + " got event " + r.eventId() + " of a conversation it is not in: " + c);
        continue;
      }
      perConversation.merge(c, 1, Integer::sum);
      if (r.eventId() == r.message().getLong("id")) {
        creations.add(r.eventId());
      }
    }
    for (String c : conversations) {
      List<Long> lost = new ArrayList<>();
      for (long id : traffic.created(c)) {
        if (!creations.contains(id)) {
          lost.add(id);
        }
      }
      missing += lost.size();
      if (!lost.isEmpty()) {
        problems.add(who + " never got messages " + lost + " of " + c);
      }
      int expected = traffic.created(c).size() + traffic.changes(c);
      int arrived = perConversation.getOrDefault(c, 0);
      if (arrived != expected) {
        missing += Math.max(0, expected - arrived - lost.size());
        problems.add(who + " got " + arrived + " events of " + c + ", expected " + expected);
      }
    }
  }

  public long deliveries() {
    return deliveries;
  }

  public long missing() {
    return missing;
  }

  public long duplicates() {
    return duplicates;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  /** Every problem found, one a line (the first 40), or an empty string. */
  public String report() {
    List<String> shown = problems.size() > 40 ? problems.subList(0, 40) : problems;
    return String.join("\n", shown) + (problems.size() > 40 ? "\n… " + (problems.size() - 40) + " more" : "");
  }

  public boolean clean() {
    return problems.isEmpty();
  }

  public String summary() {
    return deliveries + " deliveries, " + missing + " missing, " + duplicates + " duplicates, " + outOfOrder
        + " out of order";
  }
}
