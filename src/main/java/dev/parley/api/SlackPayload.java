package dev.parley.api;

import dev.parley.shared.Failure;
import dev.parley.shared.SendRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an incoming webhook accepts: the body of a Slack incoming webhook ({@code {text, username?,
 * attachments?, blocks?}}), as Alertmanager's {@code slack_configs}, Grafana's Slack contact point
 * and {@code curl} send it. Slack's mrkdwn becomes plain text: {@code <url|label>} links become
 * {@code label (url)}, {@code *bold*}, {@code _italic_} and {@code ~strike~} lose their marks,
 * {@code &amp;}, {@code &lt;} and {@code &gt;} are decoded, and control characters go (the client
 * shows the text as text, never as markup). Fields Parley has no use for ({@code channel},
 * {@code icon_emoji}, {@code icon_url}, colours, actions…) are ignored.
 */
final class SlackPayload {
  /** The longest {@code username} shown; longer ones are cut. */
  static final int MAX_USERNAME = 64;
  /** Slack's control sequences: {@code <url|label>}, {@code <!here>}, {@code <@U123>}, {@code <#C1|name>}. */
  private static final Pattern SEQUENCE = Pattern.compile("<([^<>\\n]*)>");
  private static final Pattern BOLD = emphasis("\\*");
  private static final Pattern ITALIC = emphasis("_");
  private static final Pattern STRIKE = emphasis("~");
  /** C0/C1 controls but tab and newline, and the bidirectional overrides and isolates. */
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u202A-\\u202E\\u2066-\\u2069]");

  /** A post: plain text to store, and the sender name to show, or null for the webhook's own. */
  record Post(String text, String username) {
  }

  private SlackPayload() {
  }

  /** A mark around a word or phrase: not inside a word, not around white space, on one line. */
  private static Pattern emphasis(String mark) {
    return Pattern.compile("(?<![\\p{L}\\p{N}" + mark + "])" + mark + "(?=\\S)([^" + mark + "\\n]*?\\S)" + mark
        + "(?![\\p{L}\\p{N}" + mark + "])");
  }

  /** The post in a Slack body; 400 for another shape, no text, or text past the limit. */
  static Post parse(JsonObject body) {
    List<String> parts = new ArrayList<>();
    String text = optionalString(body, "text");
    if (text != null && !text.isBlank()) {
      parts.add(text);
    }
    for (JsonObject attachment : objects(body, "attachments")) {
      String shown = attachment(attachment);
      if (!shown.isBlank()) {
        parts.add(shown);
      }
    }
    for (JsonObject block : objects(body, "blocks")) {
      String shown = block(block);
      if (!shown.isBlank()) {
        parts.add(shown);
      }
    }
    String plain = plain(String.join("\n\n", parts));
    if (plain.isEmpty()) {
      throw Failure.invalid("text", "a webhook post needs text (text, or attachments or blocks with text)");
    }
    if (plain.codePointCount(0, plain.length()) > SendRequest.MAX_TEXT) {
      throw Failure.invalid("text", "text is longer than " + SendRequest.MAX_TEXT + " characters");
    }
    return new Post(plain, username(optionalString(body, "username")));
  }

  private static String username(String raw) {
    if (raw == null) {
      return null;
    }
    String name = UNSAFE.matcher(raw).replaceAll("").replaceAll("\\s+", " ").strip();
    if (name.isEmpty()) {
      return null;
    }
    if (name.codePointCount(0, name.length()) > MAX_USERNAME) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_USERNAME)).strip();
    }
    return name;
  }

  /** An attachment as Slack shows it: pretext, title (with its link), text, fields; else its fallback. */
  private static String attachment(JsonObject a) {
    List<String> lines = new ArrayList<>();
    addIfText(lines, a.getValue("pretext"));
    Object title = a.getValue("title");
    if (title instanceof String t && !t.isBlank()) {
      lines.add(a.getValue("title_link") instanceof String link && !link.isBlank() ? t + " (" + link + ")" : t);
    }
    addIfText(lines, a.getValue("text"));
    if (a.getValue("fields") instanceof JsonArray fields) {
      for (Object f : fields) {
        if (f instanceof JsonObject field) {
          Object name = field.getValue("title");
          Object value = field.getValue("value");
          if (value instanceof String v && !v.isBlank()) {
            lines.add(name instanceof String n && !n.isBlank() ? n + ": " + v : v);
          }
        }
      }
    }
    if (lines.isEmpty()) {
      addIfText(lines, a.getValue("fallback"));
    }
    return String.join("\n", lines);
  }

  /** A Block Kit block's text: a header's or section's text and fields, a context's texts. */
  private static String block(JsonObject b) {
    List<String> lines = new ArrayList<>();
    if (b.getValue("text") instanceof JsonObject t) {
      addIfText(lines, t.getValue("text"));
    }
    for (String key : List.of("fields", "elements")) {
      if (b.getValue(key) instanceof JsonArray items) {
        for (Object item : items) {
          if (item instanceof JsonObject o) {
            addIfText(lines, o.getValue("text"));
          }
        }
      }
    }
    return String.join("\n", lines);
  }

  private static void addIfText(List<String> lines, Object value) {
    if (value instanceof String s && !s.isBlank()) {
      lines.add(s);
    }
  }

  private static String optionalString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw Failure.invalid(key, key + " must be a string");
    }
    return (String) value;
  }

  private static List<JsonObject> objects(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return List.of();
    }
    List<JsonObject> objects = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof JsonObject o)) {
          throw Failure.invalid(key, key + " must be an array of objects");
        }
        objects.add(o);
      }
      return objects;
    }
    throw Failure.invalid(key, key + " must be an array of objects");
  }

  /** Slack mrkdwn as plain text (see the class comment). */
  static String plain(String mrkdwn) {
    String text = mrkdwn.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder(text.length());
    Matcher m = SEQUENCE.matcher(text);
    int at = 0;
    while (m.find()) {
      out.append(unmark(text.substring(at, m.start())));
      out.append(sequence(m.group(1)));
      at = m.end();
    }
    out.append(unmark(text.substring(at)));
    String decoded = out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    return UNSAFE.matcher(decoded).replaceAll("").strip();
  }

  private static String unmark(String text) {
    String t = BOLD.matcher(text).replaceAll("$1");
    t = ITALIC.matcher(t).replaceAll("$1");
    return STRIKE.matcher(t).replaceAll("$1");
  }

  /** One {@code <…>}: a link, a mention of a user, channel or group, or a date with its fallback. */
  private static String sequence(String inner) {
    int bar = inner.indexOf('|');
    String target = bar < 0 ? inner : inner.substring(0, bar);
    String label = bar < 0 ? null : inner.substring(bar + 1).strip();
    boolean labelled = label != null && !label.isEmpty();
    if (target.startsWith("!")) {
      String command = target.substring(1);
      if (labelled) {
        return label;
      }
      int caret = command.indexOf('^');
      return "@" + (caret < 0 ? command : command.substring(0, caret));
    }
    if (target.startsWith("@") || target.startsWith("#")) {
      return labelled ? (label.startsWith(target.substring(0, 1)) ? label : target.charAt(0) + label) : target;
    }
    if (!labelled) {
      return target.startsWith("mailto:") ? target.substring("mailto:".length()) : target;
    }
    if (label.equals(target) || ("mailto:" + label).equals(target)) {
      return label;
    }
    return label + " (" + target + ")";
  }
}
