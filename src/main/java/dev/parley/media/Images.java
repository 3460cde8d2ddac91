package dev.parley.media;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image probing and thumbnails, on the media verticle's worker threads. The pixel count comes from
 * the header, before any pixel is decoded, so a decompression bomb (a small file that claims
 * 20,000 × 20,000 pixels) is refused without costing memory. Decoding is subsampled to about
 * twice the thumbnail size, so a 12-megapixel photo needs a few MiB of heap, not 48.
 */
final class Images {
  /** The contract's thumbnail bound: the longer side is at most this. */
  static final int THUMBNAIL_SIDE = 320;

  record Probe(int width, int height) {
  }

  static {
    // No disk cache for image streams: the files are local and the cache would be a temp file each.
    ImageIO.setUseCache(false);
    ImageIO.scanForPlugins();
  }

  private Images() {
  }

  /**
   * Checks the image, writes its thumbnail (JPEG, rotated per EXIF) to {@code thumbnail} and
   * answers its displayed size. A damaged or truncated image is a 415, too many pixels a 413.
   */
  static Probe probe(Path file, MediaType type, long maxPixels, Path thumbnail) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = reader(type);
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          throw damaged(type);
        }
        if ((long) width * height > maxPixels) {
          throw new Failure(ErrorCode.TOO_LARGE, String.format(Locale.ROOT,
              "the image has %d x %d pixels; at most %,d pixels are accepted", width, height, maxPixels));
        }
        int orientation = orientation(file.toFile(), type);
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(width, height) / (2 * THUMBNAIL_SIDE));
        param.setSourceSubsampling(step, step, 0, 0);
        boolean[] truncated = {false};
        reader.addIIOReadWarningListener((source, warning) -> {
          String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
          truncated[0] |= w.contains("premature end") || w.contains("truncat") || w.contains("missing eoi");
        });
        BufferedImage decoded = reader.read(0, param);
        if (truncated[0]) {
          throw new Failure(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the image is truncated");
        }
        writeJpeg(orient(scale(decoded, THUMBNAIL_SIDE), orientation), thumbnail);
        boolean turned = orientation >= 5;
        return new Probe(turned ? height : width, turned ? width : height);
      } finally {
        reader.dispose();
      }
    } catch (Failure f) {
      throw f;
    } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // Decoders throw all sorts on hostile input; none of it may escape as anything but a 415. An
      // allocation that failed here (the pixel limit should prevent it) is released with the image.
      throw damaged(type);
    }
  }

  private static Failure damaged(MediaType type) {
    return new Failure(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the file starts like " + type.mime + " but cannot be read as one");
  }

  private static ImageReader reader(MediaType type) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mime);
    if (!readers.hasNext()) {
      throw new IOException("no reader for " + type.mime);
    }
    return readers.next();
  }

  /** The EXIF orientation (1–8; 1 when absent or unreadable). */
  static int orientation(File file, MediaType type) {
    if (!chunksFit(file.toPath(), type)) {
      // metadata-extractor allocates whatever a chunk claims before reading it: a 50-byte PNG that
      // claims a 2 GiB chunk would cost 2 GiB. Such a file has no orientation worth that.
      return 1;
    }
    try {
      Metadata metadata = switch (type) {
        case JPEG -> JpegMetadataReader.readMetadata(file);
        case PNG -> PngMetadataReader.readMetadata(file);
        case WEBP -> WebpMetadataReader.readMetadata(file);
        default -> null;
      };
      ExifIFD0Directory exif = metadata == null ? null : metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
        int value = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
        return value >= 1 && value <= 8 ? value : 1;
      }
    } catch (Exception | StackOverflowError e) {
      // A damaged EXIF block only costs the rotation.
    }
    return 1;
  }

  /**
   * Whether every chunk a PNG or WebP file declares fits in the file: read from the chunk headers
   * alone (length and type, then a seek past the data), never the data. JPEG segments are at most
   * 64 KiB by their format, so a JPEG always fits.
   */
  static boolean chunksFit(Path file, MediaType type) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer header = ByteBuffer.allocate(8);
      long at;
      switch (type) {
        case PNG -> at = 8;
        case WEBP -> at = 12;
        default -> {
          return true;
        }
      }
      while (at + 8 <= size) {
        header.clear();
        channel.read(header, at);
        header.flip();
        long length = type == MediaType.PNG
            ? Integer.toUnsignedLong(header.order(ByteOrder.BIG_ENDIAN).getInt(0))
            : Integer.toUnsignedLong(header.order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        // PNG: length, type, data, CRC. WebP (RIFF): fourcc, length, data padded to an even size.
        long next = at + 8 + length + (type == MediaType.PNG ? 4 : (length & 1));
        if (next > size) {
          return false;
        }
        at = next;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Scales so the longer side is at most {@code side}, halving step by step (each step bilinear)
   * for a smooth result, onto white: JPEG has no alpha.
   */
  static BufferedImage scale(BufferedImage source, int side) {
    int w = source.getWidth();
    int h = source.getHeight();
    double factor = Math.min(1.0, (double) side / Math.max(w, h));
    int targetW = Math.max(1, (int) Math.round(w * factor));
    int targetH = Math.max(1, (int) Math.round(h * factor));
    BufferedImage current = source;
    boolean flattened = false;
    do {
      w = Math.max(targetW, w / 2 >= targetW ? w / 2 : targetW);
      h = Math.max(targetH, h / 2 >= targetH ? h / 2 : targetH);
      BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = next.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        if (!flattened) {
          g.setColor(Color.WHITE);
          g.fillRect(0, 0, w, h);
        }
        g.drawImage(current, 0, 0, w, h, null);
      } finally {
        g.dispose();
      }
      current = next;
      flattened = true;
    } while (w != targetW || h != targetH);
    return current;
  }

  /** Applies an EXIF orientation (1–8) so the image shows as the camera saw it. */
  static BufferedImage orient(BufferedImage image, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    // AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12
    AffineTransform at = switch (orientation) {
      case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored
      case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // upside down
      case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored upside down
      case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed
      case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // turn 90° clockwise
      case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed
      default -> new AffineTransform(0, -1, 1, 0, 0, w);  // 8: turn 90° counter-clockwise
    };
    boolean turned = orientation >= 5;
    BufferedImage out = new BufferedImage(turned ? h : w, turned ? w : h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, at, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static void writeJpeg(BufferedImage image, Path target) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.85f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
