package dev.parley.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Argon2id password hashes (PHC strings), always computed on worker threads: a hash costs tens of
 * milliseconds on purpose and must never run on an event loop.
 */
public final class Passwords {
  private final Vertx vertx;
  private final Argon2Function argon2;
  /** Verified when the user does not exist, so that the answer takes as long either way. */
  private final String decoy;

  public Passwords(Vertx vertx, int memoryKiB, int iterations, int parallelism) {
    this.vertx = vertx;
    this.argon2 = Argon2Function.getInstance(memoryKiB, iterations, parallelism, 32, Argon2.ID);
    this.decoy = Password.hash("decoy password for unknown users").addRandomSalt(16).with(argon2).getResult();
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> Password.hash(password).addRandomSalt(16).with(argon2).getResult(), false);
  }

  /** True when the password matches; a null hash (unknown user) checks a decoy and is false. */
  public Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(() -> {
      if (hash == null) {
        Password.check(password, decoy).with(argon2);
        return false;
      }
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }, false);
  }
}
