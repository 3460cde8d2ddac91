package dev.parley.bridge;

import dev.parley.delivery.Delivery;
import dev.parley.shared.Address;
import dev.parley.shared.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration of a bridged socket on {@code chat.user.<id>}: a {@link Delivery}, so a bot
 * sees exactly what a WebSocket of its user sees, resume with {@code since} included. Each
 * event is the WebSocket frame, wrapped as the body of a bridge message frame.
 *
 * <p>Back-pressure: with the socket's write queue full, ephemeral events are dropped and a
 * durable one closes the socket (the bot resumes from its cursor).
 */
final class BridgeSession extends Delivery {
  private static final Logger log = LoggerFactory.getLogger(BridgeSession.class);

  final BridgeLink link;
  private final String address;

  BridgeSession(String userId, Long since, BridgeLink link) {
    super(userId, link.context, since);
    this.link = link;
    this.address = Address.user(userId);
  }

  @Override
  protected boolean connectionClosed() {
    return link.socketClosed();
  }

  @Override
  protected void transmit(Event event) {
    if (!link.writeQueueFull()) {
      link.writeText(link.envelope(address, event.webSocketText()));
    } else if (event.durable()) {
      log.debug("closing a bridge socket of {} that does not keep up", userId);
      close();
    }
  }

  @Override
  protected void closeConnection() {
    link.closeSocket();
  }
}
