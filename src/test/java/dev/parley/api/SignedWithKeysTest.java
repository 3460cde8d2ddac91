package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Access tokens signed with a key pair from configuration ({@code auth.jwtAlgorithm} RS256 or
 * ES256): the server issues tokens with the configured algorithm and accepts nothing else,
 * neither a token of another algorithm, nor {@code alg: none}, nor a tampered one.
 */
@ExtendWith(VertxExtension.class)
class SignedWithKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void tokensAreSignedWithTheConfiguredKeyPairAndNothingElsePasses(String algorithm, Vertx vertx) throws Exception {
    KeyPair keys = keyPair(algorithm);
    Path dir = TestNode.tempDir();
    Path privateKey = write(dir.resolve("jwt-private.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
    Path publicKey = write(dir.resolve("jwt-public.pem"), "PUBLIC KEY", keys.getPublic().getEncoded());
    try (TestNode node = TestNode.start(c -> c.getJsonObject("auth").put("jwtAlgorithm", algorithm)
            .put("jwtPrivateKeyFile", privateKey.toString()).put("jwtPublicKeyFile", publicKey.toString()));
         Api api = new Api(vertx, node.port())) {
      Account ada = api.signUp("ada");
      String[] parts = ada.token().split("\\.");
      assertEquals(algorithm, new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
          .getString("alg"));
      assertEquals(200, api.get("/api/me", ada.token()).status());
      try (var ws = api.webSocket(ada, null)) {
        ws.send(new JsonObject().put("type", "ping"));
        ws.next("pong");
      }

      JsonObject claims = new JsonObject().put("sub", ada.id()).put("typ", "access")
          .put("exp", System.currentTimeMillis() / 1000 + 600);
      String otherSubject = b64(claims.copy().put("sub", "someone-else").encode());
      assertEquals(401, api.get("/api/me", parts[0] + "." + otherSubject + "." + parts[2]).status(), "tampered");
      assertEquals(401, api.get("/api/me", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.encode()) + ".")
          .status(), "alg none");
      // An HMAC token keyed with the public key (the classic algorithm confusion): refused.
      String publicPem = Files.readString(publicKey);
      assertEquals(401, api.get("/api/me", AuthTest.hs256(publicPem, claims)).status(), "HS256 with the public key");
    }
  }

  private static KeyPair keyPair(String algorithm) throws Exception {
    if (algorithm.startsWith("RS")) {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      return rsa.generateKeyPair();
    }
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    return ec.generateKeyPair();
  }

  private static Path write(Path file, String type, byte[] der) {
    String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
    try {
      return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
