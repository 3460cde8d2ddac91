package dev.parley.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push service on loopback speaking the real protocol, as a browser's would (RFC 8030): each
 * {@link Device} has its own P-256 key pair and auth secret like a browser subscription, and
 * every request to it must carry a valid VAPID signature (RFC 8292) for this service's origin
 * and a payload that decrypts with the device's keys (RFC 8291, aes128gcm). A request that
 * fails a check is answered 400 and recorded as a problem, which the tests assert is empty.
 */
public final class LocalPushService implements AutoCloseable {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger IDS = new AtomicInteger();

  /** One push that reached a device: the decrypted notification and the request's headers. */
  public record Push(JsonObject payload, Map<String, String> headers) {
  }

  /** A subscribed browser: its keys, what reached it, and what it answers next. */
  public final class Device {
    private final String id = "d" + IDS.incrementAndGet();
    private final KeyPair keys;
    private final byte[] auth = new byte[16];
    private final BlockingQueue<Push> received = new LinkedBlockingQueue<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();

    private Device() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      RANDOM.nextBytes(auth);
    }

    public String endpoint() {
      return "http://127.0.0.1:" + server.actualPort() + "/push/" + id;
    }

    /** What the browser's {@code PushSubscription.toJSON()} gives for it. */
    public JsonObject subscription() {
      return new JsonObject().put("endpoint", endpoint()).put("expirationTime", null)
          .put("keys", new JsonObject().put("p256dh", B64.encodeToString(uncompressed((ECPublicKey) keys.getPublic())))
              .put("auth", B64.encodeToString(auth)));
    }

    /** The next requests are answered with these statuses (then 201 again). */
    public synchronized Device answer(int... statuses) {
      for (int status : statuses) {
        answers.add(status);
      }
      return this;
    }

    private synchronized int nextAnswer() {
      Integer next = answers.poll();
      return next == null ? 201 : next;
    }

    /** The next push to arrive, within {@code seconds}; fails the test if none does. */
    public Push next(int seconds) throws InterruptedException {
      Push push = received.poll(seconds, TimeUnit.SECONDS);
      if (push == null) {
        throw new AssertionError("no push reached " + id + " within " + seconds + " s");
      }
      return push;
    }

    /** A push that arrives within {@code millis}, or null. */
    public Push poll(long millis) throws InterruptedException {
      return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Every request made to this device's endpoint, whatever it was answered. */
    public int requests() {
      return requests.get();
    }
  }

  private final HttpServer server;
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  private final BlockingQueue<String> problems = new LinkedBlockingQueue<>();

  private LocalPushService(HttpServer server) {
    this.server = server;
  }

  public static LocalPushService start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    LocalPushService service = new LocalPushService(server);
    server.requestHandler(service::handle);
    server.listen(0, "127.0.0.1").await();
    return service;
  }

  public Device device() {
    Device device = new Device();
    devices.put(device.id, device);
    return device;
  }

  /** Requests that broke the protocol (bad signature, wrong audience, undecryptable payload…). */
  public java.util.List<String> problems() {
    return java.util.List.copyOf(problems);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    Device device = path.startsWith("/push/") ? devices.get(path.substring(6)) : null;
    if (device == null || request.method() != io.vertx.core.http.HttpMethod.POST) {
      request.response().setStatusCode(404).end();
      return;
    }
    device.requests.incrementAndGet();
    request.body().onSuccess(body -> {
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      try {
        checkVapid(headers.get("Authorization"));
        if (!"aes128gcm".equals(headers.get("Content-Encoding")) || headers.get("TTL") == null) {
          throw new IllegalStateException("missing Content-Encoding aes128gcm or TTL");
        }
        JsonObject payload = new JsonObject(new String(decrypt(device, body.getBytes()), StandardCharsets.UTF_8));
        int status = device.nextAnswer();
        if (status < 300) {
          device.received.add(new Push(payload, headers));
        }
        request.response().setStatusCode(status).putHeader("Retry-After", status == 429 || status >= 500 ? "1" : null).end();
      } catch (Exception e) {
        problems.add(device.id + ": " + e);
        request.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
      }
    });
  }

  /** {@code vapid t=<ES256 JWT>, k=<public key>}: signed by k, for this origin, not expired. */
  private void checkVapid(String header) throws Exception {
    if (header == null || !header.startsWith("vapid ")) {
      throw new IllegalStateException("no VAPID authorization");
    }
    Map<String, String> parts = new ConcurrentHashMap<>();
    for (String part : header.substring(6).split(",")) {
      String[] kv = part.trim().split("=", 2);
      parts.put(kv[0], kv[1]);
    }
    String[] jwt = parts.get("t").split("\\.");
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(publicKey(UNB64.decode(parts.get("k"))));
    verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    if (!verifier.verify(UNB64.decode(jwt[2]))) {
      throw new IllegalStateException("VAPID signature does not verify with k");
    }
    JsonObject claims = new JsonObject(new String(UNB64.decode(jwt[1]), StandardCharsets.UTF_8));
    if (!("http://127.0.0.1:" + server.actualPort()).equals(claims.getString("aud"))) {
      throw new IllegalStateException("VAPID audience " + claims.getString("aud") + " is not this push service");
    }
    long exp = claims.getLong("exp", 0L);
    long now = System.currentTimeMillis() / 1000;
    if (exp <= now || exp > now + 24 * 3600) {
      throw new IllegalStateException("VAPID exp must be within 24 hours");
    }
    String sub = claims.getString("sub", "");
    if (!sub.startsWith("mailto:") && !sub.startsWith("https://")) {
      throw new IllegalStateException("VAPID sub must be a mailto: or https: contact");
    }
  }

  /** RFC 8291 §3.4 and RFC 8188: the user agent's side of aes128gcm. */
  private static byte[] decrypt(Device device, byte[] body) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    in.get(salt);
    int recordSize = in.getInt();
    byte[] serverKey = new byte[in.get() & 0xff];
    in.get(serverKey);
    byte[] ciphertext = new byte[in.remaining()];
    in.get(ciphertext);
    if (ciphertext.length > recordSize) {
      throw new IllegalStateException("a single record was expected");
    }
    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(device.keys.getPrivate());
    ecdh.doPhase(publicKey(serverKey), true);
    byte[] shared = ecdh.generateSecret();
    byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII),
        uncompressed((ECPublicKey) device.keys.getPublic()), serverKey);
    byte[] ikm = hkdf(device.auth, shared, keyInfo, 32);
    byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = aes.doFinal(ciphertext);
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != 2) {
      throw new IllegalStateException("the last record's delimiter (0x02) is missing");
    }
    return Arrays.copyOf(padded, end);
  }

  private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length);
  }

  private static PublicKey publicKey(byte[] uncompressed) throws Exception {
    if (uncompressed.length != 65 || uncompressed[0] != 4) {
      throw new IllegalStateException("not an uncompressed P-256 point");
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey any = (ECPublicKey) generator.generateKeyPair().getPublic();
    ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, any.getParams()));
  }

  private static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(key.getW().getAffineX(), out, 1);
    copy32(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void copy32(BigInteger n, byte[] out, int at) {
    byte[] raw = n.toByteArray();
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, at + 32 - len, len);
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
