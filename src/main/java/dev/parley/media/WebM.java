package dev.parley.media;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * WebM (EBML) voice clips: the DocType must be {@code webm}, the tracks audio only, and the
 * duration is the Info element's {@code Duration} when present and above zero. Browsers'
 * MediaRecorder writes live WebM (Chromium when recording with a timeslice, Firefox always) with
 * clusters of unknown size and no Duration, or Firefox's placeholder 0.0, so otherwise the clusters
 * are walked to the last block's timestamp, plus that block's own length when it is Opus (from its
 * TOC byte). By hand because metadata-extractor has no WebM reader. Nothing here recurses.
 */
final class WebM {
  private static final long EBML = 0x1A45DFA3L;
  private static final long DOC_TYPE = 0x4282L;
  private static final long SEGMENT = 0x18538067L;
  private static final long INFO = 0x1549A966L;
  private static final long TIMECODE_SCALE = 0x2AD7B1L;
  private static final long DURATION = 0x4489L;
  private static final long TRACKS = 0x1654AE6BL;
  private static final long TRACK_ENTRY = 0xAEL;
  private static final long TRACK_TYPE = 0x83L;
  private static final long CODEC_ID = 0x86L;
  private static final long CLUSTER = 0x1F43B675L;
  private static final long CLUSTER_TIMECODE = 0xE7L;
  private static final long SIMPLE_BLOCK = 0xA3L;
  private static final long BLOCK_GROUP = 0xA0L;
  private static final long BLOCK = 0xA1L;
  /** Elements that live directly in a Segment: one of them ends a cluster of unknown size. */
  private static final Set<Long> SEGMENT_CHILDREN = Set.of(0x114D9B74L, INFO, TRACKS, CLUSTER, 0x1C53BB6BL,
      0x1941A469L, 0x1043A770L, 0x1254C367L);

  private final ByteBuffer b;
  private int at;
  private long scale = 1_000_000;
  private Double duration;
  private boolean audio;
  private boolean opus;
  private long lastBlock = -1;
  private int lastBlockAt = -1;

  private WebM(ByteBuffer b) {
    this.b = b;
  }

  static Long probe(ByteBuffer b) {
    return new WebM(b).run();
  }

  private Long run() {
    if (id() != EBML) {
      throw new IllegalArgumentException("not EBML");
    }
    long headerEnd = end(size());
    String docType = null;
    while (at < headerEnd) {
      long id = id();
      long end = end(size());
      if (id == DOC_TYPE) {
        docType = Audio.ascii(b, at, (int) (end - at)).replace("\0", "");
      }
      at = (int) end;
    }
    if (!"webm".equals(docType) || id() != SEGMENT) {
      throw new IllegalArgumentException("not a WebM segment");
    }
    long segmentEnd = end(size());
    while (at < segmentEnd && at + 2 <= b.limit()) {
      long id = id();
      long size = size();
      long end = end(size);
      if (id == INFO || id == TRACKS) {
        children(end);
      } else if (id == CLUSTER) {
        cluster(size < 0 ? Long.MAX_VALUE : end);
        continue;
      }
      if (size < 0) {
        break; // an unknown-size element we do not read: nothing after it can be found
      }
      at = (int) end;
    }
    if (!audio) {
      throw new IllegalArgumentException("no audio track");
    }
    if (duration != null && duration > 0) { // Firefox writes 0.0 as a placeholder it never fills in
      return Math.round(duration * scale / 1e6);
    }
    return lastBlock < 0 ? null : lastBlock * scale / 1_000_000 + lastFrameMs();
  }

