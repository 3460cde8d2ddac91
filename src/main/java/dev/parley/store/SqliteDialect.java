package dev.parley.store;

import java.util.List;

/** SQLite's SQL for what {@link Dialect} names: JSON functions, FTS5 in the attached search.db. */
final class SqliteDialect implements Dialect {
  private static final String MEDIA_JSON = "json_object('id', md.id, 'kind', md.kind, 'mime', md.mime, 'size', md.size, 'name', md.name,"
      + " 'width', md.width, 'height', md.height, 'durationMs', md.duration_ms, 'thumbnail', md.thumbnail)";
  private static final String MESSAGE_COLUMNS = Dialect.messageColumns(MEDIA_JSON);

  /** {@code BEGIN IMMEDIATE}: the write lock at once, so a batch never fails half-way on a busy file. */
  @Override
  public String beginWrite() {
    return "BEGIN IMMEDIATE";
  }

  @Override
  public String greatest(String a, String b) {
    return "MAX(" + a + ", " + b + ")";
  }

  @Override
  public String mediaJson() {
    return MEDIA_JSON;
  }

  @Override
  public String messageColumns() {
    return MESSAGE_COLUMNS;
  }

  @Override
  public String commaList(String column) {
    return "group_concat(DISTINCT " + column + ")";
  }

  @Override
  public String insertionOrder() {
    return "rowid";
  }

  /** Walks the event index from the cursor (recent events only); the planner must not pick another. */
  @Override
  public String messagesByEvent() {
    return "messages m INDEXED BY messages_event";
  }

  /** One parameter spares the JDBC client's per-parameter work, which cost more than SQLite's insert. */
  @Override
  public String insertMessageRows() {
    return "INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text, media_id, reply_to,"
        + " mentions, client_id, created_at, system, via) SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3,"
        + " value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11,"
        + " value ->> 12, value ->> 13 FROM json_each(?)";
  }

  /** Sorted, so that each sender's keys land on neighbouring pages of keys.db. */
  @Override
  public String insertClientKeys() {
    return "INSERT INTO client_keys (sender_id, client_id, message_id)"
        + " SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) ORDER BY 1, 2";
  }

  /** The contentless FTS5 table of search.db, keyed by message id. */
  @Override
  public String searchSource() {
    return "search.messages_fts(?) f JOIN messages m ON m.id = f.rowid";
  }

  /** {@code "word"*} per word: FTS5 reads a quoted string as text, never as an operator. */
  @Override
  public String searchQuery(String q) {
    List<String> words = Dialect.words(q);
    if (words.isEmpty()) {
      return null;
    }
    StringBuilder match = new StringBuilder();
    for (String word : words) {
      match.append(match.length() == 0 ? "" : " ").append('"').append(word).append("\"*");
    }
    return match.toString();
  }

  @Override
  public String databaseSize() {
    return "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()";
  }
}
