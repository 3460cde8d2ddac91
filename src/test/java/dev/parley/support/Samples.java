package dev.parley.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Real media files made in the test, byte by byte where no Java library writes the format: PNG
 * and JPEG through ImageIO (a JPEG with an EXIF orientation spliced in), a lossless WebP, and
 * voice clips in Ogg/Opus, WebM/Opus, WAV, MP3 and MP4 containers. The audio packets are Opus
 * "no data" frames and silent PCM/MP3 frames: valid containers whose headers say how long they are.
 */
public final class Samples {
  private Samples() {
  }

  /** An image whose left half is red and right half blue, so a rotation shows. */
  public static BufferedImage halves(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(Color.BLUE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return image;
  }

  /** A photo-like image: gradients and noise, so it compresses like a real photo. */
  public static BufferedImage photo(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / width + random.nextInt(32)) & 0xFF;
        int gr = (y * 255 / height + random.nextInt(32)) & 0xFF;
        int b = ((x + y) * 255 / (width + height) + random.nextInt(32)) & 0xFF;
        image.setRGB(x, y, r << 16 | gr << 8 | b);
      }
    }
    return image;
  }

  public static byte[] png(BufferedImage image) {
    return write(image, "png");
  }

  public static byte[] gif(BufferedImage image) {
    return write(image, "gif");
  }

  public static byte[] jpeg(BufferedImage image, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JPEG with an EXIF APP1 segment (IFD0 Orientation) right after its SOI marker. */
  public static byte[] withOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.BIG_ENDIAN);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff.array());
    ByteBuffer app1 = ByteBuffer.allocate(4 + exif.length);
    app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + exif.length)).put(exif);
    return concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, app1.array(), java.util.Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  /**
   * A PNG whose header claims {@code width × height} pixels but whose data is a few bytes: what a
   * decompression bomb looks like before anyone decodes it.
   */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[64]);
    deflater.finish();
    byte[] idat = new byte[128];
    int n = deflater.deflate(idat);
    return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, chunk("IHDR", ihdr.array()),
        chunk("IDAT", java.util.Arrays.copyOf(idat, n)), chunk("IEND", new byte[0]));
  }

  private static byte[] chunk(String type, byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.ISO_8859_1));
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1))
        .put(data).putInt((int) crc.getValue()).array();
  }

  /** A lossless WebP (VP8L) of one colour: five one-symbol prefix codes, so no pixel costs a bit. */
  public static byte[] webp(int width, int height, int argb) {
    Bits bits = new Bits();
    bits.put(0x2F, 8).put(width - 1, 14).put(height - 1, 14).put(0, 1).put(0, 3);
    bits.put(0, 1).put(0, 1).put(0, 1); // no transform, no colour cache, no meta prefix codes
    for (int value : new int[] {argb >> 8 & 0xFF, argb >> 16 & 0xFF, argb & 0xFF, argb >>> 24}) {
      bits.put(1, 1).put(0, 1).put(1, 1).put(value, 8); // green, red, blue, alpha: one 8-bit symbol
    }
    bits.put(1, 1).put(0, 1).put(0, 1).put(0, 1); // distance: one 1-bit symbol, 0
    // Trailing zero bytes: unused by the image, but TwelveMonkeys reads its bits 64 at a time.
    byte[] data = java.util.Arrays.copyOf(bits.bytes(), 32);
    int padded = data.length + (data.length & 1);
    ByteBuffer riff = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
    riff.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(12 + padded).put("WEBP".getBytes(StandardCharsets.ISO_8859_1))
        .put("VP8L".getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length).put(data);
    return riff.array();
  }

  /** Bits packed least significant first, as VP8L reads them. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    Bits put(int value, int count) {
      for (int i = 0; i < count; i++) {
        current |= (value >> i & 1) << used;
        if (++used == 8) {
          out.write(current);
          current = 0;
          used = 0;
        }
      }
      return this;
    }

    byte[] bytes() {
      if (used > 0) {
        out.write(current);
        current = 0;
        used = 0;
      }
      return out.toByteArray();
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
