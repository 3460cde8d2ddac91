package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.Uploads.Fetched;
import dev.parley.support.VoiceSamples;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Uploads over real HTTP into the media verticle, and the bytes back: types, thumbnails, limits. */
class MediaTest extends NodeTestBase {
  static final int LIMIT = 256 * 1024;

  private Uploads uploads;
  private Account alice;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> c.put("media", new JsonObject().put("maxUploadBytes", LIMIT)));
  }

  @BeforeEach
  void signIn() {
    uploads = new Uploads(api);
    alice = api.signUp("alice");
  }

  private JsonObject uploaded(Fetched reply) {
    assertEquals(201, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
    return reply.json().getJsonObject("media");
  }

  private static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  @Test
  void aPngComesBackByteForByteWithAThumbnail() throws IOException {
    byte[] png = Samples.png(Samples.halves(800, 600));
    JsonObject media = uploaded(uploads.upload(alice.token(), "sunset.png", "image/png", png));
    assertEquals("image", media.getString("kind"));
    assertEquals("image/png", media.getString("mime"));
    assertEquals(png.length, media.getLong("size"));
    assertEquals("sunset.png", media.getString("name"));
    assertEquals(800, media.getInteger("width"));
    assertEquals(600, media.getInteger("height"));
    assertEquals("/api/media/" + media.getString("id"), media.getString("url"));
    assertEquals(media.getString("url") + "/thumbnail", media.getString("thumbnailUrl"));

    Fetched bytes = uploads.get(media.getString("url"), alice.token());
    assertEquals(200, bytes.status());
    assertArrayEquals(png, bytes.body());
    assertEquals("image/png", bytes.header("Content-Type"));
    assertTrue(bytes.header("Cache-Control").startsWith("private"));
    assertEquals("nosniff", bytes.header("X-Content-Type-Options"));
    assertEquals("bytes", bytes.header("Accept-Ranges"));
    assertTrue(bytes.header("Content-Disposition").startsWith("inline"));
    String etag = bytes.header("ETag");
    assertNotNull(etag);
    assertEquals(304, uploads.get(media.getString("url"), alice.token(), Map.of("If-None-Match", etag)).status());

    Fetched thumbnail = uploads.get(media.getString("thumbnailUrl"), alice.token());
    assertEquals(200, thumbnail.status());
    assertEquals("image/jpeg", thumbnail.header("Content-Type"));
    BufferedImage small = decode(thumbnail.body());
    assertEquals(320, small.getWidth());
    assertEquals(240, small.getHeight());
  }

  @Test
  void aJpegIsTurnedAsItsExifOrientationSays() throws IOException {
    // 400 x 200, left half red, right half blue; orientation 6 = "turn 90° clockwise to show".
    byte[] jpeg = Samples.withOrientation(Samples.jpeg(Samples.halves(400, 200), 0.95f), 6);
    JsonObject media = uploaded(uploads.upload(alice.token(), "portrait.jpg", "image/jpeg", jpeg));
    assertEquals("image/jpeg", media.getString("mime"));
    assertEquals(200, media.getInteger("width"), "the displayed width");
    assertEquals(400, media.getInteger("height"));
    assertArrayEquals(jpeg, uploads.get(media.getString("url"), alice.token()).body(), "the original is untouched");

    BufferedImage thumbnail = decode(uploads.get(media.getString("thumbnailUrl"), alice.token()).body());
    assertEquals(160, thumbnail.getWidth());
    assertEquals(320, thumbnail.getHeight());
    int top = thumbnail.getRGB(80, 40);
    int bottom = thumbnail.getRGB(80, 280);
    assertTrue((top >> 16 & 0xFF) > 200 && (top & 0xFF) < 60, "the left (red) half is now on top: " + Integer.toHexString(top));
    assertTrue((bottom & 0xFF) > 200 && (bottom >> 16 & 0xFF) < 60, "the blue half below: " + Integer.toHexString(bottom));
  }

  @Test
  void aLosslessWebpAndAGifAreImagesToo() throws IOException {
    byte[] webp = Samples.webp(64, 48, 0xFF00FF00);
    JsonObject media = uploaded(uploads.upload(alice.token(), "green.webp", "image/webp", webp));
    assertEquals("image/webp", media.getString("mime"));
    assertEquals(64, media.getInteger("width"));
    assertEquals(48, media.getInteger("height"));
    BufferedImage thumbnail = decode(uploads.get(media.getString("thumbnailUrl"), alice.token()).body());
    assertEquals(64, thumbnail.getWidth(), "small images are not enlarged");
    assertTrue((thumbnail.getRGB(10, 10) >> 8 & 0xFF) > 200, "green");

    JsonObject animated = uploaded(uploads.upload(alice.token(), "halves.gif", null, Samples.gif(Samples.halves(100, 50))));
    assertEquals("image/gif", animated.getString("mime"));
    assertEquals(100, animated.getInteger("width"));
  }

  @Test
  void voiceClipsKnowHowLongTheyAre() {
    assertVoice("note.ogg", "audio/ogg", VoiceSamples.oggOpus(50), "audio/ogg", 1000);
    assertVoice("note.webm", "audio/webm;codecs=opus", VoiceSamples.webmOpus(50, false), "audio/webm", 1000);
    assertVoice("blob", "audio/webm", VoiceSamples.webmOpus(50, true), "audio/webm", 1000);
    assertVoice("note.wav", "audio/wav", VoiceSamples.wav(1000), "audio/wav", 1000);
    assertVoice("note.mp3", "audio/mpeg", VoiceSamples.mp3(38), "audio/mpeg", 38 * 1152 * 1000 / 44100);
    assertVoice("note.m4a", "audio/mp4", VoiceSamples.mp4("soun", 1500), "audio/mp4", 1500);

    Fetched video = uploads.upload(alice.token(), "clip.mp4", "video/mp4", VoiceSamples.mp4("vide", 1500));
    assertEquals(415, video.status(), "video is not voice");
  }

  private void assertVoice(String name, String declared, byte[] bytes, String mime, long durationMs) {
    JsonObject media = uploaded(uploads.upload(alice.token(), name, declared, bytes));
    assertEquals("voice", media.getString("kind"), name);
    assertEquals(mime, media.getString("mime"), name);
    assertEquals(durationMs, media.getLong("durationMs"), name);
    assertNull(media.getString("thumbnailUrl"), name);
    assertArrayEquals(bytes, uploads.get(media.getString("url"), alice.token()).body(), name);
  }

  @Test
  void aPictureWhoseNameOrDeclaredTypeDisagreesIsTypedByItsBytes() {
    byte[] png = Samples.png(Samples.halves(10, 10));
    JsonObject renamed = uploaded(uploads.upload(alice.token(), "IMG_0001.jpg", "image/jpeg", png));
    assertEquals("image", renamed.getString("kind"));
    assertEquals("image/png", renamed.getString("mime"), "what the bytes are");
    assertEquals("IMG_0001.jpg", renamed.getString("name"), "the name is the user's");
    assertEquals(10, renamed.getInteger("width"));
    assertNotNull(renamed.getString("thumbnailUrl"));
    Fetched download = uploads.get(renamed.getString("url"), alice.token());
    assertEquals("image/png", download.header("Content-Type"));
    assertArrayEquals(png, download.body());

    JsonObject undeclared = uploaded(uploads.upload(alice.token(), "photo", "application/octet-stream", png));
    assertEquals("image/png", undeclared.getString("mime"));
    JsonObject voiceNamedAsPicture = uploaded(uploads.upload(alice.token(), "voice.png", "image/png", VoiceSamples.wav(1000)));
    assertEquals("voice", voiceNamedAsPicture.getString("kind"), "a recording is voice whatever it is called");
  }

  @Test
  void theBytesDecideTheTypeNotTheNameOrTheDeclaredType() {
    byte[] text = "just some notes\n".getBytes(StandardCharsets.UTF_8);
    Fetched renamed = uploads.upload(alice.token(), "notes.png", "image/png", text);
    assertEquals(415, renamed.status());
    assertEquals("unsupported_media_type", renamed.errorCode());
    assertEquals(415, uploads.upload(alice.token(), "notes.png", null, text).status(), "the name alone contradicts");
    assertEquals(415, uploads.upload(alice.token(), "notes.jpg", "image/jpeg", text).status(), "text pretending to be a picture");
    assertEquals(415, uploads.upload(alice.token(), "notes", "audio/ogg", text).status(), "text declared as voice");
    assertEquals(415, uploads.upload(alice.token(), "notes.pdf", null, text).status(), "text named as a document");

    JsonObject notes = uploaded(uploads.upload(alice.token(), "notes.txt", "text/plain", text));
    assertEquals("file", notes.getString("kind"));
    assertEquals("text/plain; charset=utf-8", notes.getString("mime"));
    Fetched download = uploads.get(notes.getString("url"), alice.token());
    assertTrue(download.header("Content-Disposition").startsWith("attachment; filename=\"notes.txt\""));
    assertArrayEquals(text, download.body());

    for (String markup : new String[] {"<!DOCTYPE html><script>alert(1)</script>", "  <svg xmlns='http://www.w3.org/2000/svg'/>",
        "<?xml version='1.0'?><x/>", "#!/bin/sh\nrm -rf /\n"}) {
      assertEquals(415, uploads.upload(alice.token(), "page.txt", "text/plain", markup.getBytes(StandardCharsets.UTF_8)).status(), markup);
    }
    assertEquals(415, uploads.upload(alice.token(), "page.html", "text/html", "hello".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(415, uploads.upload(alice.token(), "app.js", null, "alert(1)".getBytes(StandardCharsets.UTF_8)).status());
    byte[] binary = new byte[512];
    new java.util.Random(7).nextBytes(binary);
    binary[0] = 0x13;
    assertEquals(415, uploads.upload(alice.token(), "blob.bin", null, binary).status(), "unknown binary");

    JsonObject pdf = uploaded(uploads.upload(alice.token(), "paper.pdf", "application/pdf",
        "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals("application/pdf", pdf.getString("mime"));
    assertTrue(uploads.get(pdf.getString("url"), alice.token()).header("Content-Disposition").startsWith("attachment"));
  }

  @Test
  void theUploadNeedsAUserAMultipartBodyAndOneFileField() {
    byte[] png = Samples.png(Samples.halves(8, 8));
    assertEquals(401, uploads.upload(null, "a.png", "image/png", png).status());
    assertEquals(400, uploads.upload(alice.token(), "other", "a.png", "image/png", png).status());
    Fetched json = uploads.exchange(io.vertx.core.http.HttpMethod.POST, "/api/media", alice.token(),
        Map.of("Content-Type", "application/json"), io.vertx.core.buffer.Buffer.buffer("{}"));
    assertEquals(415, json.status());
    assertEquals(400, uploads.upload(alice.token(), "empty.txt", "text/plain", new byte[0]).status());
    JsonObject named = uploaded(uploads.upload(alice.token(), "../../etc/\u202Egnp.txt", null, "x".getBytes(StandardCharsets.UTF_8)));
    assertEquals("gnp.txt", named.getString("name"), "no folders, no direction overrides");
  }

  @Test
  void pastTheLimitIs413AndLeavesNothingOnDisk() throws IOException {
    byte[] atLimit = new byte[LIMIT];
    Arrays.fill(atLimit, (byte) 'a');
    uploaded(uploads.upload(alice.token(), "full.txt", "text/plain", atLimit));
    long filed = mediaFiles();

    byte[] over = Arrays.copyOf(atLimit, LIMIT + 1);
    over[LIMIT] = 'a';
    Fetched refused = uploads.upload(alice.token(), "over.txt", "text/plain", over);
    assertEquals(413, refused.status());
    assertEquals("too_large", refused.errorCode());
    Fetched announced = uploads.upload(alice.token(), "huge.txt", "text/plain", new byte[LIMIT * 2]);
    assertEquals(413, announced.status(), "refused by its Content-Length, unread");
    assertEquals(0, files(node.dataDir().resolve("media/uploads")), "no partial upload is left");
    assertEquals(filed, mediaFiles(), "and nothing was filed");
    assertEquals(201, uploads.upload(alice.token(), "ok.txt", "text/plain", "fine".getBytes(StandardCharsets.UTF_8)).status());
  }

  static long files(java.nio.file.Path dir) throws IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return 0;
    }
    try (var stream = java.nio.file.Files.walk(dir)) {
      return stream.filter(java.nio.file.Files::isRegularFile).count();
    }
  }

  private long mediaFiles() throws IOException {
    return files(node.dataDir().resolve("media")) - files(node.dataDir().resolve("media/uploads"));
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeader() {
    Fetched bomb = uploads.upload(alice.token(), "bomb.png", "image/png", Samples.pngHeaderOnly(20_000, 20_000));
    assertEquals(413, bomb.status());
    assertTrue(bomb.json().getJsonObject("error").getString("message").contains("20000 x 20000"),
        "refused for its pixel count, before decoding: " + bomb.json());
    assertEquals(201, uploads.upload(alice.token(), "fine.png", "image/png", Samples.png(Samples.halves(20, 20))).status());
  }

  @Test
  void aTruncatedJpegIs415AndTheServerGoesOn() {
    byte[] jpeg = Samples.jpeg(Samples.photo(640, 480, 2), 0.9f);
    Fetched truncated = uploads.upload(alice.token(), "cut.jpg", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2));
    assertEquals(415, truncated.status());
    assertEquals("unsupported_media_type", truncated.errorCode());
    Fetched garbage = uploads.upload(alice.token(), "junk.jpg", "image/jpeg", Samples.withOrientation(new byte[] {(byte) 0xFF,
        (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3, 4, 5, 6, 7}, 3));
    assertEquals(415, garbage.status());
    assertEquals(201, uploads.upload(alice.token(), "whole.jpg", "image/jpeg", jpeg).status());
  }

  @Test
  @Timeout(20)
  void hostileVoiceFilesAre415AndTheMediaWorkerGoesOn() {
    Fetched wrapping = uploads.upload(alice.token(), "loop.wav", "audio/wav", VoiceSamples.wavWithWrappingChunk());
    assertEquals(415, wrapping.status(), "a chunk size that would wrap the position back");
    Fetched deep = uploads.upload(alice.token(), "deep.webm", "audio/webm", VoiceSamples.webmNestedTracks(50_000));
    assertEquals(415, deep.status(), "track entries nested 50,000 deep");
    assertVoice("after.wav", "audio/wav", VoiceSamples.wav(500), "audio/wav", 500);
  }

  @Test
  void rangesGive206WithTheRightBytes() {
    byte[] wav = VoiceSamples.wav(500);
    JsonObject media = uploaded(uploads.upload(alice.token(), "clip.wav", "audio/wav", wav));
    String url = media.getString("url");
    Fetched middle = uploads.get(url, alice.token(), Map.of("Range", "bytes=10-109"));
    assertEquals(206, middle.status());
    assertEquals("bytes 10-109/" + wav.length, middle.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(wav, 10, 110), middle.body());
    Fetched tail = uploads.get(url, alice.token(), Map.of("Range", "bytes=-16"));
    assertEquals(206, tail.status());
    assertArrayEquals(Arrays.copyOfRange(wav, wav.length - 16, wav.length), tail.body());
    Fetched open = uploads.get(url, alice.token(), Map.of("Range", "bytes=" + (wav.length - 4) + "-"));
    assertArrayEquals(Arrays.copyOfRange(wav, wav.length - 4, wav.length), open.body());
    Fetched outside = uploads.get(url, alice.token(), Map.of("Range", "bytes=" + wav.length + "-"));
    assertEquals(416, outside.status());
    assertEquals("bytes */" + wav.length, outside.header("Content-Range"));
    Fetched stale = uploads.get(url, alice.token(), Map.of("Range", "bytes=0-9", "If-Range", "\"another\""));
    assertEquals(200, stale.status(), "If-Range for another version: the whole file");
    assertFalse(stale.headers().containsKey("content-range"));
  }
}
