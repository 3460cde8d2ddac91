package dev.parley.media;

import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decides a file's type from its bytes (magic numbers), never from its name or declared type.
 * Anything that matches no signature is a candidate for plain text, which {@link #checkText}
 * then reads whole: valid UTF-8, no control characters, and nothing that starts like markup
 * (HTML, SVG, XML) or a script ({@code #!}): such files are never accepted.
 */
final class Sniffer {
  /** How many leading bytes {@link #sniff} looks at. */
  static final int HEAD = 64;

  private Sniffer() {
  }

  /** The type the leading bytes announce, or {@link MediaType#TEXT} when none does. */
  static MediaType sniff(byte[] b, int n) {
    if (starts(b, n, 0, 0xFF, 0xD8, 0xFF)) {
      return MediaType.JPEG;
    }
    if (starts(b, n, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return MediaType.PNG;
    }
    if (starts(b, n, 0, 'G', 'I', 'F', '8') && n > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return MediaType.GIF;
    }
    if (starts(b, n, 0, 'R', 'I', 'F', 'F')) {
      if (starts(b, n, 8, 'W', 'E', 'B', 'P')) {
        return MediaType.WEBP;
      }
      if (starts(b, n, 8, 'W', 'A', 'V', 'E')) {
        return MediaType.WAV;
      }
      return null;
    }
    if (starts(b, n, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return MediaType.WEBM;
    }
    if (starts(b, n, 0, 'O', 'g', 'g', 'S')) {
      return MediaType.OGG;
    }
    if (starts(b, n, 4, 'f', 't', 'y', 'p')) {
      return MediaType.MP4;
    }
    if (starts(b, n, 0, 'I', 'D', '3') || (n > 1 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE6) == 0xE2)) {
      return MediaType.MP3; // an ID3 tag, or an MPEG audio layer III frame header; Audio checks the frames
    }
    if (starts(b, n, 0, '%', 'P', 'D', 'F', '-')) {
      return MediaType.PDF;
    }
    if (starts(b, n, 0, 'P', 'K', 3, 4) || starts(b, n, 0, 'P', 'K', 5, 6)) {
      return MediaType.ZIP;
    }
    return MediaType.TEXT;
  }

  private static boolean starts(byte[] b, int n, int at, int... magic) {
    if (n < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[at + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads the whole file: UTF-8 plain text, or a 415 saying what it is not. */
  static void checkText(Path file) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    StringBuilder start = new StringBuilder();
    try (InputStream in = Files.newInputStream(file); Reader reader = new InputStreamReader(in, decoder)) {
      char[] buffer = new char[16_384];
      for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
        for (int i = 0; i < read; i++) {
          char c = buffer[i];
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
            throw unsupported("the file is neither an accepted type nor plain text");
          }
        }
        if (start.length() < 256) {
          start.append(buffer, 0, Math.min(read, 256));
        }
      }
    } catch (CharacterCodingException e) {
      throw unsupported("the file is neither an accepted type nor UTF-8 plain text");
    }
    String head = start.toString().replace("\uFEFF", "").stripLeading().toLowerCase(Locale.ROOT);
    if (head.startsWith("<")) {
      throw unsupported("markup (HTML, SVG, XML) is not accepted");
    }
    if (head.startsWith("#!")) {
      throw unsupported("scripts are not accepted");
    }
  }

  static Failure unsupported(String message) {
    return new Failure(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
  }
}
