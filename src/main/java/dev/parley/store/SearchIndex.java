package dev.parley.store;

import io.vertx.core.Future;

/**
 * The upkeep of the full-text index after messages commit: new text, edited text, recalls, in
 * event-id order. On SQLite the index is a derived file written beside the message writer
 * ({@link SqliteSearchIndex}); on PostgreSQL a GIN index that the database keeps up to date in
 * the same transaction as the message ({@link #maintainedByDatabase()}), so there is nothing to do.
 */
interface SearchIndex {
  void add(long id, String text);

  void replace(long id, long eventId, String text);

  void remove(long id, long eventId);

  /**
   * Forgets a message that retention deleted. The deletion is no event, so the mark does not move:
   * if this change is lost (a crash, a failed write), the entry stays behind, matching no message
   * (searches join the index with the messages) and harmless, since ids are never used again.
   */
  void delete(long id);

  /** Indexes what was stored before this store started and is not indexed yet. */
  Future<Void> catchUp();

  /** Completes once every change handed in has been written. */
  Future<Void> idle();

  /** The index of a database that maintains it itself: every call does nothing. */
  static SearchIndex maintainedByDatabase() {
    return new SearchIndex() {
      @Override
      public void add(long id, String text) {
      }

      @Override
      public void replace(long id, long eventId, String text) {
      }

      @Override
      public void remove(long id, long eventId) {
      }

      @Override
      public void delete(long id) {
      }

      @Override
      public Future<Void> catchUp() {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> idle() {
        return Future.succeededFuture();
      }
    };
  }
}
