package dev.parley.support;

import static org.awaitility.Awaitility.await;

import dev.parley.support.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Checks what streams received against what the traffic made: every receiver must hold the
 * durable events of its conversations made after its cursor, each once, in id order, and end
 * with every message as the history has it. Missing messages are named by id; a lost change
 * shows as a message whose last state differs, or (on a stream never dropped) as a short count.
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
    try {
      await().atMost(Duration.ofMillis(millis)).pollInterval(Duration.ofMillis(50))
          .alias("every receiver holds as many events as it should")
          .until(() -> receivers.entrySet().stream()
              .allMatch(entry -> entry.getKey().received().size() >= expectedEvents(entry.getValue())));
    } catch (ConditionTimeoutException e) {
      // Not a failure of its own: check() then says, per receiver, which events are missing.
    }
    // Anything sent twice would still be on its way: give it a moment to show.
    Receiver.pause(300);
  }

  /**
   * Audits one receiver that is a member of {@code conversations}. A stream that was never
   * dropped must hold every event exactly; a stream that resumed got each message it missed
   * once, as it is now (a replay sends a message at its latest event, not every change on the
   * way), so of it the audit asks that every message is there and ends as the history has it.
   */
  public void check(Receiver receiver, Set<String> conversations, Api api) {
    String who = receiver.account.username() + " (" + receiver.transport + ")";
    boolean resumed = receiver.connections() > 1;
    List<Received> got = receiver.received();
    deliveries += got.size();
    long previous = Long.MIN_VALUE;
    Set<Long> seen = new HashSet<>();
    Map<String, Integer> perConversation = new HashMap<>();
    Set<Long> creations = new HashSet<>();
    Map<Long, JsonObject> lastSeen = new HashMap<>();
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
      lastSeen.put(r.message().getLong("id"), r.message());
      if (r.eventId() == r.message().getLong("id")) {
        creations.add(r.eventId());
      }
    }
    for (String c : conversations) {
      Map<Long, JsonObject> now = history(api, receiver.account.token(), c);
      List<Long> lost = new ArrayList<>();
      List<Long> stale = new ArrayList<>();
      for (long id : traffic.created(c)) {
        JsonObject last = lastSeen.get(id);
        if (last == null || (!resumed && !creations.contains(id))) {
          lost.add(id);
        } else if (!sameState(last, now.get(id))) {
          stale.add(id);
        }
      }
      missing += lost.size() + stale.size();
      if (!lost.isEmpty()) {
        problems.add(who + " never got messages " + lost + " of " + c);
      }
      if (!stale.isEmpty()) {
        problems.add(who + " missed the last change of messages " + stale + " of " + c);
      }
      int expected = traffic.created(c).size() + traffic.changes(c);
      int arrived = perConversation.getOrDefault(c, 0);
      if (!resumed && arrived != expected) {
        missing += Math.max(0, expected - arrived - lost.size() - stale.size());
        problems.add(who + " got " + arrived + " events of " + c + ", expected " + expected);
      }
    }
  }

  /** A message as the stream last showed it and as history shows it now: same text, edit, recall, reactions. */
  private static boolean sameState(JsonObject seen, JsonObject now) {
    if (now == null) {
      return false;
    }
    for (String field : List.of("text", "edited", "recalled", "reactions")) {
      if (!java.util.Objects.equals(seen.getValue(field), now.getValue(field))) {
        return false;
      }
    }
    return true;
  }

  /** Every message of a conversation as history has it now, by id. */
  private static Map<Long, JsonObject> history(Api api, String token, String conversationId) {
    Map<Long, JsonObject> messages = new HashMap<>();
    long after = 0;
    while (true) {
      JsonObject page = api.get("/api/conversations/" + conversationId + "/messages?limit=200&after=" + after, token).json();
      JsonArray list = page.getJsonArray("messages");
      for (int i = 0; i < list.size(); i++) {
        JsonObject m = list.getJsonObject(i);
        messages.put(m.getLong("id"), m);
        after = Math.max(after, m.getLong("seq"));
      }
      if (!page.getBoolean("hasMore") || list.isEmpty()) {
        return messages;
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
