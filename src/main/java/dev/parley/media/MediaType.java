package dev.parley.media;

import java.util.Locale;
import java.util.Set;

/**
 * The content types Parley accepts, each with its kind, the MIME type it is served with, the file
 * name extensions that agree with it and the declared (multipart) types that agree with it. The
 * bytes decide: a JPEG named {@code photo.png} is a JPEG. Only plain text must agree with its
 * name and declared type: a text file named {@code photo.png} is refused, not filed as text.
 * Images and voice are always accepted; the document types ({@link #fileType}) only when
 * {@code media.fileTypes} names them.
 */
enum MediaType {
  JPEG("image", "image/jpeg", null, Set.of("jpg", "jpeg", "jpe", "jfif"), Set.of("image/jpeg", "image/jpg", "image/pjpeg")),
  PNG("image", "image/png", null, Set.of("png"), Set.of("image/png", "image/x-png", "image/apng")),
  GIF("image", "image/gif", null, Set.of("gif"), Set.of("image/gif")),
  WEBP("image", "image/webp", null, Set.of("webp"), Set.of("image/webp")),
  // Browsers' MediaRecorder labels audio-only recordings video/webm or video/mp4 at times.
  WEBM("voice", "audio/webm", null, Set.of("webm", "weba"), Set.of("audio/webm", "video/webm")),
  OGG("voice", "audio/ogg", null, Set.of("ogg", "oga", "opus"), Set.of("audio/ogg", "audio/opus", "application/ogg")),
  MP4("voice", "audio/mp4", null, Set.of("m4a", "mp4", "aac"),
      Set.of("audio/mp4", "audio/m4a", "audio/x-m4a", "audio/aac", "audio/mp4a-latm", "video/mp4")),
  MP3("voice", "audio/mpeg", null, Set.of("mp3"), Set.of("audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg", "audio/x-mp3")),
  WAV("voice", "audio/wav", null, Set.of("wav", "wave"), Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")),
  PDF("file", "application/pdf", "pdf", Set.of("pdf"), Set.of("application/pdf", "application/x-pdf")),
  // Office and e-book documents are ZIP containers; they are served as application/zip.
  ZIP("file", "application/zip", "zip", Set.of("zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"),
      Set.of("application/zip", "application/x-zip-compressed", "application/x-zip", "application/epub+zip",
          "application/vnd.openxmlformats-officedocument.*", "application/vnd.oasis.opendocument.*")),
  TEXT("file", "text/plain; charset=utf-8", "text", Set.of("txt", "text", "md", "markdown", "csv", "tsv", "log"),
      Set.of("text/plain", "text/markdown", "text/x-markdown", "text/csv", "text/tab-separated-values"));

  final String kind;
  final String mime;
  /** The name in {@code media.fileTypes}; null for images and voice, which are always accepted. */
  final String fileType;
  private final Set<String> extensions;
  private final Set<String> declared;

  MediaType(String kind, String mime, String fileType, Set<String> extensions, Set<String> declared) {
    this.kind = kind;
    this.mime = mime;
    this.fileType = fileType;
    this.extensions = extensions;
    this.declared = declared;
  }

  /** A name without an extension agrees with anything; one with an extension must name this type. */
  boolean agreesWithName(String name) {
    int dot = name == null ? -1 : name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return true;
    }
    return extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** No declared type (or the generic octet-stream) agrees with anything. */
  boolean agreesWithDeclared(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type.isEmpty() || "application/octet-stream".equals(type)) {
      return true;
    }
    for (String accepted : declared) {
      if (accepted.endsWith("*") ? type.startsWith(accepted.substring(0, accepted.length() - 1)) : accepted.equals(type)) {
        return true;
      }
    }
    return false;
  }
}
