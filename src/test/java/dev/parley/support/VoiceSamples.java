package dev.parley.support;

import static dev.parley.support.Samples.ascii;
import static dev.parley.support.Samples.concat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Voice clips built byte by byte: Ogg/Opus and WebM/Opus as a browser records them (20 ms Opus
 * frames; the WebM live-style, with clusters of unknown size and no Duration), WAV, MP3 (with a
 * Xing "Info" header) and an MP4 with one sound track. Each lasts about one second.
 */
public final class VoiceSamples {
  /** An Opus packet: TOC config 31 (CELT, 20 ms), mono, one frame of zero bytes ("no data"). */
  private static final byte OPUS_20MS = (byte) 0xF8;
  private static final int PRE_SKIP = 312;

  private VoiceSamples() {
  }

  private static byte[] opusHead() {
    return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put(ascii("OpusHead")).put((byte) 1).put((byte) 1)
        .putShort((short) PRE_SKIP).putInt(48_000).putShort((short) 0).put((byte) 0).array();
  }

  /** {@code frames} × 20 ms of Opus in Ogg (1 s for 50). */
  public static byte[] oggOpus(int frames) {
    byte[] vendor = ascii("parley-test");
    byte[] tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN)
        .put(ascii("OpusTags")).putInt(vendor.length).put(vendor).putInt(0).array();
    byte[][] packets = new byte[frames][];
    for (int i = 0; i < frames; i++) {
      packets[i] = new byte[] {OPUS_20MS};
    }
    return concat(oggPage(0x02, 0, 0, new byte[][] {opusHead()}), oggPage(0, 0, 1, new byte[][] {tags}),
        oggPage(0x04, PRE_SKIP + frames * 960L, 2, packets));
  }

  private static byte[] oggPage(int flags, long granule, int sequence, byte[][] packets) {
    ByteArrayOutputStream lacing = new ByteArrayOutputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] packet : packets) {
      int left = packet.length;
      while (left >= 255) {
        lacing.write(255);
        left -= 255;
      }
      lacing.write(left);
      body.writeBytes(packet);
    }
    ByteBuffer page = ByteBuffer.allocate(27 + lacing.size() + body.size()).order(ByteOrder.LITTLE_ENDIAN);
    page.put(ascii("OggS")).put((byte) 0).put((byte) flags).putLong(granule).putInt(0x5EED).putInt(sequence).putInt(0)
        .put((byte) lacing.size()).put(lacing.toByteArray()).put(body.toByteArray());
    byte[] bytes = page.array();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(22, oggCrc(bytes));
    return bytes;
  }

  /** Ogg's CRC-32: polynomial 0x04C11DB7, no reflection, initial value 0. */
  private static int oggCrc(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xFF) << 24;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
    }
    return crc;
  }

  /** {@code frames} × 20 ms of Opus in WebM, in two clusters; Info/Duration only if asked. */
  public static byte[] webmOpus(int frames, boolean withDuration) {
    byte[] header = element(0x1A45DFA3, concat(element(0x4286, uint(1)), element(0x42F7, uint(1)),
        element(0x42F2, uint(4)), element(0x42F3, uint(8)), element(0x4282, ascii("webm")),
        element(0x4287, uint(4)), element(0x4285, uint(2))));
    byte[] info = element(0x1549A966, concat(element(0x2AD7B1, uint(1_000_000)), element(0x4D80, ascii("parley-test")),
        element(0x5741, ascii("parley-test")),
        withDuration ? element(0x4489, ByteBuffer.allocate(8).putDouble(frames * 20.0).array()) : new byte[0]));
    byte[] audio = element(0xE1, concat(element(0xB5, ByteBuffer.allocate(8).putDouble(48_000).array()), element(0x9F, uint(1))));
    byte[] tracks = element(0x1654AE6B, element(0xAE, concat(element(0xD7, uint(1)), element(0x73C5, uint(1)),
        element(0x83, uint(2)), element(0x86, ascii("A_OPUS")), element(0x63A2, opusHead()), audio)));
    int half = frames / 2;
    byte[] segment = concat(info, tracks, cluster(0, 0, half), cluster(half * 20, half, frames));
    return concat(header, id(0x18538067), new byte[] {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF}, segment);
  }

  /** A WebM whose Tracks hold track entries nested {@code depth} deep (each of unknown size): hostile input. */
  public static byte[] webmNestedTracks(int depth) {
    byte[] header = element(0x1A45DFA3, concat(element(0x4282, ascii("webm"))));
    ByteArrayOutputStream nested = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      nested.writeBytes(new byte[] {(byte) 0xAE, (byte) 0xFF});
    }
    byte[] unknownSize = {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    return concat(header, id(0x18538067), unknownSize, id(0x1654AE6B), unknownSize, nested.toByteArray());
  }

  /** A WAV whose first chunk claims a size just under 4 GiB, which wraps a 32-bit position back to the start. */
  public static byte[] wavWithWrappingChunk() {
    return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).put(ascii("RIFF")).putInt(12).put(ascii("WAVE"))
        .put(ascii("JUNK")).putInt(0xFFFFFFF8).array();
  }

  /** A cluster of unknown size, as MediaRecorder writes them. */
  private static byte[] cluster(int timecode, int from, int to) {
    ByteArrayOutputStream blocks = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      int relative = (i - from) * 20;
      blocks.writeBytes(element(0xA3, new byte[] {(byte) 0x81, (byte) (relative >> 8), (byte) relative, (byte) 0x80, OPUS_20MS}));
    }
    return concat(id(0x1F43B675), new byte[] {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF}, element(0xE7, uint(timecode)), blocks.toByteArray());
  }

  private static byte[] element(int id, byte[] payload) {
    ByteBuffer size = ByteBuffer.allocate(8).putLong(payload.length);
    byte[] vint = size.array();
    vint[0] = 0x01; // an 8-byte size
    return concat(id(id), vint, payload);
  }

  private static byte[] id(int id) {
    int length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (id >> (8 * (length - 1 - i)));
    }
    return bytes;
  }

  private static byte[] uint(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** {@code ms} of 8 kHz 16-bit mono silence. */
  public static byte[] wav(int ms) {
    int data = 8_000 * 2 * ms / 1000;
    return ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN).put(ascii("RIFF")).putInt(36 + data).put(ascii("WAVE"))
        .put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8_000).putInt(16_000)
        .putShort((short) 2).putShort((short) 16).put(ascii("data")).putInt(data).array();
  }

  /** {@code frames} MPEG-1 layer III frames (128 kbit/s, 44.1 kHz), the first an "Info" header. */
  public static byte[] mp3(int frames) {
    ByteBuffer out = ByteBuffer.allocate(417 * frames);
    for (int i = 0; i < frames; i++) {
      int at = i * 417;
      out.put(at, (byte) 0xFF).put(at + 1, (byte) 0xFB).put(at + 2, (byte) 0x90).put(at + 3, (byte) 0x00);
    }
    out.put(36, ascii("Info")).putInt(40, 1).putInt(44, frames);
    return out.array();
  }

  /** An MP4 (M4A) with one track of handler {@code handler} ("soun" or "vide") lasting {@code ms}. */
  public static byte[] mp4(String handler, int ms) {
    byte[] ftyp = box("ftyp", concat(ascii("M4A "), new byte[4], ascii("M4A isom")));
    ByteBuffer mvhd = ByteBuffer.allocate(100);
    mvhd.putInt(0).putInt(0).putInt(0).putInt(1000).putInt(ms).putInt(0x00010000).putShort((short) 0x0100);
    byte[] hdlr = concat(new byte[8], ascii(handler), new byte[12], ascii("Handler\0"));
    byte[] trak = box("trak", box("mdia", box("hdlr", hdlr)));
    return concat(ftyp, box("moov", concat(box("mvhd", mvhd.array()), trak)), box("mdat", new byte[64]));
  }

  private static byte[] box(String type, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length).put(ascii(type)).put(payload).array();
  }
}
