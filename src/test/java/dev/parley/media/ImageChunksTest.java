package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A picture whose chunk claims more bytes than the file has: the EXIF reader would allocate what
 * the chunk claims (2 GiB for a 50-byte upload), so the orientation is not read from it at all.
 */
class ImageChunksTest {
  private static byte[] png() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  /** The PNG with an {@code eXIf} chunk that claims {@code length} bytes inserted before IEND (the last 12 bytes). */
  private static byte[] withExifClaiming(byte[] png, int length) {
    int iend = png.length - 12;
    ByteBuffer chunk = ByteBuffer.allocate(8).putInt(length).put("eXIf".getBytes(StandardCharsets.US_ASCII));
    byte[] out = Arrays.copyOf(png, png.length + 8);
    System.arraycopy(chunk.array(), 0, out, iend, 8);
    System.arraycopy(png, iend, out, iend + 8, 12);
    return out;
  }

  @Test
  void aChunkClaimingMoreThanTheFileIsNotReadAndCostsNoOrientation(@TempDir Path dir) throws IOException {
    Path honest = Files.write(dir.resolve("honest.png"), png());
    assertTrue(Images.chunksFit(honest, MediaType.PNG), "every chunk of a real PNG fits");

    Path hostile = Files.write(dir.resolve("hostile.png"), withExifClaiming(png(), 0x7FFF_FFF0));
    assertFalse(Images.chunksFit(hostile, MediaType.PNG), "a chunk that claims 2 GiB in a tiny file does not fit");
    assertEquals(1, Images.orientation(hostile.toFile(), MediaType.PNG), "no orientation read from it");
  }

  @Test
  void aJpegAlwaysFitsItsSegmentsAreSmall(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "jpg", out);
    assertTrue(Images.chunksFit(Files.write(dir.resolve("a.jpg"), out.toByteArray()), MediaType.JPEG));
  }
}
