package dev.parley.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every body and reply in the registry reads back what it writes: {@code from(toJson(x))} is
 * {@code x}. The compiler checks a record's fields; this checks the JSON names its
 * {@code toJson} and {@code from} use are the same, for a record with a distinct value in every
 * field.
 */
class BusBodyRoundTripTest {
  /** Records whose fields are checked as they are read, so a sample must be valid. */
  private static final Map<Class<?>, BusBody> VALID = Map.of(
      BridgeWords.Send.class, new BridgeWords.Send(new SendRequest("c1", "client-1", "text", "hello", null, 4L, List.of("u2"))),
      MessageCommands.Send.class, new MessageCommands.Send("u1",
          new SendRequest("c1", "client-1", "image", "caption", "m1", null, List.of()), true));

  @Test
  void everyBodyAndReplyReadsBackWhatItWrites() throws Exception {
    Set<Class<? extends BusBody>> types = new LinkedHashSet<>();
    for (Route route : Address.ALL) {
      types.add(route.bodyType());
      if (route instanceof Command<?, ?> command) {
        types.add(command.replyType());
      }
    }
    List<String> wrong = new ArrayList<>();
    for (Class<? extends BusBody> type : types) {
      Function<JsonObject, ? extends BusBody> read = BodyReader.of(type);
      BusBody sample = VALID.containsKey(type) ? VALID.get(type) : sample(type);
      BusBody back = read.apply(sample.toJson());
      if (!sample.equals(back)) {
        wrong.add(type.getName() + ": wrote " + sample.toJson() + ", read back " + back);
      }
    }
    assertEquals(List.of(), wrong);
  }

  private static BusBody sample(Class<? extends BusBody> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = value(components[i].getGenericType(), i);
    }
    return type.cast(type.getDeclaredConstructor(types).newInstance(values));
  }

  private static Object value(Type generic, int index) throws Exception {
    Class<?> raw = generic instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) generic;
    if (raw == boolean.class) {
      return true;
    } else if (raw == int.class) {
      return 3 + index;
    } else if (raw == long.class) {
      return 7L + index;
    } else if (raw == String.class) {
      return "v" + index;
    } else if (raw == Boolean.class) {
      return Boolean.TRUE;
    } else if (raw == Integer.class) {
      return 5 + index;
    } else if (raw == Long.class) {
      return 11L + index;
    } else if (raw == JsonObject.class) {
      return new JsonObject().put("k" + index, "v");
    } else if (raw == JsonArray.class) {
      return new JsonArray().add("a" + index);
    } else if (raw == List.class) {
      Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
      return element == String.class ? List.of("e" + index) : List.of(value(element, index));
    } else if (raw == Map.class) {
      return Map.of("k" + index, 2);
    } else if (raw.isRecord()) {
      @SuppressWarnings("unchecked")
      Class<? extends Record> nested = (Class<? extends Record>) raw;
      RecordComponent[] components = nested.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = value(components[i].getGenericType(), i);
      }
      return nested.getDeclaredConstructor(types).newInstance(values);
    }
    throw new AssertionError("no sample for " + generic);
  }
}
