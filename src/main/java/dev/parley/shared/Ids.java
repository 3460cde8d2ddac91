package dev.parley.shared;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * New ids for the things the server makes: a one-letter kind ({@code u} user, {@code c}
 * conversation, {@code m} media, {@code s} share, …) and 96 random bits, so ids cannot be
 * guessed or counted. Secrets (tokens, codes) are {@code auth.Secrets}'s; ids are not secret.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  /** {@code kind} and 16 URL-safe characters. */
  public static String next(String kind) {
    byte[] raw = new byte[12];
    RANDOM.nextBytes(raw);
    return kind + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** {@code kind} and 24 lower-case hex digits: for ids that name files on case-insensitive file systems. */
  public static String nextHex(String kind) {
    byte[] raw = new byte[12];
    RANDOM.nextBytes(raw);
    return kind + HexFormat.of().formatHex(raw);
  }
}
