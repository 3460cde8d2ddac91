package dev.parley.shared;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where media bytes live under the media folder ({@code media.dir}). Every name in it is made by
 * the server: a media id ({@code m} + 24 hex digits) or an upload name (32 hex digits +
 * {@code .part}); nothing a client sends ever becomes part of a path, and every name is checked
 * against its pattern before it is resolved.
 *
 * <pre>
 *   uploads/&lt;hex&gt;.part        an upload being received or processed
 *   &lt;ab&gt;/m&lt;ab…&gt;              the bytes of a media item (folder: its first two hex digits)
 *   &lt;ab&gt;/m&lt;ab…&gt;.thumb.jpg    its thumbnail, if it has one
 * </pre>
 *
 * <p>The api writes uploads and serves files; the media verticle files them. In a cluster this
 * folder is a volume shared by every node with either role (docs/architecture.md).
 */
public final class MediaFiles {
  private static final Pattern ID = Pattern.compile("m[0-9a-f]{24}");
  private static final Pattern UPLOAD = Pattern.compile("[0-9a-f]{32}\\.part");

  private final Path root;

  public MediaFiles(String dir) {
    this.root = Path.of(dir).toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path uploads() {
    return root.resolve("uploads");
  }

  public static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static boolean isUploadName(String name) {
    return name != null && UPLOAD.matcher(name).matches();
  }

  /**
   * A client's file name made fit to show and to put in a header: no folders, no control or
   * bidirectional-override characters (which can disguise an extension), at most 255 characters.
   * It is only ever shown, never used as a path.
   */
  public static String displayName(String raw) {
    String name = raw == null ? "" : raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
    name = name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
    if (name.codePointCount(0, name.length()) > 255) {
      name = name.substring(0, name.offsetByCodePoints(0, 255));
    }
    return name.isEmpty() || ".".equals(name) || "..".equals(name) ? "upload" : name;
  }

  /** The path of an upload by its server-made name. */
  public Path upload(String name) {
    if (!isUploadName(name)) {
      throw new IllegalArgumentException("not an upload name");
    }
    return uploads().resolve(name);
  }

  public Path original(String id) {
    return shard(id).resolve(id);
  }

  public Path thumbnail(String id) {
    return shard(id).resolve(id + ".thumb.jpg");
  }

  private Path shard(String id) {
    if (!isId(id)) {
      throw new IllegalArgumentException("not a media id");
    }
    return root.resolve(id.substring(1, 3));
  }
}
