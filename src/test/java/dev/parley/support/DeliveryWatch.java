package dev.parley.support;

import dev.parley.shared.NodeBatch;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a node's store sends to the push and bridge verticles, seen on that node's own event bus
 * as it leaves: for every {@code message} event, the address it went to and the recipients it
 * named there. Closing it stops watching.
 */
public final class DeliveryWatch implements AutoCloseable {
  /** One message event sent to one verticle. */
  public record Sent(String address, String text, Set<String> recipients) {
  }

  private final Vertx vertx;
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::watch;

  public DeliveryWatch(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().addOutboundInterceptor(interceptor);
  }

  private void watch(DeliveryContext<Object> delivery) {
    // The sent body: a clustered message's own body() is only there once it has been received.
    if (delivery.body() instanceof NodeBatch batch) {
      for (NodeBatch.Entry entry : batch.entries()) {
        if ("message".equals(entry.event().type())) {
          Set<String> recipients = new HashSet<>();
          for (int i = 0; i < entry.size(); i++) {
            recipients.add(entry.userId(i));
          }
          JsonObject data = entry.event().frame().getJsonObject("data");
          sent.add(new Sent(delivery.message().address(), data.getString("text"), recipients));
        }
      }
    }
    delivery.next();
  }

  /** Every sending of the message with this text, one per verticle it went to. */
  public List<Sent> of(String text) {
    return sent.stream().filter(s -> text.equals(s.text())).toList();
  }

  /** The recipients named for the message with this text, by the address they were sent to. */
  public Map<String, Set<String>> recipientsByAddress(String text) {
    Map<String, Set<String>> byAddress = new HashMap<>();
    of(text).forEach(s -> byAddress.computeIfAbsent(s.address(), a -> new HashSet<>()).addAll(s.recipients()));
    return byAddress;
  }

  /** Every recipient named for the message with this text, wherever it went. */
  public Set<String> recipientsOf(String text) {
    Set<String> all = new HashSet<>();
    of(text).forEach(s -> all.addAll(s.recipients()));
    return all;
  }

  @Override
  public void close() {
    vertx.eventBus().removeOutboundInterceptor(interceptor);
  }
}
