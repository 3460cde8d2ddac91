package dev.parley.push;

import dev.parley.delivery.Delivery;
import dev.parley.shared.Event;
import io.vertx.core.Context;
import dev.parley.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push connection (SSE or WebSocket) of one user: a {@link Delivery} (resume, exactly once,
 * in order) with the push side's back-pressure and keep-alive.
 *
 * <p>Back-pressure ({@link Backlog}): when the socket's write queue is past its first bound,
 * typing, receipt and presence events are dropped for this connection and everything else is
 * still written; past the second bound the connection is closed at once (the client resumes from
 * its cursor). Durable events are never dropped: the server never buffers without bound for a
 * client that does not read, and a slow client never holds anyone else up.
 */
abstract class Session extends Delivery {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** WebSocket close code of a stream whose sign-in ended (signed out, or its refresh token replayed). */
  static final short REVOKED_CLOSE_CODE = 4401;
  /** WebSocket close code of a stream whose access token expired without an {@code auth} frame renewing it. */
  static final short EXPIRED_CLOSE_CODE = 4402;

  private final Backlog backlog;
  /** The sign-in (refresh-token family) whose access token opened the stream; null for a bot. */
  volatile String familyId;
  /** When the stream's access token expires (epoch ms; 0: never); an {@code auth} frame moves it. */
  private volatile long expiresAt;
  /** The stream is ending because its sign-in ended: the transport says so as it closes. */
  protected boolean revoked;
  /** The stream is ending because its access token expired. */
  protected boolean expired;
  /** Characters written since the write queue went past the shed bound (about bytes). */
  private long overflow;

  Session(Principal principal, Context context, Long since, Backlog backlog) {
    super(principal.userId(), context, since);
    this.familyId = principal.familyId();
    this.expiresAt = principal.expiresAt();
    this.backlog = backlog;
  }

  /** A fresh access token of the same user for this stream (the WebSocket's {@code auth} frame). */
  void renew(Principal principal) {
    familyId = principal.familyId();
    expiresAt = principal.expiresAt();
  }

  /** Ends the stream because its sign-in ended; the client must sign in (or refresh) again. */
  void revoke() {
    context.runOnContext(v -> {
      revoked = true;
      close();
    });
  }

  /**
   * True when the connection's write queue is past {@link Backlog#shedBytes()} (the transport sets
   * it as the socket's write-queue size); false again once it has drained to half of that.
   */
  protected abstract boolean writeQueueFull();

  /** Writes one event as this transport frames it; the number of characters written. */
  protected abstract int write(Event event);

  /** Sends a keep-alive (SSE comment, WebSocket ping). */
  protected abstract void ping();

  @Override
  protected void transmit(Event event) {
    if (!writeQueueFull()) {
      overflow = 0;
      write(event);
      return;
    }
    if (Backlog.SHEDDABLE.contains(event.type())) {
      backlog.shed().increment();
      return;
    }
    if (overflow >= backlog.headroom()) {
      log.debug("closing a connection of {} that does not keep up", userId);
      backlog.closed().increment();
      abort();
      return;
    }
    overflow += write(event);
  }

  /**
   * Pings, or ends the stream if its access token has expired (checked at each ping, so at most
   * one ping interval late): a stream lives no longer than the token that opened or renewed it.
   */
  void keepAlive() {
    context.runOnContext(v -> {
      if (isClosed()) {
        return;
      }
      if (expiresAt > 0 && System.currentTimeMillis() >= expiresAt) {
        expired = true;
        close();
      } else {
        ping();
      }
    });
  }
}
