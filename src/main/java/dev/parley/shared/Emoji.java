package dev.parley.shared;

/**
 * Checks that a reaction is exactly one emoji: a single grapheme cluster made of emoji, as
 * Unicode's emoji sequences (UTS #51) build them. Java 17 has neither {@code Character.isEmoji}
 * nor a grapheme-cluster {@code BreakIterator} that knows ZWJ sequences, so this reads code points
 * against the {@code Extended_Pictographic} property (Unicode 15 emoji-data.txt) and accepts
 * <ul>
 *   <li>a flag: two regional indicators;</li>
 *   <li>a keycap: {@code [0-9#*]}, an optional U+FE0F, U+20E3;</li>
 *   <li>a tag sequence: U+1F3F4, tag characters, U+E007F (the flags of England, Scotland, Wales);</li>
 *   <li>elements joined by ZERO WIDTH JOINER, each a pictograph (or a skin tone) with at most one
 *   variation selector and one skin-tone modifier: 👍, ❤️, 👍🏽, 👩‍💻, 🧑🏻‍❤️‍💋‍🧑🏼.</li>
 * </ul>
 * Anything else (letters, digits, two emoji, a lone joiner, more than 16 code points) is refused.
 * The string is kept as given: ❤ and ❤️ are different reactions.
 */
public final class Emoji {
  public static final int MAX_CODE_POINTS = 16;

  private static final int ZWJ = 0x200D;
  private static final int VS15 = 0xFE0E;
  private static final int VS16 = 0xFE0F;
  private static final int KEYCAP = 0x20E3;
  private static final int BLACK_FLAG = 0x1F3F4;
  private static final int CANCEL_TAG = 0xE007F;

  /** Extended_Pictographic, as sorted inclusive ranges. */
  private static final int[] PICTOGRAPHIC = {
      0x00A9, 0x00A9, 0x00AE, 0x00AE, 0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122, 0x2139, 0x2139,
      0x2194, 0x2199, 0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328, 0x2388, 0x2388, 0x23CF, 0x23CF,
      0x23E9, 0x23F3, 0x23F8, 0x23FA, 0x24C2, 0x24C2, 0x25AA, 0x25AB, 0x25B6, 0x25B6, 0x25C0, 0x25C0,
      0x25FB, 0x25FE, 0x2600, 0x2605, 0x2607, 0x2612, 0x2614, 0x2685, 0x2690, 0x2705, 0x2708, 0x2712,
      0x2714, 0x2714, 0x2716, 0x2716, 0x271D, 0x271D, 0x2721, 0x2721, 0x2728, 0x2728, 0x2733, 0x2734,
      0x2744, 0x2744, 0x2747, 0x2747, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757,
      0x2763, 0x2767, 0x2795, 0x2797, 0x27A1, 0x27A1, 0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2934, 0x2935,
      0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x3030, 0x3030, 0x303D, 0x303D,
      0x3297, 0x3297, 0x3299, 0x3299,
      0x1F000, 0x1F0FF, 0x1F10D, 0x1F10F, 0x1F12F, 0x1F12F, 0x1F16C, 0x1F171, 0x1F17E, 0x1F17F,
      0x1F18E, 0x1F18E, 0x1F191, 0x1F19A, 0x1F1AD, 0x1F1E5, 0x1F201, 0x1F20F, 0x1F21A, 0x1F21A,
      0x1F22F, 0x1F22F, 0x1F232, 0x1F23A, 0x1F23C, 0x1F23F, 0x1F249, 0x1F3FA, 0x1F400, 0x1F53D,
      0x1F546, 0x1F64F, 0x1F680, 0x1F6FF, 0x1F774, 0x1F77F, 0x1F7D5, 0x1F7FF, 0x1F80C, 0x1F80F,
      0x1F848, 0x1F84F, 0x1F85A, 0x1F85F, 0x1F888, 0x1F88F, 0x1F8AE, 0x1F8FF, 0x1F90C, 0x1F93A,
      0x1F93C, 0x1F945, 0x1F947, 0x1FAFF, 0x1FC00, 0x1FFFD,
  };

  private Emoji() {
  }

  /** The emoji itself, or a {@code 400} naming {@code field} when it is not exactly one emoji. */
  public static String require(String value, String field) {
    if (!isSingle(value)) {
      throw Failure.invalid(field, field + " must be exactly one emoji");
    }
    return value;
  }

  public static boolean isSingle(String value) {
    if (value == null || value.isEmpty() || value.length() > 4 * MAX_CODE_POINTS) {
      return false;
    }
    int[] cps = value.codePoints().toArray();
    if (cps.length > MAX_CODE_POINTS) {
      return false;
    }
    if (cps.length == 2 && isRegionalIndicator(cps[0]) && isRegionalIndicator(cps[1])) {
      return true;
    }
    if (isKeycapBase(cps[0])) {
      return cps.length == 2 ? cps[1] == KEYCAP : cps.length == 3 && cps[1] == VS16 && cps[2] == KEYCAP;
    }
    int i = 0;
    while (true) {
      i = element(cps, i);
      if (i < 0) {
        return false;
      }
      if (i == cps.length) {
        return true;
      }
      if (cps[i] != ZWJ || i + 1 == cps.length) {
        return false;
      }
      i++;
    }
  }

  /** Reads one element from {@code i}; the index after it, or -1 when there is none. */
  private static int element(int[] cps, int i) {
    int base = cps[i];
    if (!isPictographic(base) && !isSkinTone(base)) {
      return -1;
    }
    i++;
    if (base == BLACK_FLAG && i < cps.length && isTag(cps[i])) {
      while (i < cps.length && isTag(cps[i])) {
        i++;
      }
      return i < cps.length && cps[i] == CANCEL_TAG ? i + 1 : -1;
    }
    boolean selector = false;
    boolean tone = isSkinTone(base);
    while (i < cps.length) {
      int cp = cps[i];
      if ((cp == VS16 || cp == VS15) && !selector) {
        selector = true;
      } else if (isSkinTone(cp) && !tone) {
        tone = true;
      } else {
        break;
      }
      i++;
    }
    return i;
  }

  static boolean isPictographic(int cp) {
    int low = 0;
    int high = PICTOGRAPHIC.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (cp < PICTOGRAPHIC[2 * mid]) {
        high = mid - 1;
      } else if (cp > PICTOGRAPHIC[2 * mid + 1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private static boolean isSkinTone(int cp) {
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
  }

  private static boolean isRegionalIndicator(int cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
  }

  private static boolean isKeycapBase(int cp) {
    return (cp >= '0' && cp <= '9') || cp == '#' || cp == '*';
  }

  private static boolean isTag(int cp) {
    return cp >= 0xE0020 && cp <= 0xE007E;
  }
}
