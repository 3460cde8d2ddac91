package dev.parley.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Request/reply on the event bus with an explicit timeout, and consumers that reply exactly once. */
public final class Bus {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public Bus(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Sends a command and yields the reply body; failures arrive as {@link Failure}s. */
  public Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(cause -> Future.failedFuture(Failure.from(cause)));
  }

  /**
   * Registers a command handler: its future's value is the reply, its failure the reply's
   * failure code (HTTP status). Returns the registration's completion.
   */
  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return consumer(vertx, address, handler).completion();
  }

  /** {@link #serve}, keeping the consumer, for a verticle that stops serving before it stops (a store stepping down). */
  public static MessageConsumer<JsonObject> consumer(Vertx vertx, String address,
                                                     Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      Future<JsonObject> reply;
      try {
        reply = handler.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result() == null ? new JsonObject() : ar.result());
        } else {
          Failure.reply(message, ar.cause());
        }
      });
    });
  }
}
