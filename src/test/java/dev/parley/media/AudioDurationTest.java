package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.drew.imaging.wav.WavMetadataReader;
import com.drew.metadata.wav.WavDirectory;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.support.VoiceSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The voice parsers ({@link Audio}, {@link WebM}) on real recordings: what Chromium's and Firefox's
 * MediaRecorder write and what ffmpeg, LAME and sox make (src/test/resources/media/README.md says
 * how each was made and how its length was measured). Each is sniffed like an upload, then
 * probed; the durations must match the measured ones. Then the refusals: video, files cut short,
 * files that start like a type but are not, and hostile nesting, each a 415 and never a crash.
 */
class AudioDurationTest {
  /** Within one 20 ms Opus frame, or less than one MP3 frame. */
  private static final long TOLERANCE_MS = 25;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}: {2} ms")
  @CsvSource({
      // Browsers' MediaRecorder, 2 s from the fake microphone.
      "chromium-webm-opus.webm,           WEBM, 1920", // its Duration element: the last block's start
      "chromium-webm-opus-timeslice.webm, WEBM, 1980", // no Duration, unknown-size clusters: last block + its 60 ms
      "chromium-mp4-opus.m4a,             MP4,  1941", // fragmented MP4: mvhd
      "firefox-ogg-opus.ogg,              OGG,  2003",
      "firefox-webm-opus.webm,            WEBM, 2019", // Duration 0.0 (a placeholder): last block + its 20 ms
      // Common tools.
      "sox-pcm-8k-mono.wav,               WAV,   750",
      "lame-cbr-info.mp3,                 MP3,  2064", // MPEG-2 (22.05 kHz), ID3v2 tag, Info header
      "lame-vbr-xing.mp3,                 MP3,  2064", // MPEG-2, ID3v2 tag, Xing header
      "lame-cbr-no-header.mp3,            MP3,  2052", // MPEG-1 (32 kHz), no tag, no header: from the bit rate
      "ffmpeg-vorbis.ogg,                 OGG,  2000",
      "ffmpeg-opus.ogg,                   OGG,  2000",
      "ffmpeg-opus.webm,                  WEBM, 2000",
      "ffmpeg-aac.m4a,                    MP4,  2000",
  })
  void recordingsKnowHowLongTheyAre(String name, MediaType type, long expectedMs) throws IOException {
    byte[] bytes = sample(name);
    assertEquals(type, Sniffer.sniff(bytes, Math.min(bytes.length, Sniffer.HEAD)), name + " is sniffed as " + type);
    Long ms = Audio.probe(write(name, bytes), type);
    assertNotNull(ms, name + " has a duration");
    assertTrue(Math.abs(ms - expectedMs) <= TOLERANCE_MS, name + ": " + ms + " ms, expected " + expectedMs);
  }

  @Test
  void aWavKeepsItsMilliseconds() throws Exception {
    Path wav = write("sox.wav", sample("sox-pcm-8k-mono.wav"));
    assertEquals(750L, Audio.probe(wav, MediaType.WAV));
    // Why WAV is read by hand (see Audio): metadata-extractor rounds to whole seconds. Should an
    // upgrade change that, this fails, and Audio could use the library for WAV.
    WavDirectory library = WavMetadataReader.readMetadata(wav.toFile()).getFirstDirectoryOfType(WavDirectory.class);
    assertEquals("00:00:01", library.getString(WavDirectory.TAG_DURATION));
  }

  @Test
  void anMp4WithAVideoTrackIsRefused() {
    assertRefused("ffmpeg-h264-aac-video.mp4", MediaType.MP4, sample("ffmpeg-h264-aac-video.mp4"));
  }

  @Test
  void anMp4WithoutASoundTrackIsRefused() {
    assertRefused("text.m4a", MediaType.MP4, VoiceSamples.mp4("text", 1000));
  }

  @Test
  void aWebmWithAVideoTrackIsRefused() {
    byte[] video = sample("chromium-webm-opus.webm");
    int trackType = indexOf(video, new byte[] {(byte) 0x83, (byte) 0x81, 0x02}); // TrackType, size 1, audio
    video[trackType + 2] = 1; // video
    assertRefused("video.webm", MediaType.WEBM, video);
  }

  @Test
  void filesCutInsideTheirHeadersAreRefused() {
    assertRefused("cut.wav", MediaType.WAV, Arrays.copyOf(sample("sox-pcm-8k-mono.wav"), 30));
    assertRefused("cut.ogg", MediaType.OGG, Arrays.copyOf(sample("firefox-ogg-opus.ogg"), 20));
    assertRefused("cut.webm", MediaType.WEBM, Arrays.copyOf(sample("chromium-webm-opus-timeslice.webm"), 100));
    assertRefused("cut.mp3", MediaType.MP3, Arrays.copyOf(sample("lame-cbr-info.mp3"), 60));
    byte[] chromiumMp4 = sample("chromium-mp4-opus.m4a");
    assertRefused("cut-moov.m4a", MediaType.MP4, Arrays.copyOf(chromiumMp4, 300));
  }

  @Test
  void anMp4CutBeforeItsMoovBoxIsRefused() {
    // ffmpeg writes the moov box after the samples: half the file has an mdat box that overruns it.
    byte[] m4a = sample("ffmpeg-aac.m4a");
    assertRefused("half.m4a", MediaType.MP4, Arrays.copyOf(m4a, m4a.length / 2));
  }

  @Test
  void aLiveWebmCutShortLastsUntilItsLastWholeBlock() throws IOException {
    // Clusters of unknown size end where the data ends: the clip is as long as what arrived.
    byte[] webm = sample("chromium-webm-opus-timeslice.webm");
    Long half = Audio.probe(write("half.webm", Arrays.copyOf(webm, webm.length / 2)), MediaType.WEBM);
    assertNotNull(half);
    assertTrue(half > 500 && half < 1500, "about half of 1980 ms: " + half);
  }

  @Test
  void anOggCutShortLastsUntilItsLastWholePage() throws IOException {
    // ffmpeg's pages: headers, then 0-1 s, 1-2 s and the last 6.5 ms. Cut inside the 1-2 s page,
    // the clip lasts until the end of the page before it, not until the end the cut page claims.
    byte[] ogg = sample("ffmpeg-opus.ogg");
    assertEquals(993L, Audio.probe(write("cut.ogg", Arrays.copyOf(ogg, 2500)), MediaType.OGG));
    byte[] firefox = sample("firefox-ogg-opus.ogg");
    assertEquals(null, Audio.probe(write("cut-firefox.ogg", Arrays.copyOf(firefox, firefox.length / 2)), MediaType.OGG),
        "Firefox's first audio page holds 1.8 s: cut inside it, no whole page says how long the clip is");
  }

  @Test
  void filesThatStartLikeATypeButAreNotAreRefused() {
    byte[] text = "just some text that follows a signature\n".repeat(20).getBytes(StandardCharsets.UTF_8);
    assertRefused("fake.ogg", MediaType.OGG, concat("OggS".getBytes(StandardCharsets.US_ASCII), text));
    assertRefused("fake.wav", MediaType.WAV, concat("RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII), text));
    byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0};
    assertRefused("fake.mp3", MediaType.MP3, concat(id3, text));
    assertRefused("fake.m4a", MediaType.MP4, concat(new byte[] {0, 0, 0, 8}, "ftyp".getBytes(StandardCharsets.US_ASCII), text));
    byte[] matroska = sample("chromium-webm-opus.webm");
    int docType = indexOf(matroska, "webm".getBytes(StandardCharsets.US_ASCII));
    System.arraycopy("mkv\0".getBytes(StandardCharsets.US_ASCII), 0, matroska, docType, 4);
    assertRefused("matroska.webm", MediaType.WEBM, matroska);
    byte[] vorbisInWebm = sample("ffmpeg-opus.ogg");
    int opusHead = indexOf(vorbisInWebm, "OpusHead".getBytes(StandardCharsets.US_ASCII));
    System.arraycopy("OpusHeaX".getBytes(StandardCharsets.US_ASCII), 0, vorbisInWebm, opusHead, 8);
    assertRefused("neither-opus-nor-vorbis.ogg", MediaType.OGG, vorbisInWebm);
  }

  @Test
  void deeplyNestedWebmTrackEntriesAreRefusedNotAStackOverflow() {
    // 2 bytes a level: 4 MB of TrackEntries of unknown size, each inside the one before.
    assertRefused("deep.webm", MediaType.WEBM, VoiceSamples.webmNestedTracks(2_000_000));
  }

  @Test
  void deeplyNestedMp4BoxesAreRefusedNotAStackOverflow() {
    // The input that overflows metadata-extractor's Mp4Reader: moov boxes 500,000 deep.
    int depth = 500_000;
    ByteBuffer nested = ByteBuffer.allocate(8 * depth);
    for (int i = 0; i < depth; i++) {
      nested.putInt(8 * (depth - i)).put("moov".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] ftyp = {0, 0, 0, 16, 'f', 't', 'y', 'p', 'M', '4', 'A', ' ', 0, 0, 0, 0};
    assertRefused("deep.m4a", MediaType.MP4, concat(ftyp, nested.array()));
  }

  @Test
  void aWebmCodecIdOfUnknownSizeIsRefusedNotAnInternalError() {
    // Only a Segment or a Cluster may have an unknown size (all ones). A CodecID with one was read
    // as a length of -1 and threw NegativeArraySizeException, which the probe does not map: a 500.
    byte[] webm = sample("chromium-webm-opus-timeslice.webm");
    int codecId = indexOf(webm, new byte[] {(byte) 0x86, (byte) 0x86, 'A', '_', 'O', 'P', 'U', 'S'});
    webm[codecId + 1] = (byte) 0xFF;
    assertRefused("unknown-codec-size.webm", MediaType.WEBM, webm);
  }

  private void assertRefused(String name, MediaType type, byte[] bytes) {
    Path file = write(name, bytes);
    Failure refused = assertThrows(Failure.class, () -> Audio.probe(file, type), name + " is refused");
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, refused.code(), name);
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sample(String name) {
    try (InputStream in = AudioDurationTest.class.getResourceAsStream("/media/" + name)) {
      assertNotNull(in, "src/test/resources/media/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found: " + Arrays.toString(needle));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
