package dev.parley.api;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export as a ZIP, written into the response while it is read from the store:
 *
 * <pre>
 *   messages.json   {format, conversation, exportedAt, exportedBy, range, messages: [...], users, truncated}
 *   messages.html   the same messages as a page that works offline ({@link ExportHtml})
 *   media/&lt;id&gt;.&lt;ext&gt;  each file the messages carry, once (stored as is: they are compressed already)
 *   TRUNCATED.txt   only when a limit cut the export short: where it stops and how to get the rest
 * </pre>
 *
 * <p>Messages come from the store a page at a time ({@code store.export.page}, in seq order), so
 * memory holds one page, the ids of the media to add and the people named. {@code messages.json}
 * goes straight into the archive; the page is written to a temporary file beside it (a ZIP's
 * entries follow one another) and copied in after. Media bytes come from the media folder, as
 * {@link MediaRoutes} serves them. All writing runs on the export pool's threads, which wait on a
 * slow client ({@link ResponseOutputStream}); the event loops only hop.
 *
 * <p>Limits ({@code export.maxMessages}, {@code export.maxBytes}: the messages' JSON and HTML and
 * their files, uncompressed) are checked before each message: one that would pass a limit is left
 * out with everything after it, and the archive still ends well formed, saying so in
 * {@code truncated}, on the page and in {@code TRUNCATED.txt}.
 */
final class ExportArchive {
  private static final Logger log = LoggerFactory.getLogger(ExportArchive.class);
  static final int PAGE = 200;

  /** What the archive holds; {@code truncated} is null when it holds the whole range. */
  record Summary(long messages, int media, long bytes, String truncated) {
  }

  private final Bus bus;
  private final WorkerExecutor workers;
  private final MediaFiles files;
  private final ParleyConfig.Export limits;
  private final String userId;
  private final JsonObject conversation;
  private final MediaCommands.Range range;
  private final String exportedAt;
  private final ResponseOutputStream out;
  private final ExportHtml html = new ExportHtml();
  /** Media id → its entry, in the order the messages carry them. */
  private final Map<String, String> media = new LinkedHashMap<>();
  /** The people of the pages read so far, and the ids of those the exported messages name. */
  private final Map<String, JsonObject> people = new HashMap<>();
  private final Set<String> named = new LinkedHashSet<>();
  private ZipOutputStream zip;
  private Path page;
  private Writer pageWriter;
  private long used;
  private long messages;
  private int filed;
  private JsonObject truncated;

  ExportArchive(Bus bus, WorkerExecutor workers, MediaFiles files, ParleyConfig.Export limits,
                MediaCommands.ExportStarted started, String exportedAt, ResponseOutputStream out) {
    this.bus = bus;
    this.workers = workers;
    this.files = files;
    this.limits = limits;
    this.userId = started.userId();
    this.conversation = started.conversation();
    this.range = started.range();
    this.exportedAt = exportedAt;
    this.out = out;
  }

  /**
   * Writes the whole archive into the response, all but its end (the caller ends it, or resets it
   * after a failure), and removes the temporary page.
   */
  Future<Summary> run() {
    return blocking(this::open)
        .compose(v -> pages(range.fromSeq() - 1))
        .compose(v -> blocking(this::closeText))
        .compose(v -> mediaFiles(media.entrySet().iterator()))
        .compose(v -> blocking(this::finish))
        .map(v -> new Summary(messages, filed, out.written(), truncated == null ? null : truncated.getString("reason")))
        .eventually(() -> blocking(this::cleanUp));
  }

  private Future<Void> pages(long after) {
    if (after >= range.toSeq()) {
      return Future.succeededFuture();
    }
    MediaCommands.ReadExportPage cmd = new MediaCommands.ReadExportPage(userId, conversation.getString("id"), after,
        range.toSeq(), PAGE, range.from(), range.to());
    return bus.request(Address.EXPORT_PAGE, cmd)
        .compose(reply -> blocking(() -> write(reply))
            .compose(more -> more ? pages(reply.cursor()) : Future.succeededFuture()));
  }

  private Void open() throws IOException {
    page = Files.createTempFile("parley-export-", ".html");
    pageWriter = Files.newBufferedWriter(page, StandardCharsets.UTF_8);
    zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
    zip.putNextEntry(new ZipEntry("messages.json"));
    String header = new JsonObject().put("format", "parley-export/1").put("conversation", conversation)
        .put("exportedAt", exportedAt).put("exportedBy", userId).put("range", range.toJson()).encode();
    used += text(zip, header.substring(0, header.length() - 1) + ",\"messages\":[");
    String head = ExportHtml.head(conversation, range.toJson(), exportedAt);
    pageWriter.write(head);
    used += head.getBytes(StandardCharsets.UTF_8).length;
    return null;
  }

