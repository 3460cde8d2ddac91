package dev.parley.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP pass-through in front of a node, for a browser whose connection a test can kill: {@link
 * #cut()} closes every open connection and refuses new ones (as a dead network or a restarting
 * proxy would) until {@link #restore()}. Bytes are not looked at, so HTTP, SSE and WebSocket all
 * pass unchanged; it only notes the request lines it sees, can refuse WebSocket upgrades as a
 * proxy without upgrade support would, and can mount the node under a sub-path.
 */
public final class NetProxy implements AutoCloseable {
  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^((?:GET|POST|PUT|PATCH|DELETE) \\S+) HTTP/1\\.1$");
  private static final Pattern UPGRADE = Pattern.compile("(?im)^upgrade:\\s*websocket\\s*$");
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private volatile boolean down;
  private static final Pattern FIRST_LINE = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\\S+)");
  private volatile boolean refuseWebSockets;
  private volatile String prefix;

  private NetProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::accept);
  }

  /** Listens on a free port of 127.0.0.1 and forwards to {@code targetPort}. */
  public static NetProxy start(Vertx vertx, int targetPort) {
    NetProxy proxy = new NetProxy(vertx, targetPort);
    Promise<NetServer> listening = Promise.promise();
    vertx.runOnContext(v -> proxy.server.listen(0, "127.0.0.1").onComplete(listening));
    listening.future().await();
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  private void accept(NetSocket downstream) {
    if (down) {
      downstream.close();
      return;
    }
    downstream.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed() || down) {
        downstream.close();
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      NetSocket upstream = connected.result();
      open.add(downstream);
      open.add(upstream);
      downstream.closeHandler(v -> {
        open.remove(downstream);
        upstream.close();
      });
      upstream.closeHandler(v -> {
        open.remove(upstream);
        downstream.close();
      });
      downstream.handler(bytes -> forward(bytes, downstream, upstream));
      downstream.resume();
      upstream.pipeTo(downstream);
    });
  }

  /** Browser → node: note the request lines, and refuse WebSocket upgrades when told to. */
  private void forward(Buffer bytes, NetSocket downstream, NetSocket upstream) {
    String text = bytes.toString(StandardCharsets.ISO_8859_1);
    Matcher line = REQUEST_LINE.matcher(text);
    while (line.find()) {
      requests.add(line.group(1));
    }
    if (prefix != null) {
      Matcher first = FIRST_LINE.matcher(text);
      if (first.lookingAt()) {
        if (!first.group(2).startsWith(prefix + "/")) {
          // Outside the sub-path the app is not reachable, as behind a real proxy.
          downstream.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .onComplete(v -> downstream.close());
          upstream.close();
          return;
        }
        text = first.group(1) + " " + first.group(2).substring(prefix.length()) + text.substring(first.end(2));
        bytes = Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    if (refuseWebSockets && UPGRADE.matcher(text).find()) {
      // As a proxy that cannot pass upgrades would answer.
      downstream.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .onComplete(v -> downstream.close());
      upstream.close();
      return;
    }
    upstream.write(bytes);
    if (upstream.writeQueueFull()) {
      downstream.pause();
      upstream.drainHandler(v -> downstream.resume());
    }
  }

  /** From now on answer every WebSocket upgrade with 502, so the client has to use SSE. */
  public NetProxy refuseWebSockets() {
    refuseWebSockets = true;
    return this;
  }

  /**
   * Serves the node under a sub-path, as a reverse proxy mounting it at {@code /chat} would: the
   * prefix is stripped from request paths, and any path outside it gets 404.
   */
  public NetProxy mountAt(String prefix) {
    this.prefix = prefix;
    return this;
  }

  /** The request lines ("GET /api/events?...", as the browser sent them) that came in, oldest first. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Kills every connection through the proxy and refuses new ones. */
  public void cut() {
    down = true;
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> Future.join(open.stream().map(NetSocket::close).toList()).<Void>mapEmpty()
        .otherwiseEmpty().onComplete(done));
    done.future().await();
  }

  /** Accepts connections again. */
  public void restore() {
    down = false;
  }

  @Override
  public void close() {
    cut();
    server.close().await();
    client.close().await();
  }
}
