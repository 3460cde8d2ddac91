package dev.parley.bridge;

import dev.parley.shared.Event;
import dev.parley.shared.Session;

/**
 * The registration of a bridged socket on {@code chat.user.<id>}: the same resume, dedupe and
 * back-pressure as a WebSocket (see {@link Session}); each event is the WebSocket frame wrapped
 * as the body of a bridge message frame.
 */
final class BridgeSession extends Session {
  private final Link link;
  private final String address;

  BridgeSession(String userId, Long since, Link link, String address) {
    super(userId, link.context, since);
    this.link = link;
    this.address = address;
  }

  @Override
  protected boolean connectionClosed() {
    return link.socketClosed();
  }

  @Override
  protected boolean writeQueueFull() {
    return link.writeQueueFull();
  }

  @Override
  protected void write(Event event) {
    link.writeText(link.envelope(address, event.webSocketText()));
  }

  /** Bridge clients ping the server (SockJS heartbeats, bridge {@code ping} frames), not the other way. */
  @Override
  protected void ping() {
  }

  @Override
  protected void closeConnection() {
    link.closeSocket();
  }
}
