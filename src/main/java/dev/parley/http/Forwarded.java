package dev.parley.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a request says about its client, believing what a proxy adds only from the proxies the
 * operator trusts ({@code http.trustedProxies}, CIDR ranges; none by default). From a trusted
 * peer, {@code Forwarded} (RFC 7239) or else {@code X-Forwarded-For}/{@code -Proto}/{@code -Host}
 * and {@code X-Forwarded-Prefix} are read; the client is the right-most hop of the chain that is
 * not itself a trusted proxy, so a client cannot pose as another by sending the header itself. From
 * any other peer, the headers are ignored: the peer is the client. (With the PROXY protocol on,
 * Vert.x already reports the address HAProxy received the connection from as the peer.)
 */
public final class Forwarded {
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)+");
  private final List<Range> trusted;

  private Forwarded(List<Range> trusted) {
    this.trusted = trusted;
  }

  /** Trusts the given CIDR ranges ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1/128}); fails on a malformed one. */
  public static Forwarded trusting(List<String> cidrs) {
    List<Range> ranges = new ArrayList<>();
    for (String cidr : cidrs) {
      ranges.add(Range.parse(cidr.trim()));
    }
    return new Forwarded(List.copyOf(ranges));
  }

  /** The client's address: the peer's, or (from a trusted proxy) the right-most untrusted hop it forwarded. */
  public String clientAddress(HttpServerRequest request) {
    String peer = peer(request);
    if (!trusts(peer)) {
      return peer;
    }
    List<String> hops = forwardedFor(request);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!trusts(hop)) {
        return hop;
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }

  /** {@code http} or {@code https} as the client used it. */
  public String proto(HttpServerRequest request) {
    String proto = fromProxy(request, "proto", "X-Forwarded-Proto");
    return proto != null && (proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("http"))
        ? proto.toLowerCase(Locale.ROOT) : request.scheme();
  }

  /** The host (and port) the client addressed. */
  public String host(HttpServerRequest request) {
    String host = fromProxy(request, "host", "X-Forwarded-Host");
    return host != null && !host.isBlank() ? host : request.getHeader(HttpHeaders.HOST);
  }

  /** The path under which the proxy serves Parley ({@code /chat}), or empty: {@code X-Forwarded-Prefix} from a trusted proxy. */
  public String prefix(HttpServerRequest request) {
    if (!trusts(peer(request))) {
      return "";
    }
    String prefix = first(request.getHeader("X-Forwarded-Prefix"));
    if (prefix == null) {
      return "";
    }
    prefix = prefix.replaceAll("/+$", "");
    return PREFIX.matcher(prefix).matches() ? prefix : "";
  }

  boolean trusts(String address) {
    if (trusted.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = Range.bytes(address);
    if (bytes == null) {
      return false;
    }
    for (Range range : trusted) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static String peer(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  /** A forwarded parameter from a trusted peer: {@code Forwarded}'s first element, else the X- header's first value. */
  private String fromProxy(HttpServerRequest request, String parameter, String header) {
    if (!trusts(peer(request))) {
      return null;
    }
    String forwarded = request.getHeader("Forwarded");
    if (forwarded != null) {
      for (String pair : forwarded.split(",")[0].split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(parameter)) {
          return unquote(pair.substring(eq + 1).trim());
        }
      }
      return null;
    }
    return first(request.getHeader(header));
  }

  /** The addresses of {@code Forwarded: for=…} (every element), or else of {@code X-Forwarded-For}, left to right. */
  private static List<String> forwardedFor(HttpServerRequest request) {
    List<String> hops = new ArrayList<>();
    String forwarded = request.getHeader("Forwarded");
    if (forwarded != null) {
      for (String element : forwarded.split(",")) {
        for (String pair : element.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
            hops.add(node(unquote(pair.substring(eq + 1).trim())));
          }
        }
      }
      return hops;
    }
    String xff = request.getHeader("X-Forwarded-For");
    if (xff != null) {
      for (String hop : xff.split(",")) {
        if (!hop.isBlank()) {
          hops.add(node(hop.trim()));
        }
      }
    }
    return hops;
  }

  /** {@code [2001:db8::1]:4711} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String node(String value) {
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end > 0 ? value.substring(1, end) : value;
    }
    int colon = value.indexOf(':');
    return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    String value = header.split(",")[0].trim();
    return value.isEmpty() ? null : value;
  }

  /** An address range: the first {@code bits} bits of {@code network}. */
  private record Range(byte[] network, int bits) {
    static Range parse(String cidr) {
      int slash = cidr.indexOf('/');
      String address = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] network = bytes(address);
      if (network == null) {
        throw new IllegalArgumentException("http.trustedProxies: not an IP address or CIDR range: " + cidr);
      }
      int bits = network.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("http.trustedProxies: bad prefix length in " + cidr);
        }
        if (bits < 0 || bits > network.length * 8) {
          throw new IllegalArgumentException("http.trustedProxies: bad prefix length in " + cidr);
        }
      }
      return new Range(network, bits);
    }

    /** The address's bytes, or null if it is not a literal IP address (never a DNS lookup). */
    static byte[] bytes(String address) {
      // Only literals reach InetAddress, which would otherwise look a name up in DNS.
      boolean v4 = address != null && address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = address != null && address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
      if (!v4 && !v6) {
        return null;
      }
      try {
        byte[] raw = InetAddress.getByName(address).getAddress();
        if (raw.length == 16 && isMappedV4(raw)) {
          return new byte[] {raw[12], raw[13], raw[14], raw[15]};
        }
        return raw;
      } catch (UnknownHostException e) {
        return null;
      }
    }

    private static boolean isMappedV4(byte[] raw) {
      for (int i = 0; i < 10; i++) {
        if (raw[i] != 0) {
          return false;
        }
      }
      return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
