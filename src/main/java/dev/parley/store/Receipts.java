package dev.parley.store;

import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivery and read pointers, and the receipts view. Receipts are the most frequent write there
 * is (every receiver acknowledges every message), so they are a bulk job of the write queue:
 * all receipts waiting for the next group commit are applied together, several from the same
 * member collapse into one, and the rows that really move are written with one batched
 * {@code UPDATE}. The decision uses the pointers in {@link StoreState}, so a receipt that moves
 * nothing (a repeat, a seq behind the pointer) costs no write and no event.
 *
 * <p>Pointers only move forward and are clamped to the conversation's last seq; read implies
 * delivered. The events are coalesced: committed moves wait up to {@code store.receiptsCoalesceMs}
 * and then, per member and conversation, at most one {@code read} and one {@code delivered}
 * event go out (ephemeral: no event id) with the latest pointers. Every member hears of every
 * other member's receipts, so without this a group of n members would carry n² events per
 * message; with it, a member who acknowledges many messages in a window costs one event per
 * other member ({@code docs/performance.md}, receipts-heavy mix). The events go:
 * <ul>
 *   <li>{@code read} to every member, the reader's own connections included (another tab clears
 *   its badge); for a reader who turned read receipts off, to the reader's own connections only;</li>
 *   <li>{@code delivered} to the other members, unless a {@code read} that already says as much
 *   went to them.</li>
 * </ul>
 */
final class Receipts {
  private static final String UPDATE = "UPDATE members SET delivered_seq = ?, last_read_seq = ?"
      + " WHERE conversation_id = ? AND user_id = ?";

  /**
   * A member's committed pointers, and where they stood when last announced. It names the
   * conversation by id: a state reload before it goes out replaces the conversation's object.
   */
  private static final class Announcement {
    final String conversationId;
    final String userId;
    final long deliveredBefore;
    final long readBefore;
    long delivered;
    long read;

    Announcement(Move m) {
      this.conversationId = m.c.id;
      this.userId = m.userId;
      this.deliveredBefore = m.deliveredBefore;
      this.readBefore = m.readBefore;
      this.delivered = m.now.delivered;
      this.read = m.now.read;
    }

    /** This one, moved on to where a later announcement of the same member stands. */
    Announcement then(Announcement later) {
      delivered = later.delivered;
      read = later.read;
      return this;
    }
  }

  /** A pointer as it waits for the next batch: a read moves the delivery pointer too. */
  private record Report(ConversationCommands.Pointer pointer, boolean read) {
  }

  /** One member's pointers before and after a batch of receipts. */
  private static final class Move {
    final StoreState.Conversation c;
    final String userId;
    final StoreState.Pointers now;
    final long deliveredBefore;
    final long readBefore;

    Move(StoreState.Conversation c, String userId, StoreState.Pointers now) {
      this.c = c;
      this.userId = userId;
      this.now = now;
      this.deliveredBefore = now.delivered;
      this.readBefore = now.read;
    }

    boolean moved() {
      return now.delivered != deliveredBefore || now.read != readBefore;
    }
  }

  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  private final Fanout fanout;
  private final Vertx vertx;
  private final long coalesceMs;
  private final WriteQueue.Bulk<Report, ConversationCommands.PointerReply> move = this::moveAll;
  /** Committed moves not announced yet, by conversation and member, in commit order. */
  private Map<String, Announcement> pending = new LinkedHashMap<>();

  Receipts(StoreState state, WriteQueue writes, Pool reader, Fanout fanout, Vertx vertx, long coalesceMs) {
    this.state = state;
    this.writes = writes;
    this.reader = reader;
    this.fanout = fanout;
    this.vertx = vertx;
    this.coalesceMs = coalesceMs;
  }

  /** {@code store.conversation.delivered}. */
  Future<ConversationCommands.PointerReply> delivered(ConversationCommands.Pointer cmd) {
    return writes.submit(move, new Report(cmd, false));
  }

  /** {@code store.conversation.read}: moves the delivery pointer too. */
  Future<ConversationCommands.PointerReply> read(ConversationCommands.Pointer cmd) {
    return writes.submit(move, new Report(cmd, true));
  }

