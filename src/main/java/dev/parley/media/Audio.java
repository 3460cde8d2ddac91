package dev.parley.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Voice clips: checks that the container holds audio (and only audio) and reads its duration
 * from the headers, without decoding a sample. WAV, Ogg (Opus, Vorbis) and MP4 say it exactly;
 * MP3 says it with a Xing/Info or VBRI header and is estimated from the bit rate otherwise; WebM
 * is in {@link WebM}. A container that is not what it starts like is a 415; a duration that
 * cannot be found is left out ({@code null}).
 *
 * <p>Why by hand, when metadata-extractor (which {@link Images} uses) reads some of these:
 * <ul>
 *   <li>Ogg, MP3 and WebM: metadata-extractor has no reader that gives their duration.</li>
 *   <li>WAV: its {@code WavRiffHandler} keeps the duration only as a whole-second
 *   {@code "HH:MM:SS"} text (a 1.25 s clip reads {@code 00:00:01}), and reads the whole data chunk
 *   into memory to find it. A voice clip needs milliseconds; the fmt and data chunk headers give
 *   them without reading a sample.</li>
 *   <li>MP4: its {@code Mp4Reader} (2.19.0) recurses once per nested container box without a
 *   bound, so a 160 KB upload of nested {@code moov} boxes overflows the worker's stack, and it
 *   allocates the size a box claims before reading it, so a 16-byte upload claiming a 2 GiB
 *   {@code udta} box costs 2 GiB of heap. On untrusted uploads that would need catching
 *   StackOverflowError and OutOfMemoryError again. The walk here reads only moov/mvhd and each
 *   trak/mdia/hdlr, at fixed depth, and never allocates more than a four-byte name.</li>
 * </ul>
 * Nothing here recurses, so hostile nesting is a 415 like any other unreadable file.
 */
final class Audio {
  private Audio() {
  }

