package dev.parley.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code messages.html} of an export, piece by piece as the messages stream past: a page that
 * works offline and on its own (inline style, no script, a Content-Security-Policy that allows
 * nothing but the archive's own pictures and sounds). It follows the share page's rules
 * ({@code webroot/share-page.js}): every piece of user text is escaped, never inserted as markup; links only
 * for http(s) addresses, opened without opener or referrer; pictures inline from the archive's
 * {@code media/} folder, voice and files as links. Times are in UTC (the server does not know the
 * reader's zone).
 */
final class ExportHtml {
  /** The archive page allows its own files only: no script, no remote content, no forms. */
  static final String POLICY = "default-src 'none'; img-src 'self' file: data:; media-src 'self' file:;"
      + " style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("d MMM uuuu HH:mm 'UTC'", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);
  /** As the web client's richText: an http(s) address, or an @name. */
  private static final Pattern RICH = Pattern.compile("(https?://[^\\s<>\"']+[^\\s<>\"'.,;:!?)\\]])|(@[a-z0-9_.-]+)",
      Pattern.CASE_INSENSITIVE);
  /** Messages remembered for the quote of a later reply; older ones are quoted as "an earlier message". */
  private static final int QUOTES = 10_000;
  private static final int LONGEST_SIDE = 480;

  private final Map<String, JsonObject> users = new HashMap<>();
  private final Map<Long, String> quotes = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      return size() > QUOTES;
    }
  };
  private String day;

  /** People the next messages may name. */
  void addUsers(JsonArray people) {
    people.forEach(u -> users.put(((JsonObject) u).getString("id"), (JsonObject) u));
  }

  static String head(JsonObject conversation, JsonObject range, String exportedAt) {
    String title = title(conversation);
    StringBuilder what = new StringBuilder("messages #" + range.getLong("fromSeq") + " to #" + range.getLong("toSeq"));
    if (range.getString("from") != null) {
      what.append(" sent from ").append(stamp(range.getString("from")));
    }
    if (range.getString("to") != null) {
      what.append(range.getString("from") != null ? " until " : " sent before ").append(stamp(range.getString("to")));
    }
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + POLICY + "\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"color-scheme\" content=\"light dark\">\n"
        + "<title>" + escape(title) + " · Parley export</title>\n"
        + "<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
        + "<header><h1>" + escape(title) + "</h1>\n<p class=\"meta\">Exported from Parley on " + escape(stamp(exportedAt))
        + " · " + escape(what.toString()) + " · times in UTC</p></header>\n<ol class=\"messages\">\n";
  }

  /**
   * One message, after a day heading when it starts a new day. {@code mediaPath} is where its file
   * is in the archive (null: not in it).
   */
  String message(JsonObject m, String mediaPath) {
    StringBuilder out = new StringBuilder();
    Instant at = Instant.parse(m.getString("createdAt"));
    String today = DAY.format(at);
    if (!today.equals(day)) {
      day = today;
      out.append("<li class=\"day\">").append(today).append("</li>\n");
    }
    long id = m.getLong("id");
    String time = "<time datetime=\"" + escape(m.getString("createdAt")) + "\">" + TIME.format(at) + "</time>";
    if ("system".equals(m.getString("type")) && m.getJsonObject("system") != null) {
      out.append("<li class=\"msg system\" id=\"m").append(id).append("\"><span>").append(escape(systemText(m)))
          .append("</span> ").append(time).append("</li>\n");
      remember(m);
      return out.toString();
    }
    JsonObject sender = users.get(m.getString("senderId"));
    out.append("<li class=\"msg").append(m.getBoolean("recalled", false) ? " recalled" : "").append("\" id=\"m").append(id)
        .append("\" data-seq=\"").append(m.getLong("seq")).append("\">\n<div class=\"head\"><span class=\"who\">")
        .append(escape(name(m.getString("senderId")))).append("</span>");
    if (sender != null && sender.getBoolean("bot", false)) {
      out.append(" <span class=\"tag\">bot</span>");
    }
    JsonObject via = m.getJsonObject("via");
    if (via != null && via.getString("name") != null) {
      out.append(" <span class=\"tag\">via ").append(escape(via.getString("name"))).append("</span>");
    }
    out.append(" ").append(time).append(" <a class=\"seq\" href=\"#m").append(id).append("\">#").append(m.getLong("seq"))
        .append("</a></div>\n");
    if (m.getBoolean("recalled", false)) {
      out.append("<div class=\"text recalled-text\">This message was recalled</div>\n</li>\n");
      remember(m);
      return out.toString();
    }
    Long replyTo = m.getLong("replyTo");
    if (replyTo != null) {
      String quoted = quotes.get(replyTo);
      out.append("<div class=\"quote\">↩ <a href=\"#m").append(replyTo).append("\">")
          .append(escape(quoted != null ? quoted : "An earlier message")).append("</a></div>\n");
    }
    JsonObject media = m.getJsonObject("media");
    if (media != null) {
      out.append(attachment(m.getString("type"), media, mediaPath));
    }
    if (m.getString("text") != null) {
      out.append("<div class=\"text\" dir=\"auto\">").append(richText(m.getString("text"), mentioned(m))).append("</div>\n");
    }
    StringBuilder meta = new StringBuilder();
    if (m.getBoolean("edited", false) && m.getString("editedAt") != null) {
      meta.append("<span class=\"edited\">edited ").append(escape(stamp(m.getString("editedAt")))).append("</span>");
    }
    for (Object r : m.getJsonArray("reactions", new JsonArray())) {
      JsonObject reaction = (JsonObject) r;
      StringBuilder who = new StringBuilder();
      for (Object userId : reaction.getJsonArray("userIds", new JsonArray())) {
        who.append(who.length() == 0 ? "" : ", ").append(name((String) userId));
      }
      meta.append(" <span class=\"reaction\" title=\"").append(escape(who.toString())).append("\">")
          .append(escape(reaction.getString("emoji"))).append(" ").append(reaction.getLong("count", 0L))
          .append(who.length() == 0 ? "" : " (" + escape(who.toString()) + ")").append("</span>");
    }
    if (meta.length() > 0) {
      out.append("<div class=\"meta\">").append(meta.toString().trim()).append("</div>\n");
    }
    out.append("</li>\n");
    remember(m);
    return out.toString();
  }

  /** The end of the page; {@code note} (plain text) says why the export stops early, if it does. */
  static String tail(long messages, String note) {
    return "</ol>\n" + (note == null ? "" : "<p class=\"truncated\">" + escape(note) + "</p>\n")
        + "<footer>" + messages + " message" + (messages == 1 ? "" : "s") + " · exported from Parley</footer>\n"
        + "</body>\n</html>\n";
  }

  /** Text made safe to put between tags or inside a quoted attribute. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.chars().forEach(c -> {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append((char) c);
      }
    });
    return out.toString();
  }

  private String attachment(String type, JsonObject media, String path) {
    String name = media.getString("name") == null || media.getString("name").isBlank() ? "file" : media.getString("name");
    if (path == null) {
      return "<div class=\"file missing\">" + escape(name) + " (not in this export)</div>\n";
    }
    String href = escape(path);
    if ("image".equals(type)) {
      return "<a class=\"picture\" href=\"" + href + "\"><img src=\"" + href + "\" alt=\"" + escape("Image: " + name) + "\""
          + size(media) + " loading=\"lazy\"></a>\n";
    }
    if ("voice".equals(type)) {
      long seconds = Math.round(media.getLong("durationMs", 0L) / 1000.0);
      return "<div class=\"voice\"><audio controls preload=\"none\" src=\"" + href + "\"></audio> <a href=\"" + href
          + "\">Voice message" + (seconds > 0 ? String.format(Locale.ROOT, " · %d:%02d", seconds / 60, seconds % 60) : "")
          + "</a></div>\n";
    }
    return "<a class=\"file\" href=\"" + href + "\" download=\"" + escape(name) + "\">⬇ " + escape(name) + " ("
        + size(media.getLong("size", 0L)) + ")</a>\n";
  }

  /** The picture's box at most {@value #LONGEST_SIDE} px on its longer side, so the page does not jump. */
  private static String size(JsonObject media) {
    Long width = media.getLong("width");
    Long height = media.getLong("height");
    if (width == null || height == null || width <= 0 || height <= 0) {
      return "";
    }
    double scale = Math.min(1, (double) LONGEST_SIDE / Math.max(width, height));
    return " width=\"" + Math.round(width * scale) + "\" height=\"" + Math.round(height * scale) + "\"";
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, bytes < 10240 ? "%.1f KB" : "%.0f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
  }

  /** Escaped text with safe links and the mentions of people the message names highlighted. */
  private static String richText(String text, Set<String> mentioned) {
    StringBuilder out = new StringBuilder();
    Matcher m = RICH.matcher(text);
    int last = 0;
    while (m.find()) {
      out.append(escape(text.substring(last, m.start())));
      if (m.group(1) != null && isWebAddress(m.group(1))) {
        out.append("<a href=\"").append(escape(m.group(1))).append("\" rel=\"noopener noreferrer nofollow\">")
            .append(escape(m.group(1))).append("</a>");
      } else if (m.group(2) != null && mentioned.contains(m.group(2).substring(1).toLowerCase(Locale.ROOT))) {
        out.append("<span class=\"mention\">").append(escape(m.group(2))).append("</span>");
      } else {
        out.append(escape(m.group()));
      }
      last = m.end();
    }
    return out.append(escape(text.substring(last))).toString();
  }

  private static boolean isWebAddress(String candidate) {
    try {
      URI uri = new URI(candidate);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The lower-case usernames of the people a message mentions. */
  private Set<String> mentioned(JsonObject m) {
    Set<String> names = new HashSet<>();
    for (Object userId : m.getJsonArray("mentions", new JsonArray())) {
      JsonObject user = users.get((String) userId);
      if (user != null && user.getString("username") != null) {
        names.add(user.getString("username").toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** As the web client's systemText (webroot/js/dom.js). */
  private String systemText(JsonObject m) {
    JsonObject s = m.getJsonObject("system");
    String who = name(s.getString("userId"));
    String by = name(s.getString("by") != null ? s.getString("by") : s.getString("userId"));
    return switch (s.getString("action", "")) {
      case "created" -> by + " created the group";
      case "joined" -> s.getString("by") != null && !s.getString("by").equals(s.getString("userId"))
          ? by + " added " + who : who + " joined";
      case "left" -> who + " left";
      case "removed" -> by + " removed " + who;
      case "renamed" -> m.getString("text") != null ? by + " renamed the group to “" + m.getString("text") + "”"
          : by + " renamed the group";
      case "retention" -> by + " set messages to be kept " + keptFor(s.getInteger("retentionDays", 0))
          + (s.getBoolean("retentionDefault", false) ? " (the server’s default)" : "");
      default -> m.getString("text") != null ? m.getString("text") : "Conversation updated";
    };
  }

  /** As the web client's keptFor: "forever", "for 1 day", "for 30 days". */
  private static String keptFor(int days) {
    return days == 0 ? "forever" : days == 1 ? "for 1 day" : "for " + days + " days";
  }

  /** What a later reply quotes of this message. */
  private void remember(JsonObject m) {
    String what;
    if (m.getBoolean("recalled", false)) {
      what = "Message recalled";
    } else if (m.getString("text") != null && !m.getString("text").isBlank()) {
      String text = m.getString("text").strip();
      what = text.codePointCount(0, text.length()) > 80 ? text.substring(0, text.offsetByCodePoints(0, 79)) + "…" : text;
    } else {
      what = switch (m.getString("type", "")) {
        case "image" -> "Photo";
        case "voice" -> "Voice message";
        case "file" -> "File";
        default -> "";
      };
    }
    quotes.put(m.getLong("id"), name(m.getString("senderId")) + ": " + what);
  }

  private String name(String userId) {
    JsonObject user = userId == null ? null : users.get(userId);
    String name = user == null ? null : user.getString("displayName");
    return name == null || name.isBlank() ? (user != null ? user.getString("username", "Someone") : "Someone") : name;
  }

  private static String title(JsonObject conversation) {
    String title = conversation.getString("title");
    return title != null && !title.isBlank() ? title : "direct".equals(conversation.getString("type"))
        ? "Direct conversation" : "Conversation";
  }

  private static String stamp(String iso) {
    return STAMP.format(Instant.parse(iso));
  }

  private static final String STYLE = """
      :root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --dim: #6e6e73; --line: #e5e5ea; --bubble: #f2f2f7;
        --accent: #0a64d8; }
      @media (prefers-color-scheme: dark) { :root { --bg: #111; --fg: #f2f2f7; --dim: #a1a1a6; --line: #2c2c2e;
        --bubble: #1c1c1e; --accent: #5aa6ff; } }
      body { margin: 0 auto; max-width: 46rem; padding: 1rem; background: var(--bg); color: var(--fg);
        font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
      header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
      h1 { font-size: 1.4rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
      .meta, footer, .day, time, .seq, .tag, .edited { color: var(--dim); font-size: .85rem; }
      ol.messages { list-style: none; padding: 0; margin: 0; }
      .day { text-align: center; margin: 1.25rem 0 .5rem; font-weight: 600; }
      .msg { background: var(--bubble); border-radius: 12px; padding: .5rem .75rem; margin: .4rem 0; }
      .msg.system { background: none; text-align: center; color: var(--dim); font-size: .9rem; }
      .head { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
      .who { font-weight: 600; overflow-wrap: anywhere; }
      .seq { margin-left: auto; text-decoration: none; }
      .tag { border: 1px solid var(--line); border-radius: 6px; padding: 0 .3rem; }
      .text { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: .2rem; }
      .recalled-text { font-style: italic; color: var(--dim); }
      .quote { border-left: 3px solid var(--accent); padding-left: .5rem; margin: .3rem 0; font-size: .9rem; }
      .quote a { color: var(--dim); text-decoration: none; }
      .mention { color: var(--accent); font-weight: 600; }
      a { color: var(--accent); }
      img { display: block; max-width: 100%; height: auto; border-radius: 8px; margin-top: .3rem; }
      .file, .voice { display: block; margin-top: .3rem; overflow-wrap: anywhere; }
      .meta { margin-top: .3rem; display: flex; gap: .5rem; flex-wrap: wrap; }
      .reaction { border: 1px solid var(--line); border-radius: 10px; padding: 0 .4rem; }
      .truncated { border: 1px solid #d70015; border-radius: 8px; padding: .5rem .75rem; }
      footer { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: .5rem; }
      """;
}
