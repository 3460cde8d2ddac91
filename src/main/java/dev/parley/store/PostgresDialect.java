package dev.parley.store;

import java.util.List;

/**
 * PostgreSQL's SQL for what {@link Dialect} names: json functions with explicit casts (PostgreSQL
 * converts no text to numbers by itself), and full-text search on a GIN index of
 * {@code to_tsvector('parley', text)}, the {@code parley} configuration being {@code simple} with
 * accents removed (db/postgresql/V1), like SQLite's {@code unicode61 remove_diacritics}.
 */
final class PostgresDialect implements Dialect {
  private static final String MEDIA_JSON = "json_build_object('id', md.id, 'kind', md.kind, 'mime', md.mime, 'size', md.size, 'name', md.name,"
      + " 'width', md.width, 'height', md.height, 'durationMs', md.duration_ms, 'thumbnail', md.thumbnail)::text";
  private static final String MESSAGE_COLUMNS = Dialect.messageColumns(MEDIA_JSON);

  @Override
  public String beginWrite() {
    return "BEGIN";
  }

  @Override
  public String greatest(String a, String b) {
    return "GREATEST(" + a + ", " + b + ")";
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
    return "string_agg(DISTINCT " + column + ", ',')";
  }

  /** reactions.n, a bigserial: PostgreSQL has no rowid. */
  @Override
  public String insertionOrder() {
    return "n";
  }

  @Override
  public String messagesByEvent() {
    return "messages m";
  }

  @Override
  public String insertMessageRows() {
    return "INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text, media_id, reply_to,"
        + " mentions, client_id, created_at, system, via) SELECT (r ->> 0)::bigint, r ->> 1, (r ->> 2)::bigint,"
        + " (r ->> 3)::bigint, r ->> 4, r ->> 5, r ->> 6, r ->> 7, (r ->> 8)::bigint, r ->> 9, r ->> 10, r ->> 11,"
        + " r ->> 12, r ->> 13 FROM json_array_elements(?::text::json) r";
  }

  /**
   * A key already there is skipped: after a takeover, the store that stepped down may finish a
   * move of keys the new one moves too (the same facts about committed messages).
   */
  @Override
  public String insertClientKeys() {
    return "INSERT INTO client_keys (sender_id, client_id, message_id)"
        + " SELECT r ->> 0, r ->> 1, (r ->> 2)::bigint FROM json_array_elements(?::text::json) r ORDER BY 1, 2"
        + " ON CONFLICT DO NOTHING";
  }

  /** The GIN index on the expression answers {@code @@} against the one-row query. */
  @Override
  public String searchSource() {
    return "to_tsquery('parley', ?) q JOIN messages m ON to_tsvector('parley', COALESCE(m.text, '')) @@ q";
  }

  /** {@code 'word':*} per word joined by {@code &}: a quoted lexeme is never an operator. */
  @Override
  public String searchQuery(String q) {
    List<String> words = Dialect.words(q);
    if (words.isEmpty()) {
      return null;
    }
    StringBuilder query = new StringBuilder();
    for (String word : words) {
      query.append(query.length() == 0 ? "" : " & ").append('\'').append(word).append("':*");
    }
    return query.toString();
  }

  @Override
  public String databaseSize() {
    return "SELECT pg_database_size(current_database()) AS size";
  }
}
