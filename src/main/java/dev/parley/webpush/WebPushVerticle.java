package dev.parley.webpush;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import dev.parley.config.ParleyConfig;
import dev.parley.http.EndpointGuard;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Meters;
import dev.parley.shared.PushCommands;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push sender: takes {@link Address#WEB_PUSH_DELIVER} (one sender among all nodes' senders
 * gets each message, since it is sent point to point) and sends the notification to each
 * target device through its push service. Deployed as a worker verticle; payload encryption
 * and name resolution run on worker threads of their own, never on an event loop.
 *
 * <p>Each target is tried up to {@code webPush.maxAttempts} times: a push service that is busy
 * (429, 5xx) or unreachable is asked again after 1, 2, 4, 8… seconds, or after its
 * {@code Retry-After}. A subscription it no longer knows (404, 410) is removed from the store.
 * Anything else (a request the service refuses) is logged once and dropped.
 */
public final class WebPushVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WebPushVerticle.class);
  /** The longest wait a push service may ask for before a retry. */
  private static final long MAX_RETRY_DELAY_MS = 600_000;

  private ParleyConfig.WebPush settings;
  private Bus bus;
  private PushRequests requests;
  private Future<WebPush> signer;
  private Counter delivered;
  private Counter expired;
  private Counter failed;
  private Counter retried;

  @Override
  public Future<?> start() {
    ParleyConfig config = ParleyConfig.from(config());
    settings = config.webPush();
    bus = new Bus(vertx, config.busTimeoutMs());
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setForceSni(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeoutMs())),
        new PoolOptions().setHttp1MaxSize(4));
    requests = new PushRequests(vertx, client, new EndpointGuard(settings.allowPrivateEndpoints()), settings);
    delivered = counter("delivered");
    expired = counter("expired");
    failed = counter("failed");
    retried = counter("retried");
    return Bus.subscribe(vertx, Address.WEB_PUSH_DELIVER, this::deliver).completion();
  }

  private static Counter counter(String outcome) {
    return Counter.builder("parley.webpush.requests").tag("outcome", outcome)
        .description("Web Push requests by outcome").register(Meters.registry());
  }

  private void deliver(PushCommands.Deliver body) {
    JsonObject notification = body.notification();
    byte[] payload = notification.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String topic = PushRequests.topic(notification.getString("conversationId"));
    signer().onSuccess(webPush -> body.targets().forEach(target -> attempt(webPush, target, payload, topic, 1)))
        .onFailure(e -> log.warn("web push: no VAPID keys from the store, {} device(s) not told: {}",
            body.targets().size(), e.getMessage()));
  }

  private void attempt(WebPush webPush, PushCommands.Target target, byte[] payload, String topic, int attempt) {
    requests.send(webPush, target, payload, topic).onComplete(ar -> {
      PushRequests.Outcome outcome = ar.succeeded() ? ar.result() : PushRequests.Outcome.unreachable(ar.cause());
      switch (outcome.kind()) {
        case DELIVERED -> delivered.increment();
        case EXPIRED -> {
          expired.increment();
          bus.request(Address.PUSH_EXPIRED, new PushCommands.Expired(target.id(), target.endpoint()))
              .onFailure(e -> log.warn("web push: could not remove expired subscription {}: {}", target.id(),
                  e.getMessage()));
        }
        case RETRY -> {
          if (attempt >= settings.maxAttempts()) {
            failed.increment();
            log.warn("web push to {} failed after {} attempts: {}", outcome.service(), attempt, outcome.detail());
          } else {
            retried.increment();
            long delay = outcome.retryAfterMs() > 0 ? Math.min(MAX_RETRY_DELAY_MS, outcome.retryAfterMs())
                : 1_000L << Math.min(attempt - 1, 9); // at most 8.5 min
            vertx.setTimer(delay, t -> attempt(webPush, target, payload, topic, attempt + 1));
          }
        }
        case REFUSED -> {
          failed.increment();
          log.warn("web push to {} refused: {}", outcome.service(), outcome.detail());
        }
      }
    });
  }

  /** The request signer, from the store's VAPID keys; asked again if the store did not answer. */
  private Future<WebPush> signer() {
    if (signer == null || signer.failed()) {
      signer = bus.request(Address.PUSH_VAPID, BusBody.Empty.INSTANCE)
          .map(keys -> new WebPush(settings.subject(), VapidKeys.create(keys.x509(), keys.pkcs8())));
    }
    return signer;
  }
}
