package dev.parley.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that differs between the two databases the store runs on, and nothing else: every
 * other statement of the store is written once, in the SQL both accept, with JDBC's {@code ?}
 * parameter marks ({@link NumberedParameters} numbers them for PostgreSQL). One implementation
 * per database: {@link SqliteDialect}, {@link PostgresDialect}.
 */
interface Dialect {
  /** How the store's single writer opens a write transaction. */
  String beginWrite();

  /** The larger of two values of a row (SQLite's scalar {@code MAX}, PostgreSQL's {@code GREATEST}). */
  String greatest(String a, String b);

  /** The media row {@code md} as JSON text: id, kind, mime, size, name, width, height, durationMs, thumbnail. */
  String mediaJson();

  /** The distinct values of {@code column} over a group, joined with commas. */
  String commaList(String column);

  /** The column that orders a table's rows as they were inserted (reactions: first come, first shown). */
  String insertionOrder();

  /** {@code messages m} read in event-id order from the cursor on (the resume path). */
  String messagesByEvent();

  /**
   * Inserts many messages with one statement and one parameter: a JSON array of rows, each an
   * array of id, conversation_id, seq, event_id, sender_id, type, text, media_id, reply_to,
   * mentions, client_id, created_at, system, via.
   */
  String insertMessageRows();

  /** Inserts idempotency keys from one parameter: a JSON array of [sender_id, client_id, message_id]. */
  String insertClientKeys();

  /**
   * The FROM clause of a search: the messages {@code m} that match the query given as the first
   * parameter (what {@link #searchQuery} made of the user's words).
   */
  String searchSource();

  /**
   * The user's words as a query the database's full-text engine takes: every word a quoted prefix
   * term, all required, so user text is never parsed as query syntax. Null when there is no word.
   */
  String searchQuery(String words);

  /** The columns every message query selects, in the order {@link WireViews#message} reads them. */
  String messageColumns();

  /** {@link #messageColumns()} with a dialect's {@link #mediaJson()}: built once per dialect. */
  static String messageColumns(String mediaJson) {
    return "m.id, m.conversation_id, m.seq, m.event_id, m.sender_id, m.type, m.text,"
        + " m.media_id, m.reply_to, m.mentions, m.client_id, m.created_at, m.edited_at, m.recalled, m.system, m.reactions, m.via"
        // A message with media carries it whole; a text message skips the lookup.
        + ", CASE WHEN m.media_id IS NULL THEN NULL ELSE (SELECT " + mediaJson
        + " FROM media md WHERE md.id = m.media_id) END AS media_json";
  }

  /** The words of a search: runs of letters and digits. */
  static List<String> words(String q) {
    List<String> words = new ArrayList<>();
    if (q != null) {
      for (String word : q.split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
    }
    return words;
  }

  /** A query answering the database's size in bytes, as {@code size}. */
  String databaseSize();
}
