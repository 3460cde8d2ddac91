package dev.parley.store;

import dev.parley.config.ParleyConfig;
import io.vertx.core.json.JsonObject;

/**
 * How long a conversation keeps its messages: its own setting ({@code retention_days}, changed
 * with {@code store.conversation.retention}) or, without one, the server's
 * {@code retention.defaultDays}. 0 days is forever. {@link RetentionSweep} deletes what has expired.
 */
final class Retention {
  static final long DAY_MS = 86_400_000L;

  private final int defaultDays;

  Retention(ParleyConfig.Retention config) {
    this.defaultDays = config.defaultDays();
  }

  /** The conversation's retention in days as it applies now; 0 keeps everything. */
  int days(StoreState.Conversation c) {
    return c.retentionDays != null ? c.retentionDays : defaultDays;
  }

  /**
   * Who may change a conversation's retention: a group's owner or admins, either member of a direct
   * conversation. The one place that decides it. (Server admins set the server's default,
   * {@code retention.defaultDays}; in a group they have the rights their role there gives them.)
   */
  static boolean maySet(StoreState.Conversation c, String userId) {
    if (!c.isGroup()) {
      return c.roles.containsKey(userId);
    }
    String role = c.roles.get(userId);
    return "owner".equals(role) || "admin".equals(role);
  }

  /** Adds the contract's {@code retentionDays} (in effect, 0: forever) and {@code retentionDefault} to a conversation view. */
  JsonObject describe(StoreState.Conversation c, JsonObject view) {
    return view.put("retentionDays", days(c)).put("retentionDefault", c.retentionDays == null);
  }
}
