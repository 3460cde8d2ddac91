package dev.parley.shared;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The event bus in {@link Address}'s types: requests with an explicit timeout, consumers that
 * reply exactly once, publishes and subscriptions. Bodies travel as the JSON their records write.
 */
public final class Bus {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private final DeliveryOptions localOptions;

  public Bus(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.localOptions = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true);
  }

  /** Sends a command (to this node's consumer for a local one) and yields the reply; failures arrive as {@link Failure}s. */
  public <B extends BusBody, R extends BusBody> Future<R> request(Command<B, R> command, B body) {
    return vertx.eventBus().<JsonObject>request(command.name(), body.toJson(), command.local() ? localOptions : options)
        .map(message -> command.reply().apply(body(message)))
        .recover(cause -> Future.failedFuture(Failure.from(cause)));
  }

  /** Publishes (or for a {@link Topic.Reach#ONE_CONSUMER} topic, sends) an event. */
  public <B extends BusBody> void publish(Topic<B> topic, B body) {
    publish(vertx, topic, body);
  }

  /** {@link #publish(Topic, BusBody)} for a verticle without a {@code Bus}. */
  public static <B extends BusBody> void publish(Vertx vertx, Topic<B> topic, B body) {
    publish(vertx.eventBus(), topic, body);
  }

  /** {@link #publish(Topic, BusBody)} for a class handed the event bus. */
  public static <B extends BusBody> void publish(EventBus bus, Topic<B> topic, B body) {
    JsonObject json = body.toJson();
    switch (topic.reach()) {
      case EVERY_NODE -> bus.publish(topic.name(), json);
      case THIS_NODE -> bus.publish(topic.name(), json, new DeliveryOptions().setLocalOnly(true));
      case ONE_CONSUMER -> bus.send(topic.name(), json);
    }
  }

  /** Receives a topic's events (on this node only for a {@link Topic.Reach#THIS_NODE} topic). */
  public static <B extends BusBody> MessageConsumer<JsonObject> subscribe(Vertx vertx, Topic<B> topic, Consumer<B> handler) {
    Function<JsonObject, B> read = topic.body();
    Handler<Message<JsonObject>> receive =
        message -> handler.accept(read.apply(body(message)));
    return topic.reach() == Topic.Reach.THIS_NODE
        ? vertx.eventBus().localConsumer(topic.name(), receive)
        : vertx.eventBus().consumer(topic.name(), receive);
  }

  /**
   * Registers a command's handler: its future's value is the reply, its failure the reply's
   * failure code (HTTP status). Returns the registration's completion.
   */
  public static <B extends BusBody, R extends BusBody> Future<Void> serve(Vertx vertx, Command<B, R> command,
                                                                          Function<B, Future<R>> handler) {
    return consumer(vertx, command, handler).completion();
  }

  /** {@link #serve}, keeping the consumer, for a verticle that stops serving before it stops (a store stepping down). */
  public static <B extends BusBody, R extends BusBody> MessageConsumer<JsonObject> consumer(
      Vertx vertx, Command<B, R> command, Function<B, Future<R>> handler) {
    Handler<Message<JsonObject>> serve = message -> {
      Future<R> reply;
      try {
        reply = handler.apply(command.body().apply(body(message)));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result() == null ? new JsonObject() : ar.result().toJson());
        } else {
          Failure.reply(message, ar.cause());
        }
      });
    };
    return command.local()
        ? vertx.eventBus().localConsumer(command.name(), serve)
        : vertx.eventBus().consumer(command.name(), serve);
  }

  /** A message's body; one sent without any reads as {@code {}}. */
  private static JsonObject body(Message<JsonObject> message) {
    return message.body() == null ? new JsonObject() : message.body();
  }
}