  /**
   * Info and Tracks: reads the values it knows, refuses video tracks. A TrackEntry is stepped into
   * in the same loop, not read by a call of its own: nesting in a crafted file (a real one nests
   * one level) costs nothing but iterations, and nothing here recurses.
   */
  private void children(long end) {
    while (at < end) {
      long id = id();
      long size = size();
      long childEnd = end(size);
      if (id == TRACK_ENTRY) {
        continue; // step into it: its TrackType and CodecID are read like siblings
      } else if (size < 0) {
        throw new IllegalArgumentException("an element of unknown size in Info or a TrackEntry"); // Matroska allows none
      } else if (id == TIMECODE_SCALE) {
        scale = uint(childEnd);
      } else if (id == DURATION) {
        duration = size == 4 ? (double) b.getFloat(at) : b.getDouble(at);
      } else if (id == TRACK_TYPE) {
        long type = uint(childEnd);
        if (type == 1) {
          throw new IllegalArgumentException("a video track");
        }
        audio |= type == 2;
      } else if (id == CODEC_ID) {
        // Up to the element's end, not its size: that may reach past the file (and past an int).
        opus |= Audio.ascii(b, at, (int) (childEnd - at)).startsWith("A_OPUS");
      }
      at = (int) childEnd;
    }
  }

  /** A cluster's blocks: remembers the latest block time. Stops at the next Segment child. */
  private void cluster(long end) {
    long timecode = 0;
    while (at < Math.min(end, b.limit()) && at + 2 <= b.limit()) {
      int start = at;
      long id = id();
      if (end == Long.MAX_VALUE && SEGMENT_CHILDREN.contains(id)) {
        at = start;
        return;
      }
      long size = size();
      long childEnd = end(size);
      if (id == CLUSTER_TIMECODE) {
        timecode = uint(childEnd);
      } else if (id == SIMPLE_BLOCK || id == BLOCK) {
        block(timecode);
      } else if (id == BLOCK_GROUP) {
        continue; // step into it: its Block is read like a SimpleBlock
      }
      at = (int) childEnd;
    }
    at = (int) Math.min(end, b.limit());
  }

  private void block(long clusterTime) {
    int start = at;
    vint(false); // track number
    long time = clusterTime + b.getShort(at);
    if (time >= lastBlock) {
      lastBlock = time;
      boolean laced = (b.get(at + 2) & 0x06) != 0;
      lastBlockAt = laced ? -1 : at + 3;
    }
    at = start;
  }

  /** An Opus packet's length from its TOC byte (RFC 6716 §3.1); 0 for other codecs. */
  private long lastFrameMs() {
    if (!opus || lastBlockAt < 0 || lastBlockAt >= b.limit()) {
      return 0;
    }
    int toc = b.get(lastBlockAt) & 0xFF;
    int config = toc >> 3;
    double frameMs = config < 12 ? new double[] {10, 20, 40, 60}[config & 3]
        : config < 16 ? new double[] {10, 20}[config & 1]
        : new double[] {2.5, 5, 10, 20}[config & 3];
    int frames = switch (toc & 3) {
      case 0 -> 1;
      case 3 -> lastBlockAt + 1 < b.limit() ? b.get(lastBlockAt + 1) & 0x3F : 1;
      default -> 2;
    };
    return Math.round(frameMs * frames);
  }

  private long id() {
    return vint(true);
  }

  /** A size; -1 for "unknown" (all value bits set). */
  private long size() {
    return vint(false);
  }

  private long vint(boolean keepMarker) {
    int first = b.get(at) & 0xFF;
    int length = Integer.numberOfLeadingZeros(first) - 23;
    if (length < 1 || length > 8) {
      throw new IllegalArgumentException("bad EBML number");
    }
    long value = keepMarker ? first : first & (0xFF >> length);
    boolean allOnes = value == (0xFF >> length);
    for (int i = 1; i < length; i++) {
      int next = b.get(at + i) & 0xFF;
      allOnes &= next == 0xFF;
      value = value << 8 | next;
    }
    at += length;
    return !keepMarker && allOnes ? -1 : value;
  }

  private long end(long size) {
    return size < 0 ? b.limit() : Math.min((long) at + size, b.limit());
  }

  private long uint(long end) {
    long value = 0;
    for (int i = at; i < end; i++) {
      value = value << 8 | (b.get(i) & 0xFF);
    }
    return value;
  }
}
