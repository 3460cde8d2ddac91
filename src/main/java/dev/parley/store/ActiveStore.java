package dev.parley.store;

import com.interaso.webpush.VapidKeys;
import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.AdminCommands;
import dev.parley.shared.BotCommands;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Command;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Events;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.Meters;
import dev.parley.shared.NodeCommands;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The store at work: its state loaded from the database, the single writer on {@code writer},
 * and a consumer on every {@code store.*} address. A node has at most one at a time; on
 * PostgreSQL a waiting store makes one when it wins the {@link WriterFence}, and drops it
 * ({@link #abandon}) when the writer's connection is lost.
 */
final class ActiveStore {
  private final Vertx vertx;
  private final ParleyConfig config;
  private final Database database;
  private final SqlConnection writer;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final StoreState state = new StoreState();
  private WriteQueue writes;
  private SearchIndex search;
  private ClientKeys clientKeys;
  private PushSubscriptions pushSubscriptions;
  private PushAlerts pushAlerts;
  private OutgoingWebhooks outgoing;
  private VapidKeys vapid;
  /** SQLite only: the scheduled backups. */
  private BackupSchedule backups;
  private RetentionSweep retentionSweep;

  ActiveStore(Vertx vertx, ParleyConfig config, Database database, SqlConnection writer) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.writer = writer;
  }

  /** Loads the state, starts serving, then tells every node that a store answers. */
  Future<Void> start() {
    Dialect sql = database.dialect();
    clientKeys = new ClientKeys(vertx, sql, database.keys());
    ParleyConfig.Store settings = config.store();
    // A batch that rolls back reloads what the writer holds in memory from the database.
    writes = new WriteQueue(vertx, writer, sql.beginWrite(),
        () -> state.load(writer, sql).compose(loaded -> clientKeys.load(writer)).compose(loaded -> pushSubscriptions.load(writer))
            .compose(loaded -> outgoing.load(writer)),
        settings.batchMaxSize(), settings.batchLingerMs(), Meters.registry());
    pushSubscriptions = new PushSubscriptions(writes);
    outgoing = new OutgoingWebhooks(state, writes, database.reader());
    return state.load(writer, sql)
        .compose(v -> clientKeys.load(writer))
        .compose(v -> pushSubscriptions.load(writer))
        .compose(v -> outgoing.load(writer))
        .compose(v -> ServerKeys.vapid(writer, config.webPush()))
        .compose(keys -> {
          vapid = keys;
          return serve(sql);
        })
        .onSuccess(v -> {
          clientKeys.moveEvery(config.store().clientKeysLingerMs());
          retentionSweep.start();
          if (backups != null) {
            backups.start();
          }
          // Catching up may take a while on a large database; search lags until it is done.
          search.catchUp(); // on failure it logs and tries again
          // Push and bridge nodes resume their connections and report who is connected to them.
          Bus.publish(vertx, Address.STORE_STARTED, new Events.StoreStarted(config.nodeId()));
        });
  }

  /** The scheduled backups; null on PostgreSQL. */
  BackupSchedule backups() {
    return backups;
  }

  long lastEventId() {
    return state.lastEventId;
  }

  int users() {
    return state.users.size();
  }

  int conversations() {
    return state.conversations.size();
  }

  private Future<Void> serve(Dialect sql) {
    ParleyConfig.Store settings = config.store();
    Presence presence = new Presence();
    Fanout fanout = new Fanout(vertx, presence, state.lastEventId);
    outgoing.fanout = fanout;
    WireViews views = new WireViews(state, presence);
    Counter stored = Counter.builder("parley.messages.stored").description("Messages stored").register(Meters.registry());
    Tokens tokens = new Tokens(state, writes, vertx.eventBus());
    search = database.searchIndex(settings.searchLingerMs());
    MediaRecords media = new MediaRecords(sql, state, writes, database.reader());
    pushAlerts = new PushAlerts(vertx, state, presence, pushSubscriptions,
        config.webPush().enabled() ? config.webPush().unreadDelayMs() : 0);
    MessageWrites messages = new MessageWrites(sql, state, writes, fanout, search, stored, media, clientKeys,
        config.webPush().enabled() ? pushAlerts : null);
    MessageReads reads = new MessageReads(sql, state, database.reader());
    MessageChanges changes = new MessageChanges(sql, state, writes, fanout, search);
    Receipts receipts = new Receipts(state, writes, database.reader(), fanout, vertx, settings.receiptsCoalesceMs());
    Retention retention = new Retention(config.retention());
    retentionSweep = new RetentionSweep(vertx, sql, state, writes, database.reader(), search, retention,
        config.retention().batchSize(), config.retention().sweepIntervalSeconds() * 1000,
        Counter.builder("parley.retention.deleted").description("Messages deleted because they expired")
            .register(Meters.registry()));
    Conversations conversations = new Conversations(sql, state, views, writes, database.reader(), fanout, messages, retention);
    Members members = new Members(state, views, writes, database.reader(), messages, conversations);
    Shares shares = new Shares(sql, state, writes, database.reader(), media);
    Bots bots = new Bots(state, views, writes, vertx.eventBus());
    Webhooks webhooks = new Webhooks(state, writes, database.reader(), messages);
    if (!database.shared()) {
      backups = new BackupSchedule(vertx, config);
    }
    Administration administration = new Administration(state, writes, database.reader(), sql, vertx.eventBus(), tokens,
        pushSubscriptions, bots, shares, backups, config, database.shared() ? "postgresql" : "sqlite");
    Users users = new Users(state, views, writes, database.reader(), administration);
    Exports exports = new Exports(sql, state, database.reader(), config.export(), administration);
    PresenceReports presenceReports = new PresenceReports(presence, state, users, fanout);
    UserLimits limits = new UserLimits(config.limits());
    consumers.add(Bus.subscribe(vertx, Address.CLUSTER_MEMBER_LEFT, left -> presenceReports.memberLeft(left.memberId())));
    serve(Address.USER_CREATE, users::create);
    serve(Address.USER_CREDENTIALS, users::credentials);
    serve(Address.USER_PASSWORD, tokens::changePassword);
    serve(Address.USER_GET, users::get);
    serve(Address.USER_UPDATE, users::update);
    serve(Address.USER_SEARCH, users::search);
    serve(Address.TOKEN_ISSUE, tokens::issue);
    serve(Address.TOKEN_ROTATE, tokens::rotate);
    serve(Address.TOKEN_REVOKE, tokens::revoke);
    serve(Address.CONVERSATION_CREATE, conversations::create);
    serve(Address.CONVERSATION_LIST, conversations::list);
    serve(Address.CONVERSATION_GET, conversations::get);
    serve(Address.CONVERSATION_RENAME, conversations::rename);
    serve(Address.CONVERSATION_MUTE, conversations::mute);
    serve(Address.CONVERSATION_NOTIFY, conversations::notifyLevel);
    serve(Address.CONVERSATION_RETENTION, conversations::setRetention);
    serve(Address.CONVERSATION_TYPING, limits.limited(UserLimits.Kind.TYPING, ConversationCommands.Scoped::userId,
        conversations::typing));
    serve(Address.CONVERSATION_READ, receipts::read);
    serve(Address.CONVERSATION_DELIVERED, receipts::delivered);
    serve(Address.CONVERSATION_RECEIPTS, receipts::receipts);
    serve(Address.MEMBER_LIST, members::list);
    serve(Address.MEMBER_ADD, members::add);
    serve(Address.MEMBER_ROLE, members::role);
    serve(Address.MEMBER_REMOVE, members::remove);
    // A bus send never carries "via" (a webhook's mark): only Webhooks, in this verticle, sets it.
    serve(Address.MESSAGE_SEND, limits.limited(UserLimits.Kind.MESSAGES, MessageCommands.Send::senderId, messages::send));
    serve(Address.MESSAGE_RECALL, limits.limited(UserLimits.Kind.CHANGES, MessageCommands.Recall::userId, messages::recall));
    serve(Address.MESSAGE_HISTORY, reads::history);
    serve(Address.MESSAGE_SEARCH, reads::search);
    serve(Address.EVENTS_SINCE, reads::since);
    serve(Address.MESSAGE_EDIT, limits.limited(UserLimits.Kind.CHANGES, MessageCommands.Edit::userId, changes::edit));
    serve(Address.REACTION_ADD, limits.limited(UserLimits.Kind.CHANGES, MessageCommands.Reaction::userId, changes::addReaction));
    serve(Address.REACTION_REMOVE, limits.limited(UserLimits.Kind.CHANGES, MessageCommands.Reaction::userId,
        changes::removeReaction));
    serve(Address.STORE_ROUTE_PROBE, probe -> probe.nodeId() == null || probe.userId() == null
        ? Future.failedFuture(Failure.invalid("nodeId", "a route probe names its user and reporter"))
        : presenceReports.update(new MessageCommands.PresenceReport(probe.nodeId(), probe.userId(), true)).map(v -> {
          fanout.probe(probe.userId(), probe.nodeId(), probe.probe());
          return BusBody.Empty.INSTANCE;
        }));
    serve(Address.SHARE_CREATE, limits.limited(UserLimits.Kind.SHARES, MediaCommands.CreateShare::userId, shares::create));
    serve(Address.SHARE_LIST, shares::list);
    serve(Address.SHARE_REVOKE, shares::revoke);
    serve(Address.SHARE_VIEW, shares::view);
    serve(Address.SHARE_MEDIA, shares::media);
    serve(Address.EXPORT_TICKET, exports::ticket);
    serve(Address.EXPORT_START, exports::start);
    serve(Address.EXPORT_PAGE, exports::page);
    serve(Address.BOT_CREATE, bots::create);
    serve(Address.BOT_REVOKE, bots::revoke);
    serve(Address.BOT_AUTHENTICATE, bots::authenticate);
    serve(Address.BOT_CURSOR, bots::cursor);
    serve(Address.BOT_ACK, bots::ack);
    serve(Address.OUTGOING_SET, outgoing::set);
    serve(Address.OUTGOING_GET, outgoing::get);
    serve(Address.OUTGOING_RESUME, outgoing::resume);
    serve(Address.OUTGOING_DELETE, outgoing::delete);
    serve(Address.OUTGOING_PENDING, outgoing::pending);
    serve(Address.OUTGOING_ATTEMPT, outgoing::attempt);
    serve(Address.OUTGOING_RELEASE, outgoing::release);
    serve(Address.WEBHOOK_CREATE,
        limits.limited(UserLimits.Kind.SHARES, BotCommands.CreateWebhook::userId, webhooks::create));
    serve(Address.WEBHOOK_LIST, webhooks::list);
    serve(Address.WEBHOOK_REVOKE, webhooks::revoke);
    serve(Address.WEBHOOK_POST, webhooks::post);
    serve(Address.REGISTRATION,
        cmd -> Future.succeededFuture(new AdminCommands.RegistrationNow(administration.registrationNow())));
    serve(Address.PASSWORD_RESET, administration::usePasswordReset);
    serve(Address.DISABLED_USERS, cmd -> Future.succeededFuture(new AdminCommands.DisabledUsers(
        state.users.values().stream().filter(StoreState.User::disabled).map(u -> u.id).toList())));
    serve(Address.ADMIN_USERS, administration::users);
    serve(Address.ADMIN_USER_DISABLE, administration::setDisabled);
    serve(Address.ADMIN_USER_ADMIN, administration::setAdmin);
    serve(Address.ADMIN_PASSWORD_RESET, administration::passwordReset);
    serve(Address.ADMIN_SETTINGS, administration::settings);
    serve(Address.ADMIN_SETTINGS_UPDATE, administration::updateSettings);
    serve(Address.ADMIN_INVITATION_CREATE, administration::createInvitation);
    serve(Address.ADMIN_INVITATIONS, administration::invitations);
    serve(Address.ADMIN_INVITATION_REVOKE, administration::revokeInvitation);
    serve(Address.ADMIN_CONVERSATIONS, administration::conversations);
    serve(Address.ADMIN_BOTS, administration::bots);
    serve(Address.ADMIN_BOT_REVOKE, administration::revokeBot);
    serve(Address.ADMIN_SHARES, administration::shares);
    serve(Address.ADMIN_SHARE_REVOKE, administration::revokeShare);
    serve(Address.ADMIN_STORE, administration::storeStatus);
    serve(Address.ADMIN_BACKUP, administration::backup);
    serve(Address.ADMIN_AUDIT, administration::audit);
    serve(Address.PRESENCE_UPDATE, presenceReports::update);
    serve(Address.PRESENCE_SYNC, presenceReports::sync);
    serve(Address.STORE_SIGNING_KEY, cmd -> Future.succeededFuture(new NodeCommands.SigningKey(config.auth().jwtSecret())));
    serve(Address.PUSH_SUBSCRIBE, pushSubscriptions::subscribe);
    serve(Address.PUSH_SUBSCRIPTIONS, pushSubscriptions::list);
    serve(Address.PUSH_UNSUBSCRIBE, pushSubscriptions::unsubscribe);
    serve(Address.PUSH_EXPIRED, pushSubscriptions::expired);
    serve(Address.PUSH_VAPID, cmd -> Future.succeededFuture(ServerKeys.wire(vapid)));
    serve(Address.MEDIA_CREATE, limits.limited(UserLimits.Kind.UPLOADS, MediaCommands.Filed::ownerId, media::create));
    serve(Address.MEDIA_GET, media::get);
    serve(Address.MEDIA_SWEEP, media::sweep);
    serve(Address.STORE_HEALTH, cmd -> Future.succeededFuture(new NodeCommands.StoreHealth(state.lastEventId, config.nodeId(),
        database.shared() ? "postgresql" : "sqlite", backups != null ? backups.health() : BackupSchedule.unknown())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  private <B extends BusBody, R extends BusBody> void serve(Command<B, R> command, Function<B, Future<R>> handler) {
    consumers.add(Bus.consumer(vertx, command, handler));
  }

  /** Finishes every queued write (an acknowledged message is never lost), then closes the writer. */
  Future<Void> stop() {
    if (retentionSweep != null) {
      retentionSweep.stop();
    }
    Future<Void> drained = writes == null ? Future.succeededFuture() : writes.drain();
    return drained
        .eventually(() -> backups == null ? Future.succeededFuture() : backups.stop())
        .eventually(() -> search == null ? Future.succeededFuture() : search.idle())
        .eventually(() -> clientKeys == null ? Future.succeededFuture() : clientKeys.stop())
        .eventually(this::unregister)
        .eventually(writer::close);
  }

  /**
   * The writer's connection is gone, and with it the fence: stops answering at once (callers get
   * {@code 503} from the bus, not a timeout) and fails what waited to be written. Nothing more is
   * written here; whatever the lost connection had committed, the next store reads back.
   */
  Future<Void> abandon() {
    if (retentionSweep != null) {
      retentionSweep.stop();
    }
    if (writes != null) {
      writes.abandon();
    }
    if (backups != null) {
      backups.stop();
    }
    if (clientKeys != null) {
      clientKeys.stop();
    }
    return unregister();
  }

  private Future<Void> unregister() {
    if (pushAlerts != null) {
      pushAlerts.stop();
    }
    List<Future<Void>> gone = consumers.stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.join(gone).mapEmpty();
  }
}