  /** One page of messages into the archive; false once the export is complete or cut short. */
  private boolean write(MediaCommands.ExportPage reply) throws IOException {
    JsonArray users = reply.users();
    html.addUsers(users);
    users.forEach(u -> people.put(((JsonObject) u).getString("id"), (JsonObject) u));
    for (Object item : reply.messages()) {
      JsonObject message = (JsonObject) item;
      JsonObject file = message.getJsonObject("media");
      String mediaId = file == null || !MediaFiles.isId(file.getString("id")) ? null : file.getString("id");
      boolean newFile = mediaId != null && !media.containsKey(mediaId);
      String entry = mediaId == null ? null : media.getOrDefault(mediaId, "media/" + mediaId + "." + extension(file));
      byte[] json = message.encode().getBytes(StandardCharsets.UTF_8);
      String part = html.message(message, entry);
      long cost = json.length + 2 + part.getBytes(StandardCharsets.UTF_8).length + (newFile ? file.getLong("size", 0L) : 0);
      if (messages >= limits.maxMessages()) {
        cut("maxMessages", limits.maxMessages(), message.getLong("seq"));
        return false;
      }
      if (used + cost > limits.maxBytes()) {
        cut("maxBytes", limits.maxBytes(), message.getLong("seq"));
        return false;
      }
      zip.write(messages == 0 ? NEWLINE : COMMA);
      zip.write(json);
      pageWriter.write(part);
      if (newFile) {
        media.put(mediaId, entry);
      }
      used += cost;
      messages++;
      name(message);
    }
    return reply.hasMore();
  }

  private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] COMMA = ",\n".getBytes(StandardCharsets.UTF_8);

  /** The export ends before the message {@code nextSeq}. */
  private void cut(String reason, long limit, long nextSeq) {
    truncated = new JsonObject().put("reason", reason).put("limit", limit).put("nextSeq", nextSeq);
  }

  /** Remembers who a message names: its sender, mentions, reactions and the people of a system message. */
  private void name(JsonObject message) {
    named.add(message.getString("senderId"));
    message.getJsonArray("mentions", new JsonArray()).forEach(id -> named.add((String) id));
    message.getJsonArray("reactions", new JsonArray()).forEach(r ->
        ((JsonObject) r).getJsonArray("userIds", new JsonArray()).forEach(id -> named.add((String) id)));
    JsonObject system = message.getJsonObject("system");
    if (system != null) {
      named.add(system.getString("userId"));
      named.add(system.getString("by"));
    }
  }

  private Void closeText() throws IOException {
    JsonArray users = new JsonArray();
    named.stream().map(people::get).filter(Objects::nonNull).forEach(users::add);
    text(zip, "\n],\"users\":" + users.encode() + ",\"truncated\":" + (truncated == null ? "null" : truncated.encode()) + "}\n");
    zip.closeEntry();
    pageWriter.write(ExportHtml.tail(messages, truncated == null ? null : note()));
    pageWriter.close();
    pageWriter = null;
    zip.putNextEntry(new ZipEntry("messages.html"));
    Files.copy(page, zip);
    zip.closeEntry();
    return null;
  }

  private Future<Void> mediaFiles(Iterator<Map.Entry<String, String>> next) {
    if (!next.hasNext()) {
      return Future.succeededFuture();
    }
    Map.Entry<String, String> item = next.next();
    return blocking(() -> file(item.getKey(), item.getValue())).compose(v -> mediaFiles(next));
  }

  /**
   * One media file, stored uncompressed (pictures, voice and documents are compressed already):
   * a first read for its checksum, which a stored entry needs up front, then the copy.
   */
  private Void file(String id, String entry) throws IOException {
    Path path = files.original(id);
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) > 0; size += n) {
        crc.update(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      log.warn("export of {}: media {} is recorded but its file is gone; left out", conversation.getString("id"), id);
      return null;
    }
    ZipEntry stored = new ZipEntry(entry);
    stored.setMethod(ZipEntry.STORED);
    stored.setSize(size);
    stored.setCompressedSize(size);
    stored.setCrc(crc.getValue());
    zip.putNextEntry(stored);
    // A media file never changes once filed; should it, the entry's size check fails the export.
    Files.copy(path, zip);
    zip.closeEntry();
    filed++;
    return null;
  }

  private Void finish() throws IOException {
    if (truncated != null) {
      zip.putNextEntry(new ZipEntry("TRUNCATED.txt"));
      text(zip, note() + "\n");
      zip.closeEntry();
    }
    zip.finish();
    out.flush();
    return null;
  }

  private Void cleanUp() throws IOException {
    if (pageWriter != null) {
      pageWriter.close();
    }
    if (page != null) {
      Files.deleteIfExists(page);
    }
    return null;
  }

  /** Why the archive ends early and how to get the rest, in words. */
  private String note() {
    String limit = "maxMessages".equals(truncated.getString("reason"))
        ? "the server's limit of " + limits.maxMessages() + " messages per export (export.maxMessages)"
        : "the server's limit of " + limits.maxBytes() + " bytes per export (export.maxBytes)";
    long next = truncated.getLong("nextSeq");
    return "This export is incomplete: it stops before message #" + next + ", which would pass " + limit
        + ". For the rest, export again starting at message #" + next + " (fromSeq=" + next + ").";
  }

  private static long text(ZipOutputStream zip, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    zip.write(bytes);
    return bytes.length;
  }

  /** The file name extension of a media type; nothing a client chose. */
  static String extension(JsonObject file) {
    String mime = file.getString("mime", "").split(";", 2)[0].trim();
    return switch (mime) {
      case "image/jpeg" -> "jpg";
      case "image/png" -> "png";
      case "image/gif" -> "gif";
      case "image/webp" -> "webp";
      case "audio/webm" -> "webm";
      case "audio/ogg" -> "ogg";
      case "audio/mp4" -> "m4a";
      case "audio/mpeg" -> "mp3";
      case "audio/wav" -> "wav";
      case "application/pdf" -> "pdf";
      case "application/zip" -> "zip";
      case "text/plain" -> "txt";
      default -> "bin";
    };
  }

  /** On the export pool, unordered: each export runs its steps one after the other itself. */
  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }
}