  private Future<List<AsyncResult<ConversationCommands.PointerReply>>> moveAll(WriteQueue.Tx tx, List<Report> reports) {
    List<AsyncResult<ConversationCommands.PointerReply>> outcomes = new ArrayList<>(reports.size());
    Map<String, Move> moves = new LinkedHashMap<>();
    for (Report report : reports) {
      String userId = report.pointer().userId();
      StoreState.Conversation c = state.membership(report.pointer().conversationId(), userId);
      if (c == null) {
        outcomes.add(Future.failedFuture(Failure.notFound("conversation")));
        continue;
      }
      long seq = Math.min(report.pointer().seq(), c.lastSeq);
      Move m = moves.computeIfAbsent(c.id + '\u0000' + userId, k -> new Move(c, userId, c.pointers.get(userId)));
      if (report.read()) {
        m.now.read = Math.max(m.now.read, seq);
      }
      m.now.delivered = Math.max(m.now.delivered, Math.max(seq, m.now.read));
      outcomes.add(Future.succeededFuture(new ConversationCommands.PointerReply(seq)));
    }
    List<Tuple> rows = new ArrayList<>();
    List<Move> moved = new ArrayList<>();
    for (Move m : moves.values()) {
      if (m.moved()) {
        moved.add(m);
        rows.add(Tuple.of(m.now.delivered, m.now.read, m.c.id, m.userId));
      }
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    // The pointers as this batch leaves them: the next batch may move them again before these
    // announcements run, and what it moves is not committed yet.
    List<Announcement> announcements = moved.stream().map(Announcement::new).toList();
    tx.afterCommit(() -> announcements.forEach(this::committed));
    return tx.conn.preparedQuery(UPDATE).executeBatch(rows).map(v -> outcomes);
  }

  private void committed(Announcement a) {
    if (coalesceMs <= 0) {
      announce(a);
      return;
    }
    if (pending.isEmpty()) {
      vertx.setTimer(coalesceMs, id -> flush());
    }
    pending.merge(a.conversationId + '\u0000' + a.userId, a, Announcement::then);
  }

  private void flush() {
    Map<String, Announcement> due = pending;
    pending = new LinkedHashMap<>();
    due.values().forEach(this::announce);
  }

  private void announce(Announcement m) {
    StoreState.Conversation c = state.conversations.get(m.conversationId);
    if (c == null) {
      return;
    }
    List<String> others = new ArrayList<>(c.roles.size());
    for (String memberId : state.memberIds(c)) {
      if (!memberId.equals(m.userId)) {
        others.add(memberId);
      }
    }
    StoreState.User user = state.users.get(m.userId);
    boolean readShown = user != null && user.readReceipts;
    boolean readMoved = m.read > m.readBefore;
    if (readMoved) {
      JsonObject read = Frames.ephemeral(Frames.READ, pointer(m, m.read));
      if (readShown) {
        List<String> everyone = new ArrayList<>(others);
        everyone.add(m.userId);
        fanout.toUsers(everyone, read);
      } else {
        fanout.toUser(m.userId, read);
      }
    }
    boolean saidByRead = readMoved && readShown && m.read >= m.delivered;
    if (m.delivered > m.deliveredBefore && !saidByRead && !others.isEmpty()) {
      fanout.toUsers(others, Frames.ephemeral(Frames.DELIVERED, pointer(m, m.delivered)));
    }
  }

  private static JsonObject pointer(Announcement m, long seq) {
    return new JsonObject().put("conversationId", m.conversationId).put("userId", m.userId).put("seq", seq);
  }

  /**
   * {@code store.conversation.receipts}: every member's pointers, in join order, as committed.
   * The read position of a member who turned read receipts off is left out (the caller always
   * sees their own).
   */
  Future<ConversationCommands.ReceiptsReply> receipts(ConversationCommands.Scoped cmd) {
    String userId = cmd.userId();
    StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    return reader.preparedQuery("SELECT user_id, delivered_seq, last_read_seq FROM members WHERE conversation_id = ?"
            + " ORDER BY joined_seq, joined_at")
        .execute(Tuple.of(c.id))
        .map(rows -> {
          JsonArray receipts = new JsonArray();
          for (Row row : rows) {
            String memberId = row.getString("user_id");
            JsonObject receipt = new JsonObject().put("userId", memberId).put("deliveredSeq", row.getLong("delivered_seq"));
            StoreState.User member = state.users.get(memberId);
            if (memberId.equals(userId) || (member != null && member.readReceipts)) {
              receipt.put("readSeq", row.getLong("last_read_seq"));
            }
            receipts.add(receipt);
          }
          return new ConversationCommands.ReceiptsReply(receipts);
        });
  }
}
