package dev.parley.http;

import dev.parley.shared.Failure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The guard on every request Parley makes to an address a user gave it (a push subscription's
 * endpoint, a bot's outgoing webhook): only {@code https} to a public address, never to this
 * machine or the networks behind it. The syntax is checked when a subscription comes in (a clear 400), the resolved address
 * again before each request, and the request then goes to that very address, so a name that
 * later resolves somewhere private (DNS rebinding) reaches nothing inside.
 *
 * <p>{@code allowPrivate} lets plain http and private or loopback addresses through: a push
 * service on the local network, and the tests' own push service on loopback.
 */
public final class EndpointGuard {
  /** The longest endpoint accepted; the push services' are a few hundred characters. */
  public static final int MAX_LENGTH = 1024;

  private final boolean allowPrivate;

  public EndpointGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** The endpoint as a URI, or a {@link Failure} (400) saying what is wrong with it. */
  public URI check(String endpoint) {
    if (endpoint == null || endpoint.isEmpty() || endpoint.length() > MAX_LENGTH) {
      throw Failure.invalid("endpoint", "endpoint must be a URL of at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw Failure.invalid("endpoint", "endpoint is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
      throw Failure.invalid("endpoint", "endpoint must be an https URL");
    }
    String host = uri.getHost();
    if (host == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw Failure.invalid("endpoint", "endpoint must name a host, without user info or fragment");
    }
    if (!allowPrivate && (isLiteral(host) ? !isPublic(literal(host)) : isLocalName(host))) {
      throw Failure.invalid("endpoint", "endpoint must be a public address");
    }
    return uri;
  }

  /**
   * The address to connect to for {@code uri}: its host resolved, every address it resolves to
   * public. Blocking (name resolution): call it on a worker.
   */
  public InetAddress resolve(URI uri) throws UnknownHostException {
    InetAddress[] all = InetAddress.getAllByName(uri.getHost());
    if (!allowPrivate) {
      for (InetAddress address : all) {
        if (!isPublic(address)) {
          // Not which one: the answer reaches the user who gave the address (a webhook's delivery log).
          throw new UnknownHostException(uri.getHost() + " resolves to a non-public address");
        }
      }
    }
    return all[0];
  }

  /** Whether an address is on the public internet: not this machine, a private network, link-local, multicast or reserved. */
  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0 // "this network"
          && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking
          && first < 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      InetAddress inside = embeddedIpv4(b);
      if (inside != null) {
        return isPublic(inside); // ::ffff:127.0.0.1 is loopback, whatever its family
      }
      int first = b[0] & 0xff;
      return (first & 0xfe) != 0xfc // unique local fc00::/7
          && !(first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // 2001:db8::/32
          && !(first == 0x01 && b[1] == 0 && isZero(b, 2, 8)); // discard 100::/64
    }
    return false;
  }

  /**
   * The IPv4 address an IPv6 address carries, judged like the IPv4 one: mapped ({@code ::ffff:a.b.c.d}),
   * compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4 ({@code 2002:aabb:ccdd::}).
   */
  private static InetAddress embeddedIpv4(byte[] b) {
    int from = -1;
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || isZero(b, 0, 12)) {
      from = 12;
    } else if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
      from = 12;
    } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      from = 2;
    }
    if (from < 0) {
      return null;
    }
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, from, from + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static InetAddress literal(String host) {
    try {
      // A literal never triggers a lookup.
      return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw Failure.invalid("endpoint", "endpoint has a malformed address");
    }
  }

  private static boolean isLocalName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")
        || !h.contains(".");
  }
}
