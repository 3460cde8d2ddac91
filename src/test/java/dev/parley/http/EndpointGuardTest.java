package dev.parley.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.shared.Failure;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** What a user-given endpoint may name: an https URL of a public address, and nothing inside. */
class EndpointGuardTest {
  private final EndpointGuard guard = new EndpointGuard(false);

  @Test
  void aPushServiceOnThePublicInternetPasses() {
    URI uri = guard.check("https://fcm.googleapis.com/fcm/send/abc:def");
    assertEquals("fcm.googleapis.com", uri.getHost());
    guard.check("https://[2001:4860:4860::8888]/push");
    guard.check("https://8.8.8.8:8443/push");
  }

  @Test
  void anythingThatIsNotHttpsToAPublicAddressIsRefusedBeforeItIsStored() {
    for (String endpoint : new String[] {
        "http://push.example.com/x", "ftp://push.example.com/x", "https:///nohost", "https://user:pw@push.example.com/x",
        "https://127.0.0.1/x", "https://10.1.2.3/x", "https://172.16.0.1/x", "https://192.168.1.1/x",
        "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/x", "https://0.0.0.0/x", "https://[::1]/x",
        "https://[fd00::1]/x", "https://[fe80::1]/x", "https://localhost/x", "https://metadata.internal/x",
        "https://printer.local/x", "https://intranet/x", "https://push.example.com/" + "a".repeat(1100), "not a url"}) {
      Failure refused = assertThrows(Failure.class, () -> guard.check(endpoint), endpoint);
      assertEquals("endpoint", refused.field(), endpoint);
    }
  }

  @Test
  void aNameThatResolvesInsideIsRefusedAtSendTime() {
    // As a stored endpoint whose name now points at loopback (DNS rebinding) would.
    UnknownHostException refused = assertThrows(UnknownHostException.class, () -> guard.resolve(URI.create("https://127.0.0.1/x")));
    assertEquals(true, refused.getMessage().contains("non-public"), refused.getMessage());
  }

  @Test
  void anIpv6AnswerCarryingAnInsideIpv4AddressIsInsideToo() throws Exception {
    // What a DNS AAAA record may give; the JDK keeps these as IPv6 addresses.
    for (String hex : new String[] {
        "00000000000000000000ffff7f000001", // ::ffff:127.0.0.1
        "00000000000000000000ffffa9fea9fe", // ::ffff:169.254.169.254
        "0000000000000000000000000a000001", // ::10.0.0.1
        "0064ff9b0000000000000000c0a80001", // 64:ff9b::192.168.0.1 (NAT64)
        "20027f00000100000000000000000000", // 2002:7f00:1:: (6to4 of 127.0.0.1)
        "20010db8000000000000000000000001", // documentation
        "fd000000000000000000000000000001"}) { // unique local
      java.net.Inet6Address address = java.net.Inet6Address.getByAddress(null, java.util.HexFormat.of().parseHex(hex), null);
      assertEquals(false, EndpointGuard.isPublic(address), hex);
    }
    assertEquals(true, EndpointGuard.isPublic(java.net.Inet6Address.getByAddress(null,
        java.util.HexFormat.of().parseHex("20014860486000000000000000008888"), null)), "2001:4860:4860::8888");
    assertEquals(true, EndpointGuard.isPublic(java.net.Inet6Address.getByAddress(null,
        java.util.HexFormat.of().parseHex("00000000000000000000ffff08080808"), null)), "::ffff:8.8.8.8");
  }

  @Test
  void aClosedNetworkMayAllowPrivateAndPlainHttpEndpoints() throws Exception {
    EndpointGuard open = new EndpointGuard(true);
    open.check("http://127.0.0.1:9000/push/1");
    assertEquals("127.0.0.1", open.resolve(URI.create("http://127.0.0.1:9000/push/1")).getHostAddress());
  }
}
