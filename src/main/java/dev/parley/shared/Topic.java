package dev.parley.shared;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Function;

/**
 * An address nobody replies on: its consumers get the body {@code B}, every one on every node
 * (a publish), every one on the sending node, or one of them, as its {@link Reach} says.
 * {@link Bus#publish(Topic, BusBody)} and {@link Bus#subscribe(io.vertx.core.Vertx, Topic,
 * java.util.function.Consumer)} take these.
 */
public record Topic<B extends BusBody>(
    String name,
    Class<B> bodyType,
    Function<JsonObject, B> body,
    Set<Party> senders,
    Set<Party> consumers,
    Reach reach) implements Route {

  /** Who gets a body sent on the topic. */
  public enum Reach {
    /** Every consumer on every node (a publish). */
    EVERY_NODE,
    /** Every consumer on the sending node (a local publish to local consumers). */
    THIS_NODE,
    /** One consumer, wherever it is (a send without a reply). */
    ONE_CONSUMER
  }

  /** An entry of {@link Address}, published to every node; the record is read back by its {@code static from(JsonObject)}. */
  static <B extends BusBody> Topic<B> of(String name, Class<B> bodyType, Set<Party> senders, Set<Party> consumers) {
    return new Topic<>(name, bodyType, BodyReader.of(bodyType), senders, consumers, Reach.EVERY_NODE);
  }

  Topic<B> reaching(Reach reach) {
    return new Topic<>(name, bodyType, body, senders, consumers, reach);
  }
}
