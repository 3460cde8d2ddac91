package dev.parley.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behind a load balancer: the node trusts the proxy on 127.0.0.1 and nobody else. A client is
 * known by the address the proxy forwards (so one person's failed logins do not lock out the
 * whole office), a client that is not the proxy (this test's connections from 127.0.0.2) cannot
 * pose as another with forwarded headers of its own, the PROXY protocol carries HAProxy's client
 * address, and share links keep the proxy's scheme, host and sub-path.
 */
@ExtendWith(VertxExtension.class)
class ForwardedTest {
  private static final JsonObject WRONG = new JsonObject().put("username", "target").put("password", "guess-guess");

  private static TestNode behindProxy(boolean proxyProtocol) {
    return TestNode.start(c -> {
      c.getJsonObject("auth").put("rateLimit", new JsonObject().put("attemptsPerMinute", 2));
      c.getJsonObject("http").put("trustedProxies", new JsonArray().add("127.0.0.1/32")).put("proxyProtocol", proxyProtocol);
    });
  }

  /** A login attempt from {@code localAddress} with these headers; its status. */
  private static int login(Vertx vertx, int port, String localAddress, Map<String, String> headers) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(localAddress));
    try {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/api/auth/login").putHeader("Content-Type", "application/json");
      headers.forEach(options::putHeader);
      return client.request(options).compose(request -> request.send(WRONG.toBuffer())).await().statusCode();
    } finally {
      client.close().await();
    }
  }

  @Test
  void limitsKeyOnTheClientTheTrustedProxyNamesNotOnTheProxy(Vertx vertx) {
    try (TestNode node = behindProxy(false)) {
      // Username limit 2, address limit 20: the same username from two people behind the proxy.
      Map<String, String> alice = Map.of("X-Forwarded-For", "198.51.100.7");
      Map<String, String> bob = Map.of("X-Forwarded-For", "198.51.100.8, 10.0.0.5", "Forwarded", "for=198.51.100.8");
      assertEquals(401, login(vertx, node.port(), "127.0.0.1", alice));
      assertEquals(401, login(vertx, node.port(), "127.0.0.1", alice));
      assertEquals(429, login(vertx, node.port(), "127.0.0.1", alice), "alice hammered the login");
      assertEquals(401, login(vertx, node.port(), "127.0.0.1", bob), "bob, behind the same proxy, is not locked out");
    }
  }

  @Test
  void aSpoofedForwardedForFromAnUntrustedPeerDoesNotEscapeItsLimit(Vertx vertx) {
    try (TestNode node = behindProxy(false)) {
      for (int i = 0; i < 2; i++) {
        assertEquals(401, login(vertx, node.port(), "127.0.0.2", Map.of("X-Forwarded-For", "203.0.113." + i)));
      }
      assertEquals(429, login(vertx, node.port(), "127.0.0.2", Map.of("X-Forwarded-For", "203.0.113.99",
          "Forwarded", "for=203.0.113.98")), "127.0.0.2 is not a proxy: its headers are ignored");
    }
  }

  @Test
  void thePROXYProtocolCarriesTheClientAddress(Vertx vertx) {
    try (TestNode node = behindProxy(true)) {
      for (int i = 0; i < 2; i++) {
        assertEquals(401, proxied(vertx, node.port(), "192.0.2.10"));
      }
      assertEquals(429, proxied(vertx, node.port(), "192.0.2.10"));
      assertEquals(401, proxied(vertx, node.port(), "192.0.2.11"), "another client of the same HAProxy");
    }
  }

  /** A login over a raw connection that starts with a PROXY v1 header naming {@code client}; its status. */
  private static int proxied(Vertx vertx, int port, String client) {
    NetClient net = vertx.createNetClient();
    try {
      String body = WRONG.encode();
      String request = "PROXY TCP4 " + client + " 127.0.0.1 40000 " + port + "\r\n"
          + "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body;
      Buffer response = net.connect(port, "127.0.0.1").compose(socket -> {
        Buffer all = Buffer.buffer();
        socket.handler(all::appendBuffer);
        return socket.write(request).compose(v -> io.vertx.core.Future.<Buffer>future(p ->
            socket.closeHandler(closed -> p.complete(all))));
      }).await();
      String statusLine = response.toString().split("\r\n")[0];
      return Integer.parseInt(statusLine.split(" ")[1]);
    } finally {
      net.close().await();
    }
  }

  @Test
  void shareLinksKeepTheProxysSchemeHostAndSubPath(Vertx vertx) {
    try (TestNode node = behindProxy(false); Api api = new Api(vertx, node.port())) {
      Account alice = api.signUp("alice");
      String direct = api.direct(alice, api.signUp("bob"));
      api.send(alice, direct, "hello");
      JsonObject body = new JsonObject().put("fromSeq", 1).put("toSeq", 1);
      Map<String, String> proxy = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.example.com",
          "X-Forwarded-Prefix", "/chat/");
      JsonObject share = create(vertx, node.port(), "127.0.0.1", alice, direct, body, proxy);
      assertEquals("https://chat.example.com/chat/s/" + share.getString("token"), share.getString("url"));
      JsonObject spoofed = create(vertx, node.port(), "127.0.0.2", alice, direct, body, proxy);
      assertEquals("http://127.0.0.1:" + node.port() + "/s/" + spoofed.getString("token"), spoofed.getString("url"),
          "an untrusted peer's forwarded headers do not make links");
    }
  }

  private static JsonObject create(Vertx vertx, int port, String localAddress, Account who, String conversationId,
                                   JsonObject body, Map<String, String> headers) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(localAddress));
    try {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/api/conversations/" + conversationId + "/shares").putHeader("Content-Type", "application/json")
          .putHeader("Authorization", "Bearer " + who.token());
      headers.forEach(options::putHeader);
      return client.request(options).compose(request -> request.send(body.toBuffer()))
          .compose(response -> response.body()).await().toJsonObject().getJsonObject("share");
    } finally {
      client.close().await();
    }
  }
}
