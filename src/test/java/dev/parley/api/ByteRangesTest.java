package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Serving a file's bytes (RFC 9110 §14): which range a {@code Range} header asks for, when it is
 * ignored (the whole file, 200), when it misses the file (416), and the validators and names that
 * go with it. {@code MediaTest} checks the same over HTTP; this checks each rule on its own.
 */
class ByteRangesTest {
  private static final String ETAG = "\"m0123456789ab\"";
  private static final long SIZE = 1000;

  private static long[] range(String header) {
    return ByteRanges.parse(header, null, ETAG, SIZE);
  }

  @Test
  void aSingleRangeIsServedAsAskedAndClippedToTheFile() {
    assertArrayEquals(new long[] {0, 0}, range("bytes=0-0"), "the first byte");
    assertArrayEquals(new long[] {10, 109}, range("bytes=10-109"));
    assertArrayEquals(new long[] {990, 999}, range("bytes=990-5000"), "a last position past the end is the end");
    assertArrayEquals(new long[] {10, 109}, range("  Bytes=10 - 109 "), "case and spaces");
  }

  @Test
  void anOpenRangeRunsToTheEnd() {
    assertArrayEquals(new long[] {996, 999}, range("bytes=996-"));
    assertArrayEquals(new long[] {0, 999}, range("bytes=0-"));
  }

  @Test
  void aSuffixRangeIsTheLastBytes() {
    assertArrayEquals(new long[] {984, 999}, range("bytes=-16"));
    assertArrayEquals(new long[] {0, 999}, range("bytes=-5000"), "a suffix longer than the file is the whole file");
  }

  @Test
  void aRangeOutsideTheFileIsUnsatisfiable() {
    assertSame(ByteRanges.UNSATISFIABLE, range("bytes=1000-"), "starts at the size");
    assertSame(ByteRanges.UNSATISFIABLE, range("bytes=5000-6000"));
    assertSame(ByteRanges.UNSATISFIABLE, range("bytes=-0"), "an empty suffix");
    assertSame(ByteRanges.UNSATISFIABLE, ByteRanges.parse("bytes=0-", null, ETAG, 0), "any range of an empty file");
    assertSame(ByteRanges.UNSATISFIABLE, ByteRanges.parse("bytes=-5", null, ETAG, 0));
  }

  @Test
  void whatIsNotOneByteRangeIsIgnoredAndTheWholeFileServed() {
    assertNull(range(null), "no header");
    assertNull(range("bytes=0-1,5-9"), "several ranges: answered with the whole file, not multipart");
    assertNull(range("items=0-1"), "another unit");
    assertNull(range("bytes=9-5"), "last before first");
    assertNull(range("bytes=5"), "no dash");
    assertNull(range("bytes=-"), "no numbers");
    assertNull(range("bytes=a-b"), "not numbers");
    assertNull(range("bytes=99999999999999999999-"), "past the long range");
    assertNull(range("bytes=--5"), "a negative suffix is bad syntax, not an unsatisfiable range");
    assertNull(range("bytes=+1-2"), "signs are not digits");
    assertNull(range("bytes=-+5"));
    assertNull(range("bytes=\u0661-\u0669"), "Arabic-Indic digits, which Long.parseLong would read as 1-9");
  }

  @Test
  void ifRangeServesTheRangeOnlyForTheSameVersion() {
    assertArrayEquals(new long[] {0, 9}, ByteRanges.parse("bytes=0-9", ETAG, ETAG, SIZE));
    assertArrayEquals(new long[] {0, 9}, ByteRanges.parse("bytes=0-9", " " + ETAG + " ", ETAG, SIZE));
    assertNull(ByteRanges.parse("bytes=0-9", "\"another\"", ETAG, SIZE), "another version: the whole file");
    assertNull(ByteRanges.parse("bytes=0-9", "W/" + ETAG, ETAG, SIZE), "If-Range compares strongly: a weak tag never matches");
    assertNull(ByteRanges.parse("bytes=0-9", "Sat, 05 Dec 2026 10:00:00 GMT", ETAG, SIZE), "a date is not our validator");
  }

  @Test
  void ifNoneMatchComparesWeakly() {
    assertTrue(ByteRanges.matches(ETAG, ETAG));
    assertTrue(ByteRanges.matches("W/" + ETAG, ETAG));
    assertTrue(ByteRanges.matches("\"other\", " + ETAG, ETAG), "one of a list");
    assertTrue(ByteRanges.matches("*", ETAG));
    assertFalse(ByteRanges.matches(null, ETAG));
    assertFalse(ByteRanges.matches("\"other\"", ETAG));
    assertFalse(ByteRanges.matches("m0123456789ab", ETAG), "unquoted is another tag");
  }

  @Test
  void theDispositionNamesTheFileInAsciiAndExactly() {
    assertEquals("inline; filename=\"note.ogg\"; filename*=UTF-8''note.ogg", ByteRanges.disposition(false, "note.ogg"));
    assertEquals("attachment; filename=\"r_sum_ 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf",
        ByteRanges.disposition(true, "résumé 2026.pdf"));
    assertEquals("attachment; filename=\"_evil_.txt__x\"; filename*=UTF-8''%22evil%22.txt%0D%0Ax",
        ByteRanges.disposition(true, "\"evil\".txt\r\nx"), "quotes and line breaks cannot end the header or the name");
    assertEquals("inline; filename=\"_.png\"; filename*=UTF-8''%F0%9F%98%80.png", ByteRanges.disposition(false, "😀.png"),
        "one underscore for one code point, four bytes in the exact form");
  }
}
