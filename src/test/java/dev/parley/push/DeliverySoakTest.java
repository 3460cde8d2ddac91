package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.DeliveryAudit;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Receiver;
import dev.parley.support.Receiver.Transport;
import dev.parley.support.TestNode;
import dev.parley.support.Traffic;
import dev.parley.support.Traffic.Sender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Steady load on one node, nothing failing: ten senders (six over REST, four over WebSocket) each
 * post into their own group with edits, reactions and recalls mixed in, and twenty receivers (ten
 * WebSocket, ten SSE), each a member of two groups that overlap with other receivers', hold their
 * streams throughout. Every receiver must end with exactly the durable events of its two groups,
 * each once and in id order: tens of thousands of deliveries, none missing.
 */
@Tag("slow")
class DeliverySoakTest extends NodeTestBase {
  private static final int GROUPS = 10;
  private static final int RECEIVERS = 20;
  private static final int MESSAGES_EACH = 700;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @Test
  void everyStreamGetsEveryEventOfItsConversationsOnceAndInOrder(Vertx vertx) {
    List<Account> senders = new ArrayList<>();
    List<Account> receivers = new ArrayList<>();
    for (int i = 0; i < GROUPS; i++) {
      senders.add(api.signUp("sender"));
    }
    for (int i = 0; i < RECEIVERS; i++) {
      receivers.add(api.signUp("receiver"));
    }
    // Receiver r is in groups r and r + 1 (the first ten) or r and r + 2 (the others), so every
    // group has four receivers and every receiver shares each of its groups with others.
    List<List<Account>> members = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      members.add(new ArrayList<>());
    }
    Map<Account, Set<Integer>> groupsOf = new LinkedHashMap<>();
    for (int r = 0; r < RECEIVERS; r++) {
      int first = r % GROUPS;
      int second = (first + (r < GROUPS ? 1 : 2)) % GROUPS;
      members.get(first).add(receivers.get(r));
      members.get(second).add(receivers.get(r));
      groupsOf.put(receivers.get(r), Set.of(first, second));
    }
    List<String> groupIds = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      groupIds.add(api.group(senders.get(g), "soak " + g, members.get(g).toArray(Account[]::new)));
    }
    long cursor = lastEventId(groupIds, senders);

    Traffic traffic = new Traffic(vertx, node::port);
    DeliveryAudit audit = new DeliveryAudit(traffic);
    Map<Receiver, Set<String>> streams = new LinkedHashMap<>();
    try {
      for (int r = 0; r < RECEIVERS; r++) {
        Account account = receivers.get(r);
        Transport transport = r % 2 == 0 ? Transport.WEBSOCKET : Transport.SSE;
        Receiver receiver = Receiver.open(vertx, account, transport, cursor, node::port);
        streams.put(receiver, Set.copyOf(groupsOf.get(account).stream().map(groupIds::get).toList()));
      }
      List<Sender> plan = new ArrayList<>();
      for (int g = 0; g < GROUPS; g++) {
        plan.add(new Sender(senders.get(g), groupIds.get(g), g % 5 >= 3));
      }
      traffic.run(plan, MESSAGES_EACH, 0);

      audit.awaitQuiet(streams, 30_000);
      streams.forEach((receiver, groups) -> audit.check(receiver, groups, api));
      System.out.println("delivery soak: " + audit.summary());
      assertTrue(audit.clean(), audit.summary() + "\n" + audit.report());
      assertTrue(audit.deliveries() >= 20_000, "the soak delivers tens of thousands of events: " + audit.summary());
    } finally {
      streams.keySet().forEach(Receiver::close);
      traffic.close();
    }
  }

  /** The newest event id so far: the newest message of these groups (their "created" lines). */
  private long lastEventId(List<String> groupIds, List<Account> owners) {
    long last = 0;
    for (int g = 0; g < groupIds.size(); g++) {
      JsonArray page = api.get("/api/conversations/" + groupIds.get(g) + "/messages", owners.get(g).token()).json()
          .getJsonArray("messages");
      for (int i = 0; i < page.size(); i++) {
        last = Math.max(last, page.getJsonObject(i).getLong("id"));
      }
    }
    return last;
  }
}
