package dev.parley.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A reaction is exactly one emoji, however many code points draw it; anything else is a 400. */
class EmojiTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "👍", "😀", "🫨", "🦀",                   // one pictograph, old and new (Unicode 15's shaking face)
      "❤", "❤️", "☺️", "©",                    // text-default symbols, with and without VS16
      "👍🏽", "👋🏿", "🏽",                       // skin tones, and a tone alone (it is drawn as a swatch)
      "👩‍💻", "🏳️‍🌈", "🏴‍☠️", "❤️‍🔥",           // ZWJ sequences
      "👨‍👩‍👧‍👦",                               // a family: 7 code points
      "🧑🏻‍❤️‍💋‍🧑🏼", "🫱🏻‍🫲🏿",                   // tones inside ZWJ sequences
      "🇫🇷", "🇯🇵", "🇺🇳",                        // flags: two regional indicators
      "#️⃣", "1️⃣", "*⃣", "0⃣",                  // keycaps, with and without VS16
      "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🏴󠁧󠁢󠁷󠁬󠁳󠁿",                        // tag sequences: Scotland, Wales
  })
  void oneEmojiIsOne(String emoji) {
    assertTrue(Emoji.isSingle(emoji), emoji + " " + codePoints(emoji));
    assertEquals(emoji, Emoji.require(emoji, "emoji"), "kept exactly as given");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "a", "ok", "1", "#", ":)", "<3",  // text
      "👍👍", "👍 ", " 👍", "🇫🇷🇩🇪", "😀a",      // two things
      "🇫", "🇫🇷🇩",                              // a lone regional indicator, three of them
      "\u200D", "👩\u200D", "\u200D💻", "👩\u200D\u200D💻", // joiners with nothing to join
      "👍🏽🏽", "❤️️",                              // a second tone, a second selector
      "1⃣⃣", "1️", "12⃣",                         // broken keycaps
      "🏴󠁧󠁢󠁳󠁣󠁴", "a󠁧󠁢󠁳󠁣󠁴󠁿",                           // a tag sequence without its end, tags after a letter
      "\uD83D", "\uDE00",                        // lone surrogates
      "\u0301", "\uFE0F",                        // a combining mark, a lone selector
  })
  void anythingElseIsRefused(String value) {
    assertFalse(Emoji.isSingle(value), "'" + value + "' " + codePoints(value));
  }

  @Test
  void nullIsNotAnEmoji() {
    assertFalse(Emoji.isSingle(null));
  }

  @Test
  void sixteenCodePointsAtMost() {
    String sixteen = "👩‍👩‍👩‍👩‍👩‍👩‍👩‍👩\uFE0F";   // 8 pictographs, 7 joiners, a selector
    assertEquals(16, sixteen.codePointCount(0, sixteen.length()));
    assertTrue(Emoji.isSingle(sixteen));
    String seventeen = "👩‍👩‍👩‍👩‍👩‍👩‍👩‍👩‍👩";      // 9 pictographs, 8 joiners
    assertEquals(17, seventeen.codePointCount(0, seventeen.length()));
    assertFalse(Emoji.isSingle(seventeen), "over-long");
    assertFalse(Emoji.isSingle("👍".repeat(40)), "far over-long, refused before it is read");
  }

  @Test
  void aRefusalIsA400NamingTheField() {
    Failure refused = assertThrows(Failure.class, () -> Emoji.require("thumbs up", "emoji"));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertEquals("emoji", refused.field());
    assertEquals("emoji must be exactly one emoji", refused.getMessage());
  }

  private static String codePoints(String value) {
    StringBuilder out = new StringBuilder();
    value.codePoints().forEach(cp -> out.append(String.format("U+%04X ", cp)));
    return out.toString().trim();
  }
}
