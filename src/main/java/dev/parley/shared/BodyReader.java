package dev.parley.shared;

import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/** Finds a {@link BusBody} record's {@code static from(JsonObject)}, the reader {@link Address} names for it. */
final class BodyReader {
  private BodyReader() {
  }

  static <B extends BusBody> Function<JsonObject, B> of(Class<B> type) {
    MethodHandle from;
    try {
      from = MethodHandles.publicLookup().findStatic(type, "from", MethodType.methodType(type, JsonObject.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " has no public static " + type.getSimpleName() + " from(JsonObject)", e);
    }
    return json -> {
      try {
        return type.cast(from.invoke(json));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