  /** The clip's duration in ms (null when unknown), or a 415. */
  static Long probe(Path file, MediaType type) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      try {
        return switch (type) {
          case WAV -> wav(data.order(ByteOrder.LITTLE_ENDIAN));
          case OGG -> ogg(data.order(ByteOrder.LITTLE_ENDIAN));
          case MP4 -> mp4(data.order(ByteOrder.BIG_ENDIAN));
          case MP3 -> mp3(data.order(ByteOrder.BIG_ENDIAN));
          case WEBM -> WebM.probe(data.order(ByteOrder.BIG_ENDIAN));
          default -> throw new IllegalArgumentException(type.name());
        };
      } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
        throw Sniffer.unsupported("the file starts like " + type.mime + " but is not a readable " + type.mime + " file");
      }
    }
  }

  private static Long wav(ByteBuffer b) {
    long byteRate = 0;
    // A long position: a chunk size near 4 GiB must move it past the end, not wrap it back.
    for (long at = 12; at + 8 <= b.limit(); ) {
      String id = ascii(b, (int) at, 4);
      long size = Integer.toUnsignedLong(b.getInt((int) at + 4));
      if ("fmt ".equals(id)) {
        byteRate = Integer.toUnsignedLong(b.getInt((int) at + 8 + 8));
      } else if ("data".equals(id)) {
        long available = b.limit() - (at + 8L);
        long bytes = size == 0xFFFFFFFFL || size > available ? available : size;
        if (byteRate == 0) {
          throw new IllegalArgumentException("no fmt chunk before data");
        }
        return bytes * 1000 / byteRate;
      }
      at += 8 + size + (size & 1);
    }
    throw new IllegalArgumentException("no data chunk");
  }

  /** First page: the codec's identification header; last page: the granule position (samples). */
  private static Long ogg(ByteBuffer b) {
    int segments = b.get(26) & 0xFF;
    int packet = 27 + segments;
    int serial = b.getInt(14);
    long preSkip;
    long rate;
    if ("OpusHead".equals(ascii(b, packet, 8))) {
      preSkip = Short.toUnsignedInt(b.getShort(packet + 10));
      rate = 48_000;
    } else if (b.get(packet) == 1 && "vorbis".equals(ascii(b, packet + 1, 6))) {
      preSkip = 0;
      rate = Integer.toUnsignedLong(b.getInt(packet + 12));
    } else {
      throw new IllegalArgumentException("an Ogg stream that is neither Opus nor Vorbis");
    }
    // A page is at most 65,307 bytes: the last whole page starts within two of them of the end.
    int floor = Math.max(0, b.limit() - 2 * 65_536);
    for (int at = b.limit() - 27; at >= floor; at--) {
      if (b.get(at) == 'O' && "OggS".equals(ascii(b, at, 4)) && b.getInt(at + 14) == serial && whole(b, at)) {
        long granule = b.getLong(at + 6);
        return granule <= preSkip || rate == 0 ? null : (granule - preSkip) * 1000 / rate;
      }
    }
    return null;
  }

  /** Whether the page at {@code at} ends within the file: a cut page's granule counts samples that are not there. */
  private static boolean whole(ByteBuffer b, int at) {
    int segments = b.get(at + 26) & 0xFF;
    if (at + 27 + segments > b.limit()) {
      return false;
    }
    int body = 0;
    for (int i = 0; i < segments; i++) {
      body += b.get(at + 27 + i) & 0xFF;
    }
    return at + 27 + segments + body <= b.limit();
  }

  /** Boxes: moov/mvhd has the duration; every trak/mdia/hdlr must be sound. */
  private static Long mp4(ByteBuffer b) {
    long[] moov = box(b, 0, b.limit(), "moov");
    if (moov == null) {
      throw new IllegalArgumentException("no moov box");
    }
    long[] mvhd = box(b, moov[0], moov[1], "mvhd");
    boolean sound = false;
    for (long at = moov[0]; at + 8 <= moov[1]; ) {
      long size = boxSize(b, at, moov[1]);
      if ("trak".equals(ascii(b, (int) at + 4, 4))) {
        long[] mdia = box(b, at + 8, at + size, "mdia");
        long[] hdlr = mdia == null ? null : box(b, mdia[0], mdia[1], "hdlr");
        String handler = hdlr == null ? "" : ascii(b, (int) hdlr[0] + 8, 4);
        if ("vide".equals(handler)) {
          throw new IllegalArgumentException("a video track");
        }
        sound |= "soun".equals(handler);
      }
      at += size;
    }
    if (!sound) {
      throw new IllegalArgumentException("no sound track");
    }
    if (mvhd == null) {
      return null;
    }
    int at = (int) mvhd[0];
    boolean wide = b.get(at) == 1;
    long timescale = Integer.toUnsignedLong(b.getInt(at + (wide ? 20 : 12)));
    long duration = wide ? b.getLong(at + 24) : Integer.toUnsignedLong(b.getInt(at + 16));
    return timescale == 0 || duration <= 0 ? null : duration * 1000 / timescale;
  }

  /** The content range [start, end) of the first box of {@code type} in [from, to), or null. */
  private static long[] box(ByteBuffer b, long from, long to, String type) {
    for (long at = from; at + 8 <= to; ) {
      long size = boxSize(b, at, to);
      if (type.equals(ascii(b, (int) at + 4, 4))) {
        long header = b.getInt((int) at) == 1 ? 16 : 8;
        return new long[] {at + header, at + size};
      }
      at += size;
    }
    return null;
  }

  private static long boxSize(ByteBuffer b, long at, long to) {
    long size = Integer.toUnsignedLong(b.getInt((int) at));
    if (size == 1) {
      size = b.getLong((int) at + 8);
    } else if (size == 0) {
      size = to - at;
    }
    if (size < 8 || at + size > to) {
      throw new IllegalArgumentException("a box overruns its parent");
    }
    return size;
  }

  private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
  private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};

  /** Skips an ID3v2 tag, needs two consecutive layer III frames, then Xing/Info, VBRI or CBR. */
  private static Long mp3(ByteBuffer b) {
    int at = 0;
    if ("ID3".equals(ascii(b, 0, 3))) {
      int size = (b.get(6) & 0x7F) << 21 | (b.get(7) & 0x7F) << 14 | (b.get(8) & 0x7F) << 7 | (b.get(9) & 0x7F);
      at = 10 + size + ((b.get(5) & 0x10) != 0 ? 10 : 0);
    }
    int limit = Math.min(b.limit() - 4, at + 65_536);
    while (at < limit && (frameLength(b, at) <= 0 || !followedByFrame(b, at))) {
      at++;
    }
    if (at >= limit) {
      throw new IllegalArgumentException("no MPEG audio frames");
    }
    int h2 = b.get(at + 1) & 0xFF;
    int h3 = b.get(at + 2) & 0xFF;
    boolean mpeg1 = (h2 >> 3 & 3) == 3;
    int version = h2 >> 3 & 3;
    int rate = new int[][] {{11_025, 12_000, 8_000}, {0, 0, 0}, {22_050, 24_000, 16_000}, {44_100, 48_000, 32_000}}[version][h3 >> 2 & 3];
    int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[h3 >> 4];
    int samplesPerFrame = mpeg1 ? 1152 : 576;
    boolean mono = (b.get(at + 3) >> 6 & 3) == 3;
    int xing = at + 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    String tag = ascii(b, xing, 4);
    if (("Xing".equals(tag) || "Info".equals(tag)) && (b.getInt(xing + 4) & 1) != 0) {
      return Integer.toUnsignedLong(b.getInt(xing + 8)) * samplesPerFrame * 1000 / rate;
    }
    if ("VBRI".equals(ascii(b, at + 36, 4))) {
      return Integer.toUnsignedLong(b.getInt(at + 36 + 14)) * samplesPerFrame * 1000 / rate;
    }
    long end = b.limit() >= 128 && "TAG".equals(ascii(b, b.limit() - 128, 3)) ? b.limit() - 128 : b.limit();
    return (end - at) * 8 / kbps; // bits / (kbit/s) = ms
  }

  /** The length of the layer III frame whose header is at {@code at}, or 0 if none is there. */
  private static int frameLength(ByteBuffer b, int at) {
    if (at + 4 > b.limit() || (b.get(at) & 0xFF) != 0xFF || (b.get(at + 1) & 0xE6) != 0xE2) {
      return 0;
    }
    int version = (b.get(at + 1) & 0xFF) >> 3 & 3;
    int h3 = b.get(at + 2) & 0xFF;
    int bitrateIndex = h3 >> 4;
    int rateIndex = h3 >> 2 & 3;
    if (version == 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return 0;
    }
    boolean mpeg1 = version == 3;
    int rate = new int[][] {{11_025, 12_000, 8_000}, {0, 0, 0}, {22_050, 24_000, 16_000}, {44_100, 48_000, 32_000}}[version][rateIndex];
    int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
    return (mpeg1 ? 144 : 72) * kbps * 1000 / rate + (h3 >> 1 & 1);
  }

  /** The frame at {@code at} is whole, and another starts after it unless the file ends there. */
  private static boolean followedByFrame(ByteBuffer b, int at) {
    int next = at + frameLength(b, at);
    return next <= b.limit() && (next + 4 > b.limit() || frameLength(b, next) > 0);
  }

  static String ascii(ByteBuffer b, int at, int length) {
    if (at < 0 || at + length > b.limit()) {
      return "";
    }
    byte[] bytes = new byte[length];
    b.get(at, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
