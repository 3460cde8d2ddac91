package dev.parley.support;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Multipart uploads and binary downloads over {@link Api}'s real HTTP client. */
public final class Uploads {
  private final Api api;

  public Uploads(Api api) {
    this.api = api;
  }

  /** An answer with its body as bytes. */
  public record Fetched(int status, Map<String, String> headers, byte[] body) {
    public JsonObject json() {
      return new JsonObject(Buffer.buffer(body));
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  /** {@code POST /api/media} with one part, field {@code file} (contentType may be null). */
  public Fetched upload(String token, String filename, String contentType, byte[] bytes) {
    return upload(token, "file", filename, contentType, bytes);
  }

  public Fetched upload(String token, String field, String filename, String contentType, byte[] bytes) {
    String boundary = "parley-" + UUID.randomUUID();
    Buffer body = Buffer.buffer()
        .appendString("--" + boundary + "\r\n")
        .appendString("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n");
    if (contentType != null) {
      body.appendString("Content-Type: " + contentType + "\r\n");
    }
    body.appendString("\r\n").appendBytes(bytes).appendString("\r\n--" + boundary + "--\r\n");
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
    return exchange(HttpMethod.POST, "/api/media", token, headers, body);
  }

  /** A GET with extra headers (Range, If-None-Match…). */
  public Fetched get(String path, String token, Map<String, String> headers) {
    return exchange(HttpMethod.GET, path, token, headers, null);
  }

  public Fetched get(String path, String token) {
    return get(path, token, Map.of());
  }

  public Fetched exchange(HttpMethod method, String path, String token, Map<String, String> headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(options::putHeader);
    return api.onContext(() -> api.http().request(options)
            .compose(request -> body == null ? request.send() : request.send(body))
            .compose(response -> response.body().map(buffer -> fetched(response, buffer))))
        .timeout(30, TimeUnit.SECONDS)
        .await();
  }

  private static Fetched fetched(HttpClientResponse response, Buffer body) {
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
    return new Fetched(response.statusCode(), headers, body.getBytes());
  }

  /** Runs {@code work} and yields its future's value, failing the test past 30 s. */
  public static <T> T await(Future<T> work) {
    return work.timeout(30, TimeUnit.SECONDS).await();
  }
}
