package dev.parley.outgoing;

import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.EndpointGuard;
import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Events;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing webhooks' deliverer: every {@code pollIntervalMs} it asks the store which bots it
 * is to send for ({@link Address#OUTGOING_PENDING}: bots with an unpaused webhook and events after
 * their kept position, each leased to one deliverer in the cluster), and sends each such bot's
 * events one at a time, in event-id order, to its endpoint.
 *
 * <p>A 2xx answer is a delivery: the attempt is logged and the bot's position moved past the event
 * in one store command ({@link Address#OUTGOING_ATTEMPT}); a {@code {text}} in the answer is first
 * posted back as the bot into the event's conversation, with a client id made from the event id,
 * so an event delivered twice (a crash between answer and log) never posts twice. Anything else
 * (another status, a redirect, no answer, an address the guard refuses) is a failure: logged, and
 * the same event is tried again after 1, 2, 4… times {@code retryBaseMs} (at most
 * {@code retryMaxDelayMs}) until it has failed for {@code maxRetryHours}, when the store pauses the
 * webhook. The bot's own messages are not sent (a bot answering every message would answer itself).
 *
 * <p>A worker verticle: name resolution and signing never hold an event loop.
 */
public final class OutgoingWebhookVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OutgoingWebhookVerticle.class);
  /** Events read from the store at a time for one bot. */
  private static final int PAGE = 50;

  private ParleyConfig.OutgoingWebhooks settings;
  private Bus bus;
  private WebhookRequests requests;
  private String nodeId;
  private long poller;
  private boolean polling;
  private boolean stopped;
  /** The bots being sent for now, by id. */
  private final Map<String, Run> runs = new HashMap<>();

  @Override
  public Future<?> start() {
    ParleyConfig config = ParleyConfig.from(config());
    settings = config.outgoingWebhooks();
    bus = new Bus(vertx, config.busTimeoutMs());
    // One name per deliverer: a node's own, so a restarted node picks up its own leases at once.
    nodeId = (config.memberId() != null ? config.memberId() : "node") + "/outgoing/" + Secrets.token(6);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setForceSni(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeoutMs())),
        new PoolOptions().setHttp1MaxSize(8));
    requests = new WebhookRequests(vertx, client, new EndpointGuard(settings.allowPrivateEndpoints()),
        settings.requestTimeoutMs());
    poller = vertx.setPeriodic(settings.pollIntervalMs(), t -> poll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(poller);
    List<Future<BusBody.Empty>> released = new ArrayList<>();
    for (Run run : runs.values()) {
      vertx.cancelTimer(run.retryTimer);
      released.add(bus.request(Address.OUTGOING_RELEASE, new BotCommands.Release(nodeId, run.botId)));
    }
    runs.clear();
    return Future.join(released).otherwiseEmpty();
  }

  private void poll() {
    if (polling || stopped) {
      return;
    }
    polling = true;
    bus.request(Address.OUTGOING_PENDING, new BotCommands.Deliverer(nodeId))
        .onComplete(ar -> {
          polling = false;
          if (ar.failed() || stopped) {
            return; // no store just now: the next poll asks again
          }
          long head = ar.result().head();
          for (BotCommands.PendingBot bot : ar.result().bots()) {
            Run running = runs.get(bot.botId());
            if (running != null && running.sameEndpoint(bot)) {
              continue;
            }
            if (running != null) {
              running.cancel(); // the owner set a new URL or secret: the old run sends nothing more
            }
            Run run = new Run(bot, head);
            runs.put(run.botId, run);
            run.next();
          }
        });
  }

  /** Sending one bot's events, one at a time, until none is left or the bot is no longer this deliverer's. */
  private final class Run {
    final String botId;
    final String url;
    final String secret;
    final long head;
    long acked;
    /** The failures so far of the event at the head, as the store counts them. */
    int failures;
    Long failingEventId;
    long retryTimer = -1;
    boolean cancelled;

    Run(BotCommands.PendingBot bot, long head) {
      botId = bot.botId();
      url = bot.url();
      secret = bot.secret();
      acked = bot.ackedId();
      failures = bot.failures();
      failingEventId = bot.failingEventId();
      this.head = head;
    }

    boolean sameEndpoint(BotCommands.PendingBot bot) {
      return url.equals(bot.url()) && secret.equals(bot.secret());
    }

    void cancel() {
      cancelled = true;
      vertx.cancelTimer(retryTimer);
    }

    /** Reads the next page after the kept position and sends it. */
    void next() {
      if (stopped || cancelled) {
        return;
      }
      bus.request(Address.EVENTS_SINCE, new MessageCommands.EventsSince(botId, acked, PAGE, true))
          .onSuccess(reply -> {
            JsonArray events = reply.events();
            if (events.isEmpty()) {
              // Nothing of this bot's up to head: its position moves there, so it is not pending again.
              Future<?> moved = head > acked
                  ? bus.request(Address.BOT_ACK, new BotCommands.Ack(botId, head))
                  : Future.succeededFuture();
              moved.onComplete(ar -> finish());
            } else {
              send(events, 0);
            }
          })
          .onFailure(e -> finish());
    }

    void send(JsonArray events, int i) {
      if (stopped || cancelled) {
        return;
      }
      if (i == events.size()) {
        next();
        return;
      }
      JsonObject frame = events.getJsonObject(i);
      long eventId = frame.getLong("id");
      JsonObject data = frame.getJsonObject("data", new JsonObject());
      if (botId.equals(data.getString("senderId"))) {
        bus.request(Address.BOT_ACK, new BotCommands.Ack(botId, eventId))
            .onSuccess(r -> {
              acked = eventId;
              send(events, i + 1);
            })
            .onFailure(e -> finish());
        return;
      }
      byte[] body = frame.encode().getBytes(StandardCharsets.UTF_8);
      requests.send(url, secret, eventId, body).onComplete(ar -> {
        WebhookRequests.Outcome outcome = ar.result();
        Future<String> replied = outcome.delivered() ? reply(data, eventId, outcome) : Future.succeededFuture(outcome.error());
        replied.onComplete(r -> record(events, i, eventId, outcome, r.result()));
      });
    }

    /** Posts the answer's {@code {text}}, if any, as the bot; the reply is an error to log, or null. */
    Future<String> reply(JsonObject data, long eventId, WebhookRequests.Outcome outcome) {
      if (outcome.error() != null) {
        return Future.succeededFuture(outcome.error());
      }
      String text = answerText(outcome);
      String conversationId = data.getString("conversationId");
      if (text == null || conversationId == null) {
        return Future.succeededFuture(null);
      }
      MessageCommands.Send cmd;
      try {
        cmd = MessageCommands.Send.of(botId, SendRequest.parse(conversationId, new JsonObject()
            .put("clientId", "webhook-reply:" + eventId).put("type", "text").put("text", text), "type"));
      } catch (RuntimeException e) {
        return Future.succeededFuture("reply not posted: " + e.getMessage());
      }
      return bus.request(Address.MESSAGE_SEND, cmd)
          .map(sent -> (String) null)
          .otherwise(e -> "reply not posted: " + e.getMessage());
    }

    void record(JsonArray events, int i, long eventId, WebhookRequests.Outcome outcome, String error) {
      if (stopped || cancelled) {
        return; // not recorded: an event delivered to the old endpoint is sent again (at least once)
      }
      BotCommands.Attempt attempt = new BotCommands.Attempt(nodeId, botId, eventId, outcome.status(), outcome.latencyMs(),
          error == null || error.length() <= 500 ? error : error.substring(0, 500), outcome.delivered(), settings.maxRetryMs());
      bus.request(Address.OUTGOING_ATTEMPT, attempt).onComplete(ar -> {
        if (ar.failed()) {
          // Lost the lease, the webhook changed or went, or no store: the next poll decides anew.
          log.debug("outgoing webhook of {}: stopping: {}", botId, ar.cause().getMessage());
          finish();
          return;
        }
        if (outcome.delivered()) {
          acked = Math.max(acked, eventId);
          failures = 0;
          failingEventId = null;
          send(events, i + 1);
        } else if (ar.result().paused()) {
          log.warn("outgoing webhook of bot {} paused after event {} kept failing: {}", botId, eventId, error);
          finish();
        } else {
          failures = ar.result().failures();
          failingEventId = eventId;
          long delay = Math.min(settings.retryMaxDelayMs(),
              settings.retryBaseMs() << Math.min(30, Math.max(0, failures - 1)));
          retryTimer = vertx.setTimer(delay, t -> send(events, i));
        }
      });
    }

    void finish() {
      if (cancelled) {
        return;
      }
      runs.remove(botId);
      if (!stopped) {
        bus.request(Address.OUTGOING_RELEASE, new BotCommands.Release(nodeId, botId));
      }
    }
  }

  /** The answer's {@code text}, if it is a JSON object with a non-blank string {@code text}. */
  private static String answerText(WebhookRequests.Outcome outcome) {
    if (outcome.body() == null || outcome.body().length() == 0) {
      return null;
    }
    try {
      Object text = new JsonObject(outcome.body()).getValue("text");
      return text instanceof String s && !s.isBlank() ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
