package dev.parley.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What a test client received, taken out by type; items of other types wait for their turn. */
final class Inbox<T> {
  private final BlockingQueue<T> arrived = new LinkedBlockingQueue<>();
  private final List<T> aside = new ArrayList<>();
  private final Function<T, String> typeOf;

  Inbox(Function<T, String> typeOf) {
    this.typeOf = typeOf;
  }

  void add(T item) {
    arrived.add(item);
  }

  /** The next item of {@code type}; fails after 5 s. */
  T next(String type) {
    for (T item : aside) {
      if (type.equals(typeOf.apply(item))) {
        aside.remove(item);
        return item;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      T item = poll(deadline - System.nanoTime());
      if (item != null && type.equals(typeOf.apply(item))) {
        return item;
      }
      if (item != null) {
        aside.add(item);
      }
    }
    throw new AssertionError("no " + type + " within 5 s");
  }

  /** Every item of {@code type} already here or arriving within {@code millis}. */
  List<T> collect(String type, long millis) {
    List<T> found = new ArrayList<>();
    aside.removeIf(item -> type.equals(typeOf.apply(item)) && found.add(item));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      T item = poll(deadline - System.nanoTime());
      if (item != null && type.equals(typeOf.apply(item))) {
        found.add(item);
      } else if (item != null) {
        aside.add(item);
      }
    }
    return found;
  }

  private T poll(long nanos) {
    try {
      return arrived.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
