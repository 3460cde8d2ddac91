package dev.parley.media;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

/**
 * One upload from the uploads folder to a filed media item: type from the bytes (plain text must
 * also agree with the name and the declared type), the kind's own checks (image: pixel limit,
 * decodable, thumbnail; voice: audio-only container, duration; text: UTF-8 and no markup), then
 * a new id and an atomic move into place. Blocking throughout: it runs on the media verticle's worker pool.
 */
final class Ingest {
  private final MediaFiles files;
  private final long maxBytes;
  private final long maxPixels;
  private final Set<String> fileTypes;

  Ingest(MediaFiles files, ParleyConfig.Media config) {
    this.files = files;
    this.maxBytes = config.maxUploadBytes();
    this.maxPixels = config.maxPixels();
    this.fileTypes = new HashSet<>(config.fileTypes());
  }

  /**
   * The record for {@code store.media.create}; the bytes are filed under its id. Throws a
   * {@link Failure} (400, 413, 415) and leaves nothing behind when the upload is refused.
   */
  MediaCommands.Filed run(MediaCommands.Uploaded cmd) {
    String uploadName = cmd.upload();
    if (!MediaFiles.isUploadName(uploadName)) {
      throw Failure.invalid("upload", "not an upload");
    }
    Path upload = files.upload(uploadName);
    Path thumbnail = upload.resolveSibling(uploadName + ".thumb.jpg");
    try {
      long size = Files.size(upload);
      if (size == 0) {
        throw Failure.invalid("file", "the file is empty");
      }
      if (size > maxBytes) {
        throw new Failure(ErrorCode.TOO_LARGE, "the file is larger than " + maxBytes + " bytes");
      }
      MediaType type = sniff(upload);
      String name = cmd.name();
      // Bytes of an accepted type are taken as what they are, whatever the name says: phones and
      // downloads often save a JPEG as .png. Only text must agree with its name and declared
      // type, so that text claiming to be a picture or a document is refused.
      if (type == MediaType.TEXT) {
        if (!type.agreesWithName(name)) {
          throw Sniffer.unsupported("the content is plain text, which the file name '" + name + "' contradicts");
        }
        if (!type.agreesWithDeclared(cmd.declaredType())) {
          throw Sniffer.unsupported("the content is plain text, not the declared " + cmd.declaredType());
        }
      }
      Images.Probe probe = null;
      Long durationMs = null;
      switch (type.kind) {
        case "image" -> probe = Images.probe(upload, type, maxPixels, thumbnail);
        case "voice" -> durationMs = Audio.probe(upload, type);
        default -> {
          if (type == MediaType.TEXT) {
            Sniffer.checkText(upload);
          }
        }
      }
      String id = Ids.nextHex("m");
      Files.createDirectories(files.original(id).getParent());
      if (probe != null) {
        move(thumbnail, files.thumbnail(id));
      }
      move(upload, files.original(id));
      return new MediaCommands.Filed(id, cmd.ownerId(), type.kind, type.mime, size, name,
          probe == null ? null : probe.width(), probe == null ? null : probe.height(), durationMs, probe != null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(upload);
      deleteQuietly(thumbnail);
    }
  }

  private MediaType sniff(Path upload) throws IOException {
    byte[] head = new byte[Sniffer.HEAD];
    int n;
    try (InputStream in = Files.newInputStream(upload)) {
      n = in.readNBytes(head, 0, head.length);
    }
    MediaType type = Sniffer.sniff(head, n);
    if (type == null || (type.fileType != null && !fileTypes.contains(type.fileType))) {
      throw Sniffer.unsupported("the content is not an accepted type (images: JPEG, PNG, GIF, WebP; voice: WebM, Ogg,"
          + " MP4/AAC, MP3, WAV; files: " + String.join(", ", fileTypes) + ")");
    }
    return type;
  }

  /** Removes a filed item's bytes and thumbnail (a record that could not be written, a sweep). */
  void delete(String id) {
    deleteQuietly(files.original(id));
    deleteQuietly(files.thumbnail(id));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left for the periodic sweep of stale uploads
    }
  }
}
