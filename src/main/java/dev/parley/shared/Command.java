package dev.parley.shared;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Function;

/**
 * A request/reply address: the body {@code B} its senders send and the reply {@code R} its one
 * consumer answers with (a failed reply carries an HTTP status, see {@link Failure}).
 * {@link Bus#request(Command, BusBody)} and {@link Bus#serve(io.vertx.core.Vertx, Command, Function)}
 * take these, so a body or reply of the wrong type does not compile.
 */
public record Command<B extends BusBody, R extends BusBody>(
    String name,
    Class<B> bodyType,
    Function<JsonObject, B> body,
    Class<R> replyType,
    Function<JsonObject, R> reply,
    Set<Party> senders,
    Party consumer,
    boolean local) implements Route {

  @Override
  public Set<Party> consumers() {
    return Set.of(consumer);
  }

  /** An entry of {@link Address}: each record is read back by its {@code static from(JsonObject)}. */
  static <B extends BusBody, R extends BusBody> Command<B, R> of(String name, Class<B> bodyType, Class<R> replyType,
                                                                 Party consumer, Party... senders) {
    return new Command<>(name, bodyType, BodyReader.of(bodyType), replyType, BodyReader.of(replyType),
        Set.of(senders), consumer, false);
  }

  /** The same command served on each node for that node alone (a local consumer). */
  Command<B, R> asLocal() {
    return new Command<>(name, bodyType, body, replyType, reply, senders, consumer, true);
  }
}
