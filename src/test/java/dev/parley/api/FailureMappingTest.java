package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.http.HttpFront;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure's way to the client: a verticle fails a bus request with {@link Failure#reply}, the
 * edge turns the {@link ReplyException} back into a {@link Failure} ({@link Failure#from}), and
 * {@link HttpFront#error} (through {@link Http}) answers with the contract's error JSON. Anything
 * unexpected is a 500 that carries an id to its log line and nothing of the exception itself.
 */
@Timeout(30)
class FailureMappingTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/code/:status").handler(ctx -> HttpFront.error(ctx,
        Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Integer.parseInt(ctx.pathParam("status")),
            new JsonObject().put("message", "as the verticle said").put("field", "name").encode()))));
    router.get("/rate-limited").handler(ctx -> HttpFront.error(ctx, Failure.rateLimited("logins", 42)));
    router.get("/timeout").handler(ctx -> HttpReplies.ok(ctx,
        Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "timed out"))));
    router.get("/thrown").handler(HttpReplies.guarded(ctx -> {
      throw Failure.invalid("title", "title is too long");
    }));
    router.get("/bug").handler(HttpReplies.guarded(ctx -> {
      throw new IllegalStateException("secret detail at dev.parley.Something");
    }));
    router.get("/started").handler(ctx -> {
      ctx.response().setChunked(true).setStatusCode(200).write("partial");
      HttpFront.error(ctx, Failure.notFound("file"));
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private record Answer(int status, String connection, String retryAfter, String body) {
    JsonObject error() {
      return new JsonObject(body).getJsonObject("error");
    }
  }

  private static Answer get(String path) {
    // Started from a Vert.x context, as support/Api does: started from the test's thread, a
    // response could be complete before the body is asked for, and the body would be lost.
    Promise<Answer> answer = Promise.promise();
    vertx.runOnContext(v -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), response.getHeader("Connection"),
            response.getHeader("Retry-After"), body.toString())))
        .onComplete(answer));
    return answer.future().timeout(10, TimeUnit.SECONDS).await();
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void aBusFailureKeepsItsCodeMessageAndField(ErrorCode code) {
    Failure failure = Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status(),
        new JsonObject().put("message", "as the verticle said").put("field", "name").put("errorId", "abc123").encode()));
    assertEquals(code, failure.code());
    assertEquals(code == ErrorCode.INTERNAL ? "internal error" : "as the verticle said", failure.getMessage(),
        "a 500's own text stays in the log of the node that had it");
    assertEquals("name", failure.field());
    assertEquals("abc123", failure.errorId(), "the id travels to the client; the log line stays where it was written");
  }

  @Test
  void aFailureThatTravelsTheBusComesBackTheSame() {
    vertx.eventBus().consumer("failure.mapping.test", message -> Failure.reply(message, Failure.rateLimited("messages", 7)))
        .completion().await();
    Throwable cause = vertx.eventBus().request("failure.mapping.test", "hi", new DeliveryOptions().setSendTimeout(5000))
        .map(reply -> (Throwable) null).otherwise(failed -> failed).await();
    Failure back = Failure.from(cause);
    assertEquals(ErrorCode.RATE_LIMITED, back.code());
    assertEquals("too many messages, try again in 7 s", back.getMessage());
    assertEquals(7, back.retryAfter());
    assertNull(back.field());
  }

  @Test
  void aFailureIsPassedThroughAsItIs() {
    Failure invalid = Failure.invalid("title", "title is too long");
    assertSame(invalid, Failure.from(invalid));
  }

  @Test
  void noAnswerFromTheBusIsUnavailable() {
    assertEquals(ErrorCode.UNAVAILABLE, Failure.from(new ReplyException(ReplyFailure.TIMEOUT, "timed out")).code());
    assertEquals(ErrorCode.UNAVAILABLE, Failure.from(new ReplyException(ReplyFailure.NO_HANDLERS, "none")).code());
  }

  @Test
  void aForeignFailureTextIsKeptAndAnUnknownStatusMapsByItsClass() {
    Failure plain = Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no such thing"));
    assertEquals(ErrorCode.NOT_FOUND, plain.code());
    assertEquals("no such thing", plain.getMessage());
    Failure brokenJson = Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "{not json"));
    assertEquals("{not json", brokenJson.getMessage());
    assertEquals(ErrorCode.CONFLICT, brokenJson.code());
    assertEquals(ErrorCode.INVALID_REQUEST, Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 418, "x")).code());
    assertEquals(ErrorCode.INTERNAL, Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 502, "x")).code());
    Failure noText = Failure.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 403, null));
    assertEquals("forbidden", noText.getMessage(), "the code's wire name when there is no text");
  }

  @Test
  void anUnexpectedExceptionIsA500WithAnIdAndIsCounted() {
    Counter unexpected = Meters.registry().counter("parley.errors.unexpected");
    double before = unexpected.count();
    Failure failure = Failure.from(new IllegalStateException("secret detail"));
    assertEquals(ErrorCode.INTERNAL, failure.code());
    assertEquals("internal error", failure.getMessage());
    assertTrue(failure.errorId().matches("[0-9a-f]{1,12}"), failure.errorId());
    assertEquals(before + 1, unexpected.count());
    assertEquals(new JsonObject().put("error", new JsonObject().put("code", "internal").put("message", "internal error")
        .put("errorId", failure.errorId())), failure.toJson());
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"INVALID_REQUEST", "NOT_FOUND", "CONFLICT", "TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE", "INTERNAL"})
  void theEdgeAnswersWithTheStatusAndTheContractsErrorJson(ErrorCode code) {
    Answer answer = get("/code/" + code.status());
    assertEquals(code.status(), answer.status());
    JsonObject error = answer.error();
    assertEquals(code.wire(), error.getString("code"));
    assertEquals(code == ErrorCode.INTERNAL ? "internal error" : "as the verticle said", error.getString("message"));
    assertEquals("name", error.getString("field"));
    assertEquals(code == ErrorCode.TOO_LARGE ? "close" : null, answer.connection(),
        "after a 413 the rest of the body is still on the wire: the connection cannot be reused");
  }

  @Test
  void waitingIsSaidWithRetryAfter() {
    Answer limited = get("/rate-limited");
    assertEquals(429, limited.status());
    assertEquals("42", limited.retryAfter());
    assertEquals(42, limited.error().getLong("retryAfter"));
    Answer unavailable = get("/timeout");
    assertEquals(503, unavailable.status());
    assertEquals("1", unavailable.retryAfter(), "no store answered: come back shortly");
    assertEquals("unavailable", unavailable.error().getString("code"));
  }

  @Test
  void aThrownFailureIsItsAnswerAndABugIsA500WithoutItsDetails() {
    Answer invalid = get("/thrown");
    assertEquals(400, invalid.status());
    assertEquals(new JsonObject().put("code", "invalid_request").put("message", "title is too long").put("field", "title"),
        invalid.error());
    Answer bug = get("/bug");
    assertEquals(500, bug.status());
    assertEquals(List.of("code", "errorId", "message"), bug.error().fieldNames().stream().sorted().toList());
    assertFalse(bug.body().contains("secret") || bug.body().contains("Exception"), bug.body());
  }

  @Test
  void anAnswerAlreadyUnderWayIsEndedNotReplaced() {
    Answer started = get("/started");
    assertEquals(200, started.status());
    assertEquals("partial", started.body());
  }

  @Test
  void theErrorCodesAreTheirStatuses() {
    for (ErrorCode code : ErrorCode.values()) {
      assertSame(code, ErrorCode.fromStatus(code.status()));
    }
  }
}
