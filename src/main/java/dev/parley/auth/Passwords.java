package dev.parley.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id password hashes (PHC strings). A hash costs tens of milliseconds and megabytes on
 * purpose, so it runs on a worker pool of its own ({@code auth.argon2.threads}, one per core by
 * default), never on an event loop nor on the workers everything else shares (the store's files,
 * uploads). At most {@code auth.argon2.queue} hashes wait for it: past that, a sign-up, login or
 * password change is refused at once with {@code 503} and {@code Retry-After}, instead of
 * waiting behind hundreds of others until the bus times out, and other requests never wait.
 */
public final class Passwords {
  private final WorkerExecutor workers;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Argon2Function argon2;
  /** Verified when the user does not exist, so that the answer takes as long either way. */
  private final String decoy;

  public Passwords(Vertx vertx, int memoryKiB, int iterations, int parallelism, int threads, int queue) {
    this.workers = vertx.createSharedWorkerExecutor("parley-password-hashing", threads);
    this.maxWaiting = threads + queue;
    this.argon2 = Argon2Function.getInstance(memoryKiB, iterations, parallelism, 32, Argon2.ID);
    this.decoy = Password.hash("decoy password for unknown users").addRandomSalt(16).with(argon2).getResult();
  }

  public Future<String> hash(String password) {
    return run(() -> Password.hash(password).addRandomSalt(16).with(argon2).getResult());
  }

  /** True when the password matches; a null hash (unknown user) checks a decoy and is false. */
  public Future<Boolean> verify(String password, String hash) {
    return run(() -> {
      if (hash == null) {
        Password.check(password, decoy).with(argon2);
        return false;
      }
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    });
  }

  private <T> Future<T> run(Callable<T> work) {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return Future.failedFuture(new Failure(ErrorCode.UNAVAILABLE, "too many sign-ins at once, try again"));
    }
    return workers.executeBlocking(work, false).onComplete(done -> waiting.decrementAndGet());
  }
}
