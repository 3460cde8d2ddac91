package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Frames;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: the only code that touches the database. One instance per node that has the
 * {@code store} role (exactly one per SQLite deployment).
 *
 * <p>Consumes every {@code store.*} address of {@link Address}. Publishes {@code chat.user.<id>}
 * events after the change they describe has committed: {@code message}, {@code conversation},
 * {@code typing}, {@code delivered}, {@code read}, {@code presence}, and the route markers that
 * answer {@code store.route.probe}; and {@code event.bot.revoked}
 * once a bot's token is gone.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);

  private Database database;
  private WriteQueue writes;
  private SqlConnection writer;
  private SearchIndex search;
  private StoreLease lease;
  private ClientKeys clientKeys;

  @Override
  public Future<?> start() {
    ParleyConfig config = ParleyConfig.from(config());
    database = new Database(vertx, Path.of(config.store().dataDir()), config.store().readPoolSize());
    State state = new State();
    Presence presence = new Presence();
    return StoreLease.acquire(vertx, config.nodeId())
        .compose(held -> {
          lease = held;
          return database.open();
        })
        .compose(v -> database.writer().getConnection())
        .compose(conn -> {
          // The writer connection is held for the node's life: the queue owns its transactions.
          writer = conn;
          clientKeys = new ClientKeys(vertx, database.keys());
          return state.load(conn).compose(v -> clientKeys.load(conn));
        })
        .compose(v -> {
          writes = new WriteQueue(vertx, writer, () -> state.load(writer).compose(loaded -> clientKeys.load(writer)),
              config.store().batchMaxSize(), config.store().batchLingerMs(), Meters.registry());
          Fanout fanout = new Fanout(vertx.eventBus(), state.lastEventId);
          Views views = new Views(state, presence);
          Counter stored = Counter.builder("parley.messages.stored").description("Messages stored").register(Meters.registry());
          Users users = new Users(state, views, writes, database.reader());
          Tokens tokens = new Tokens(writes);
          search = new SearchIndex(vertx, database.search(), database.reader(), config.store().searchLingerMs());
          MediaRecords media = new MediaRecords(state, writes, database.reader());
          Messages messages = new Messages(state, writes, database.reader(), fanout, search, stored, media, clientKeys);
          MessageChanges changes = new MessageChanges(state, writes, fanout, search);
          Receipts receipts = new Receipts(state, writes, database.reader(), fanout, vertx,
              config.store().receiptsCoalesceMs());
          Conversations conversations = new Conversations(state, views, writes, database.reader(), fanout, messages);
          Members members = new Members(state, views, writes, database.reader(), messages, conversations);
          Shares shares = new Shares(state, writes, database.reader(), media);
          Bots bots = new Bots(state, views, writes, vertx.eventBus());
          PresenceReports presenceReports = new PresenceReports(presence, state, users, fanout);
          vertx.eventBus().<JsonObject>localConsumer(Address.CLUSTER_MEMBER_LEFT,
              message -> presenceReports.memberLeft(message.body().getString("memberId")));
          return Future.all(List.of(
              Bus.serve(vertx, Address.USER_CREATE, users::create),
              Bus.serve(vertx, Address.USER_CREDENTIALS, users::credentials),
              Bus.serve(vertx, Address.USER_GET, users::get),
              Bus.serve(vertx, Address.USER_UPDATE, users::update),
              Bus.serve(vertx, Address.USER_SEARCH, users::search),
              Bus.serve(vertx, Address.TOKEN_ISSUE, tokens::issue),
              Bus.serve(vertx, Address.TOKEN_ROTATE, tokens::rotate),
              Bus.serve(vertx, Address.TOKEN_REVOKE, tokens::revoke),
              Bus.serve(vertx, Address.CONVERSATION_CREATE, conversations::create),
              Bus.serve(vertx, Address.CONVERSATION_LIST, conversations::list),
              Bus.serve(vertx, Address.CONVERSATION_GET, conversations::get),
              Bus.serve(vertx, Address.CONVERSATION_RENAME, conversations::rename),
              Bus.serve(vertx, Address.CONVERSATION_MUTE, conversations::mute),
              Bus.serve(vertx, Address.CONVERSATION_TYPING, conversations::typing),
              Bus.serve(vertx, Address.CONVERSATION_READ, receipts::read),
              Bus.serve(vertx, Address.CONVERSATION_DELIVERED, receipts::delivered),
              Bus.serve(vertx, Address.CONVERSATION_RECEIPTS, receipts::receipts),
              Bus.serve(vertx, Address.MEMBER_LIST, members::list),
              Bus.serve(vertx, Address.MEMBER_ADD, members::add),
              Bus.serve(vertx, Address.MEMBER_ROLE, members::role),
              Bus.serve(vertx, Address.MEMBER_REMOVE, members::remove),
              Bus.serve(vertx, Address.MESSAGE_SEND, messages::send),
              Bus.serve(vertx, Address.MESSAGE_HISTORY, messages::history),
              Bus.serve(vertx, Address.MESSAGE_RECALL, messages::recall),
              Bus.serve(vertx, Address.MESSAGE_SEARCH, messages::search),
              Bus.serve(vertx, Address.MESSAGE_EDIT, changes::edit),
              Bus.serve(vertx, Address.REACTION_ADD, changes::addReaction),
              Bus.serve(vertx, Address.REACTION_REMOVE, changes::removeReaction),
              Bus.serve(vertx, Address.EVENTS_SINCE, messages::since),
              Bus.serve(vertx, Address.STORE_ROUTE_PROBE, cmd -> {
                fanout.probe(cmd.getString("userId"), cmd.getString("probe"));
                return Future.succeededFuture(new JsonObject());
              }),
              Bus.serve(vertx, Address.SHARE_CREATE, shares::create),
              Bus.serve(vertx, Address.SHARE_LIST, shares::list),
              Bus.serve(vertx, Address.SHARE_REVOKE, shares::revoke),
              Bus.serve(vertx, Address.SHARE_VIEW, shares::view),
              Bus.serve(vertx, Address.SHARE_MEDIA, shares::media),
              Bus.serve(vertx, Address.BOT_CREATE, bots::create),
              Bus.serve(vertx, Address.BOT_REVOKE, bots::revoke),
              Bus.serve(vertx, Address.BOT_AUTHENTICATE, bots::authenticate),
              Bus.serve(vertx, Address.PRESENCE_UPDATE, presenceReports::update),
              Bus.serve(vertx, Address.PRESENCE_SYNC, presenceReports::sync),
              Bus.serve(vertx, Address.STORE_SIGNING_KEY, cmd -> Future.succeededFuture(
                  new JsonObject().put("jwtSecret", config.auth().jwtSecret()))),
              Bus.serve(vertx, Address.MEDIA_CREATE, media::create),
              Bus.serve(vertx, Address.MEDIA_GET, media::get),
              Bus.serve(vertx, Address.MEDIA_SWEEP, media::sweep),
              Bus.serve(vertx, Address.STORE_HEALTH, cmd -> Future.succeededFuture(
                  new JsonObject().put("status", "UP").put("lastEventId", state.lastEventId)))));
        })
        .onSuccess(v -> {
          log.info("store ready: {} users, {} conversations, last event id {}",
              state.users.size(), state.conversations.size(), state.lastEventId);
          clientKeys.moveEvery(config.store().clientKeysLingerMs());
          // Catching up may take a while on a large database; search lags until it is done.
          search.catchUp(); // on failure it logs and tries again
          // Push nodes that outlived an earlier store report who is connected to them.
          vertx.eventBus().publish(Address.STORE_STARTED, new JsonObject().put("node", config.nodeId()));
        });
  }

  /** Finishes every queued write (an acknowledged message is never lost), then closes the database. */
  @Override
  public Future<?> stop() {
    Future<Void> drained = writes == null ? Future.succeededFuture() : writes.drain();
    return drained
        .eventually(() -> search == null ? Future.succeededFuture() : search.idle())
        .eventually(() -> clientKeys == null ? Future.succeededFuture() : clientKeys.stop())
        .eventually(() -> writer == null ? Future.succeededFuture() : writer.close())
        .eventually(() -> database == null ? Future.succeededFuture() : database.close())
        .eventually(() -> lease == null ? Future.succeededFuture() : lease.release())
        .onComplete(ar -> log.info("store stopped, database closed"));
  }
}
