package dev.parley.bench;

import dev.parley.support.Samples;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media benchmark ({@code -Dbench.mode=media}): one server process (as {@link Benchmark}),
 * driven over real HTTP with multipart uploads. It measures
 * <ol>
 *   <li>thumbnails per second for a 12-megapixel JPEG (4000 × 3000), with the server's peak heap
 *       in use while it works (sampled from {@code /metrics} every 50 ms);</li>
 *   <li>throughput of {@code bench.uploaders} (20) concurrent uploads: the same JPEG, then a
 *       4 MiB PDF (no image work: the upload path alone);</li>
 *   <li>chat latency (paced direct messages, as {@link Benchmark}'s paced mode) without, then
 *       with, a thumbnail load running.</li>
 * </ol>
 * Options: {@code -Dbench.seconds=10 -Dbench.warmup=15 -Dbench.uploaders=20 -Dbench.chatPairs=20
 * -Dbench.chatRate=400 -Dbench.loadUploaders=4}; {@code -Dbench.serverConf=',"media":{"workers":2}'}
 * changes the server.
 */
final class MediaBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int UPLOADERS = Integer.getInteger("bench.uploaders", 20);
  private static final int CHAT_PAIRS = Integer.getInteger("bench.chatPairs", 20);
  private static final int CHAT_RATE = Integer.getInteger("bench.chatRate", 400);
  private static final int LOAD_UPLOADERS = Integer.getInteger("bench.loadUploaders", 4);
  private static final String HEAP = System.getProperty("bench.heap", "1g");

  private final Vertx vertx;
  private final HttpClient http;
  private final AtomicLong names = new AtomicLong();

  private MediaBenchmark(Vertx vertx, int port) {
    this.vertx = vertx;
    // Pooled connections are let go after 20 s idle, before the server closes them (60 s): a
    // request never goes out on a connection the server is closing.
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAliveTimeout(20), new PoolOptions().setHttp1MaxSize(64));
  }

  public static void main(String[] args) throws Exception {
    System.out.println("Parley media benchmark — " + Benchmark.machine());
    byte[] jpeg = Samples.jpeg(Samples.photo(4000, 3000, 42), 0.85f);
    byte[] pdf = pdf(4 << 20);
    System.out.printf("settings: %d s measured per phase, server heap %s, 12 MP JPEG of %,d bytes, %d uploaders,"
            + " chat %d pairs at %d messages/s, thumbnail load %d uploaders%n",
        SECONDS, HEAP, jpeg.length, UPLOADERS, CHAT_PAIRS, CHAT_RATE, LOAD_UPLOADERS);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (ServerProcess server = ServerProcess.start(port, HEAP)) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      MediaBenchmark bench = new MediaBenchmark(vertx, port);
      try {
        List<String> tokens = bench.signUp(Math.max(UPLOADERS, LOAD_UPLOADERS));
        bench.upload(tokens.get(0), "warm-up.jpg", jpeg).await();
        bench.thumbnails(server, tokens.get(0), jpeg);
        bench.concurrent(server, tokens, "12 MP JPEG", "photo.jpg", jpeg);
        bench.concurrent(server, tokens, "4 MiB PDF ", "paper.pdf", pdf);
        Benchmark chat = new Benchmark(vertx, List.of(port));
        Benchmark.Result alone = chat.direct(server, CHAT_PAIRS, "chat alone   ", CHAT_RATE);
        Load load = bench.startLoad(tokens.subList(0, LOAD_UPLOADERS), jpeg);
        Benchmark.Result loaded = chat.direct(server, CHAT_PAIRS, "chat + thumbs", CHAT_RATE);
        double thumbs = load.stop();
        System.out.printf("chat p99    : %.1f ms alone, %.1f ms while thumbnails are made (%.1f thumbnails/s alongside;"
            + " p50 %.1f → %.1f ms)%n", alone.p99(), loaded.p99(), thumbs, alone.p50(), loaded.p50());
      } finally {
        vertx.close().await();
      }
    }
  }

  /** Uploads one after another (two in flight, so the media verticle always has the next one). */
  private void thumbnails(ServerProcess server, String token, byte[] jpeg) throws Exception {
    AtomicLong done = new AtomicLong();
    Histogram latency = new Histogram();
    HeapSampler heap = new HeapSampler();
    double cpu = server.cpuSeconds();
    long elapsed = loop(List.of(token, token), "photo.jpg", jpeg, done, latency);
    cpu = server.cpuSeconds() - cpu;
    String peak = heap.stop();
    System.out.printf("thumbnails  : %.2f/s for a 12 MP JPEG (upload, probe, EXIF, 320 px thumbnail, filed); upload %s;"
            + " %s; server CPU %.0f%% of one core%n",
        done.get() / (elapsed / 1e9), latency.summary(), peak, cpu / (elapsed / 1e9) * 100);
  }

  private void concurrent(ServerProcess server, List<String> tokens, String label, String name, byte[] bytes)
      throws Exception {
    AtomicLong done = new AtomicLong();
    Histogram latency = new Histogram();
    HeapSampler heap = new HeapSampler();
    double cpu = server.cpuSeconds();
    long elapsed = loop(tokens.subList(0, UPLOADERS), name, bytes, done, latency);
    cpu = server.cpuSeconds() - cpu;
    String peak = heap.stop();
    double seconds = elapsed / 1e9;
    System.out.printf("%d uploads  : %s: %.2f uploads/s, %.1f MiB/s in; upload %s; %s; server CPU %.0f%%%n",
        UPLOADERS, label, done.get() / seconds, done.get() * (double) bytes.length / seconds / (1 << 20),
        latency.summary(), peak, cpu / seconds * 100);
  }

  /** One upload loop per token, for {@code bench.seconds}; returns the measured nanoseconds. */
  private long loop(List<String> tokens, String name, byte[] bytes, AtomicLong done, Histogram latency)
      throws InterruptedException {
    AtomicBoolean stopped = new AtomicBoolean();
    long start = System.nanoTime();
    for (String token : tokens) {
      vertx.runOnContext(v -> next(token, name, bytes, stopped, done, latency));
    }
    Thread.sleep(SECONDS * 1000L);
    stopped.set(true);
    long elapsed = System.nanoTime() - start;
    Thread.sleep(2000); // let uploads in flight finish before the next phase
    return elapsed;
  }

  private void next(String token, String name, byte[] bytes, AtomicBoolean stopped, AtomicLong done, Histogram latency) {
    if (stopped.get()) {
      return;
    }
    long start = System.nanoTime();
    upload(token, name, bytes).onComplete(ar -> {
      if (ar.succeeded() && !stopped.get()) {
        done.incrementAndGet();
        latency.record((System.nanoTime() - start) / 1000);
      } else if (ar.failed() && !stopped.get()) {
        System.out.println("upload failed: " + ar.cause().getMessage());
      }
      next(token, name, bytes, stopped, done, latency);
    });
  }

  /** Thumbnail uploads running in the background while the chat is measured. */
  private final class Load {
    final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicLong done = new AtomicLong();
    final long start = System.nanoTime();

    double stop() {
      stopped.set(true);
      return done.get() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private Load startLoad(List<String> tokens, byte[] jpeg) {
    Load load = new Load();
    Histogram ignored = new Histogram();
    for (String token : tokens) {
      vertx.runOnContext(v -> next(token, "load.jpg", jpeg, load.stopped, load.done, ignored));
    }
    return load;
  }

  /**
   * The server's heap in use, sampled from /metrics: all pools (young garbage included, so it
   * grows towards -Xmx whatever the work needs) and the old generation (what survives).
   */
  private final class HeapSampler {
    final AtomicLong peak = new AtomicLong();
    final AtomicLong peakOld = new AtomicLong();
    final long timer = vertx.setPeriodic(50, t -> http.request(HttpMethod.GET, "/metrics")
        .compose(req -> req.send()).compose(res -> res.body())
        .onSuccess(body -> {
          peak.accumulateAndGet(heapUsed(body.toString(), ""), Math::max);
          peakOld.accumulateAndGet(heapUsed(body.toString(), "Old Gen"), Math::max);
        }));

    String stop() {
      vertx.cancelTimer(timer);
      return String.format("peak heap in use %,d MiB, old generation %,d MiB (-Xmx%s)", peak.get() >> 20,
          peakOld.get() >> 20, HEAP);
    }
  }

  static long heapUsed(String metrics, String pool) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"") && line.contains(pool)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private Future<JsonObject> upload(String token, String name, byte[] bytes) {
    String boundary = "bench-" + names.incrementAndGet();
    Buffer body = Buffer.buffer(bytes.length + 256)
        .appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n\r\n")
        .appendBytes(bytes).appendString("\r\n--" + boundary + "--\r\n");
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/media")
        .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
        .putHeader("Authorization", "Bearer " + token);
    return request(options, body);
  }

  private List<String> signUp(int count) {
    List<Future<String>> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject credentials = new JsonObject().put("username", "media-" + names.incrementAndGet())
          .put("password", "benchmark-password");
      tokens.add(post("/api/auth/register", credentials).compose(v -> post("/api/auth/login", credentials))
          .map(login -> login.getString("accessToken")));
    }
    return Future.all(tokens).await().list();
  }

  private Future<JsonObject> post(String path, JsonObject body) {
    return request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  private Future<JsonObject> request(RequestOptions options, Buffer body) {
    io.vertx.core.Promise<JsonObject> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> http.request(options).compose(req -> req.send(body))
        .compose(res -> res.body().compose(buf -> res.statusCode() < 300
            ? Future.succeededFuture(new JsonObject(buf))
            : Future.failedFuture(options.getURI() + " answered " + res.statusCode() + ": " + buf)))
        .onComplete(done));
    return done.future();
  }

  /** A PDF by its magic number, then incompressible bytes: what the sniffer sees of a document. */
  private static byte[] pdf(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    byte[] head = "%PDF-1.7\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }
}
