package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.PushCommands;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of a stored message through Web Push, decided where everything it needs is in
 * memory: the members' notification levels and mutes ({@link StoreState}), their live connections
 * ({@link Presence}) and their devices ({@link PushSubscriptions}).
 *
 * <p>A member who would be notified (never the sender, never of a muted conversation, in a group
 * by their level) is pushed at once when they have no live connection anywhere. A member who is
 * connected somewhere is pushed only if the message is still unread {@code unreadDelayMs} later:
 * the open tab has told them, and their phone hears of it only if they did not look.
 *
 * <p>Each message goes to {@link Address#WEB_PUSH_DELIVER} once, as a point-to-point send: one
 * sender among all nodes' senders handles it, so a message is pushed once, not once per node.
 */
final class PushAlerts {
  private static final Logger log = LoggerFactory.getLogger(PushAlerts.class);
  /** Messages waiting for their unread check, at most: beyond it a burst is pushed to offline members only. */
  private static final int MAX_WAITING = 50_000;
  private static final int PREVIEW_CODE_POINTS = 140;

  /** A member connected somewhere, to be pushed at {@code due} unless they have read {@code seq} by then. */
  private record Waiting(long due, String conversationId, long seq, String userId, boolean mentioned, JsonObject notification) {
  }

  private final Vertx vertx;
  private final StoreState state;
  private final Presence presence;
  private final PushSubscriptions subscriptions;
  private final long unreadDelayMs;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private long timer = -1;

  PushAlerts(Vertx vertx, StoreState state, Presence presence, PushSubscriptions subscriptions, long unreadDelayMs) {
    this.vertx = vertx;
    this.state = state;
    this.presence = presence;
    this.subscriptions = subscriptions;
    this.unreadDelayMs = unreadDelayMs;
  }

  /** A message was committed: push it to the members who want to hear of it and are not here to see it. */
  void stored(StoreState.Conversation c, JsonObject message) {
    if ("system".equals(message.getString("type"))) {
      return;
    }
    String senderId = message.getString("senderId");
    JsonArray mentions = message.getJsonArray("mentions", new JsonArray());
    JsonObject notification = null;
    List<String> now = new ArrayList<>();
    for (String memberId : c.roles.keySet()) {
      if (memberId.equals(senderId) || subscriptions.of(memberId).isEmpty() || disabled(memberId)) {
        continue;
      }
      boolean mentioned = mentions.contains(memberId);
      if (!c.notifies(memberId, mentioned)) {
        continue;
      }
      if (notification == null) {
        notification = notification(c, message);
      }
      if (presence.reportersOf(memberId).isEmpty()) {
        now.add(memberId);
      } else if (unreadDelayMs > 0 && waiting.size() < MAX_WAITING) {
        waiting.add(new Waiting(System.currentTimeMillis() + unreadDelayMs, c.id, message.getLong("seq"), memberId,
            mentioned, notification));
        checkLater();
      }
    }
    if (!now.isEmpty()) {
      deliver(notification, now);
    }
  }

  /** Stops the unread checks (the store is stopping or stepping down). */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    waiting.clear();
  }

  private void checkLater() {
    if (timer < 0) {
      timer = vertx.setPeriodic(Math.min(1_000, unreadDelayMs), t -> checkUnread());
    }
  }

  /** An admin disabled the account: its devices hear nothing (they are forgotten too, see Administration). */
  private boolean disabled(String userId) {
    StoreState.User user = state.users.get(userId);
    return user == null || user.disabled();
  }

  /** Pushes the waiting messages whose time has come and that their member has still not read. */
  private void checkUnread() {
    long now = System.currentTimeMillis();
    Map<JsonObject, List<String>> due = new IdentityHashMap<>();
    while (!waiting.isEmpty() && waiting.peek().due() <= now) {
      Waiting w = waiting.poll();
      StoreState.Conversation c = state.membership(w.conversationId(), w.userId());
      StoreState.Pointers pointers = c == null ? null : c.pointers.get(w.userId());
      if (pointers != null && pointers.read < w.seq() && c.notifies(w.userId(), w.mentioned())
          && !subscriptions.of(w.userId()).isEmpty() && !disabled(w.userId())) {
        due.computeIfAbsent(w.notification(), k -> new ArrayList<>()).add(w.userId());
      }
    }
    due.forEach(this::deliver);
    if (waiting.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void deliver(JsonObject notification, List<String> userIds) {
    List<PushCommands.Target> targets = new ArrayList<>();
    for (String userId : userIds) {
      subscriptions.of(userId).forEach(s -> targets.add(s.target()));
    }
    if (targets.isEmpty()) {
      return;
    }
    log.debug("web push of message {} to {} device(s)", notification.getString("messageId"), targets.size());
    Bus.publish(vertx, Address.WEB_PUSH_DELIVER, new PushCommands.Deliver(notification, targets));
  }

  /**
   * What the device shows, decided here once for every recipient: who wrote where, and the text
   * (or what the message carries: a picture, a voice message, a file), as the open tab would.
   */
  private JsonObject notification(StoreState.Conversation c, JsonObject message) {
    StoreState.User sender = state.users.get(message.getString("senderId"));
    String name = sender == null ? "Someone" : sender.displayName != null && !sender.displayName.isBlank()
        ? sender.displayName : sender.username;
    return new JsonObject()
        .put("type", "message")
        .put("conversationId", c.id)
        .put("messageId", message.getLong("id"))
        .put("seq", message.getLong("seq"))
        .put("senderId", message.getString("senderId"))
        .put("title", c.isGroup() ? name + " in " + c.title : name)
        .put("body", preview(message));
  }

  static String preview(JsonObject message) {
    return switch (message.getString("type")) {
      case "image" -> "sent a picture";
      case "voice" -> "sent a voice message";
      case "file" -> {
        JsonObject media = message.getJsonObject("media");
        String name = media == null ? null : media.getString("name");
        yield name == null ? "sent a file" : "sent a file: " + name;
      }
      default -> {
        String text = String.join(" ", message.getString("text", "").strip().split("\\s+"));
        yield text.codePointCount(0, text.length()) > PREVIEW_CODE_POINTS
            ? text.substring(0, text.offsetByCodePoints(0, PREVIEW_CODE_POINTS - 1)) + "…" : text;
      }
    };
  }
}
