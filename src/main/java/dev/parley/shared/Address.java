package dev.parley.shared;

import static dev.parley.shared.Party.API;
import static dev.parley.shared.Party.BOTS;
import static dev.parley.shared.Party.BRIDGE;
import static dev.parley.shared.Party.CLUSTER;
import static dev.parley.shared.Party.HTTP;
import static dev.parley.shared.Party.MEDIA;
import static dev.parley.shared.Party.NODE;
import static dev.parley.shared.Party.OPS;
import static dev.parley.shared.Party.OUTGOING;
import static dev.parley.shared.Party.PUSH;
import static dev.parley.shared.Party.STORE;
import static dev.parley.shared.Party.WEBPUSH;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The registry of every event-bus address Parley uses, in the manner of Gentics Mesh's
 * {@code MeshEvent}: each entry names its address, the record its body is, the record its reply
 * is (for a {@link Command}), who sends it and who consumes it, and so whether bots on the bridge
 * may use it. The records are in the {@code *Commands} files and {@link Events}, beside this one;
 * {@link #ALL} lists the entries for the bridge's permissions and the architecture test. Nothing
 * outside this package spells an address as a string literal.
 *
 * <p>Commands are request/reply and named for their receiver ({@code store.*}); every request
 * carries an explicit timeout ({@code bus.requestTimeoutMs}). A failed reply is a
 * {@link io.vertx.core.eventbus.ReplyException} whose failure code is an HTTP status and whose
 * message is encoded by {@link Failure}. Bodies cross the bus as the JSON their records write, so
 * the same code runs on a clustered bus.
 */
public final class Address {
  private Address() {
  }

  // ---- Users and credentials: sent by api, consumed by store (bodies: UserCommands) --------

  /**
   * A person registering; 409 if the name is taken, 403 while registration is closed or by
   * invitation without a valid one. The first person is made admin.
   */
  public static final Command<UserCommands.Create, UserCommands.UserReply> USER_CREATE =
      Command.of("store.user.create", UserCommands.Create.class, UserCommands.UserReply.class, STORE, API);
  /** What a sign-in is checked against; 404 if unknown or a bot. */
  public static final Command<UserCommands.Credentials, UserCommands.CredentialsReply> USER_CREDENTIALS =
      Command.of("store.user.credentials", UserCommands.Credentials.class, UserCommands.CredentialsReply.class, STORE, API);
  /**
   * A new password; every sign-in of the user but the one that changed it is revoked, each
   * announced with {@link #SESSIONS_REVOKED}. 404 for an unknown user or a bot.
   */
  public static final Command<UserCommands.ChangePassword, BusBody.Empty> USER_PASSWORD =
      Command.of("store.user.password", UserCommands.ChangePassword.class, BusBody.Empty.class, STORE, API);
  /** One account as another (or the same) sees it; 404 if unknown. */
  public static final Command<UserCommands.Get, UserCommands.UserReply> USER_GET =
      Command.of("store.user.get", UserCommands.Get.class, UserCommands.UserReply.class, STORE, API);
  /** A change to one's own profile. */
  public static final Command<UserCommands.Update, UserCommands.UserReply> USER_UPDATE =
      Command.of("store.user.update", UserCommands.Update.class, UserCommands.UserReply.class, STORE, API);
  /** Finding people by a prefix of their username or display name. */
  public static final Command<UserCommands.Search, UserCommands.UsersPage> USER_SEARCH =
      Command.of("store.user.search", UserCommands.Search.class, UserCommands.UsersPage.class, STORE, API);

  /** Starts a new refresh-token family (a sign-in). */
  public static final Command<UserCommands.IssueToken, BusBody.Empty> TOKEN_ISSUE =
      Command.of("store.token.issue", UserCommands.IssueToken.class, BusBody.Empty.class, STORE, API);
  /**
   * Trades a refresh token for the next of its family; 401 if unknown, expired or revoked. Reuse of
   * an already rotated token revokes its whole family, then 401.
   */
  public static final Command<UserCommands.RotateToken, UserCommands.Rotated> TOKEN_ROTATE =
      Command.of("store.token.rotate", UserCommands.RotateToken.class, UserCommands.Rotated.class, STORE, API);
  /** Revokes the token's family (a sign-out), then publishes {@link #SESSIONS_REVOKED}. */
  public static final Command<UserCommands.RevokeToken, BusBody.Empty> TOKEN_REVOKE =
      Command.of("store.token.revoke", UserCommands.RevokeToken.class, BusBody.Empty.class, STORE, API);

  // ---- Conversations: sent by api (and push for typing, read, delivered), consumed by store (bodies: ConversationCommands)

  /**
   * A direct conversation (the existing one with that peer if there is one, {@code created}
   * false) or a group; 400 for oneself or an unknown group member, 404 for an unknown peer.
   */
  public static final Command<ConversationCommands.Create, ConversationCommands.CreateReply> CONVERSATION_CREATE =
      Command.of("store.conversation.create", ConversationCommands.Create.class, ConversationCommands.CreateReply.class,
          STORE, API);
  /** The caller's conversations, newest activity first. */
  public static final Command<ConversationCommands.ListConversations, ConversationCommands.ConversationsPage>
      CONVERSATION_LIST = Command.of("store.conversation.list", ConversationCommands.ListConversations.class,
          ConversationCommands.ConversationsPage.class, STORE, API);
  /** One conversation; 404 for non-members. */
  public static final Command<ConversationCommands.Scoped, ConversationCommands.ConversationReply> CONVERSATION_GET =
      Command.of("store.conversation.get", ConversationCommands.Scoped.class, ConversationCommands.ConversationReply.class,
          STORE, API);
  /** A group's new title; its owner/admin. */
  public static final Command<ConversationCommands.Rename, ConversationCommands.ConversationReply> CONVERSATION_RENAME =
      Command.of("store.conversation.rename", ConversationCommands.Rename.class, ConversationCommands.ConversationReply.class,
          STORE, API);
  /** Mutes or unmutes a conversation for the caller. */
  public static final Command<ConversationCommands.Mute, BusBody.Empty> CONVERSATION_MUTE =
      Command.of("store.conversation.mute", ConversationCommands.Mute.class, BusBody.Empty.class, STORE, API);
  /**
   * What the member of a group is notified of ({@code all}, {@code mentions} or {@code nothing});
   * 400 for another level or a direct conversation.
   */
  public static final Command<ConversationCommands.Notify, BusBody.Empty> CONVERSATION_NOTIFY =
      Command.of("store.conversation.notify", ConversationCommands.Notify.class, BusBody.Empty.class, STORE, API);
  /**
   * How long the conversation keeps its messages: {@code days} 0 forever, 1–36500 days, null the
   * server's default. A group's owner or admin, either member of a direct conversation (403
   * otherwise); 400 for days out of range. A change adds a {@code retention} system message and
   * publishes the conversation to its members; the store's sweep deletes what has expired.
   */
  public static final Command<ConversationCommands.SetRetention, ConversationCommands.ConversationReply>
      CONVERSATION_RETENTION = Command.of("store.conversation.retention", ConversationCommands.SetRetention.class,
          ConversationCommands.ConversationReply.class, STORE, API);
  /** A conversation's members in join order. */
  public static final Command<ConversationCommands.ListMembers, ConversationCommands.MembersPage> MEMBER_LIST =
      Command.of("store.member.list", ConversationCommands.ListMembers.class, ConversationCommands.MembersPage.class,
          STORE, API);
  /** Adds a member to a group; owner/admin. */
  public static final Command<ConversationCommands.AddMember, ConversationCommands.MemberReply> MEMBER_ADD =
      Command.of("store.member.add", ConversationCommands.AddMember.class, ConversationCommands.MemberReply.class,
          STORE, API);
  /** Changes a member's role; owner only. */
  public static final Command<ConversationCommands.ChangeRole, BusBody.Empty> MEMBER_ROLE =
      Command.of("store.member.role", ConversationCommands.ChangeRole.class, BusBody.Empty.class, STORE, API);
  /** Removes a member; owner/admin, or self (leave). */
  public static final Command<ConversationCommands.RemoveMember, BusBody.Empty> MEMBER_REMOVE =
      Command.of("store.member.remove", ConversationCommands.RemoveMember.class, BusBody.Empty.class, STORE, API);

  /** Publishes {@code typing} to the other members. */
  public static final Command<ConversationCommands.Scoped, BusBody.Empty> CONVERSATION_TYPING =
      Command.of("store.conversation.typing", ConversationCommands.Scoped.class, BusBody.Empty.class, STORE, API, PUSH);
  /**
   * Moves the read pointer (and the delivery pointer with it) forward to the seq, clamped to the
   * conversation's last; publishes {@code read}.
   */
  public static final Command<ConversationCommands.Pointer, ConversationCommands.PointerReply> CONVERSATION_READ =
      Command.of("store.conversation.read", ConversationCommands.Pointer.class, ConversationCommands.PointerReply.class,
          STORE, API, PUSH);
  /** Moves the delivery pointer forward to the seq, clamped to the conversation's last; publishes {@code delivered}. */
  public static final Command<ConversationCommands.Pointer, ConversationCommands.PointerReply> CONVERSATION_DELIVERED =
      Command.of("store.conversation.delivered", ConversationCommands.Pointer.class, ConversationCommands.PointerReply.class,
          STORE, API, PUSH);
  /** Every member's delivery and read pointers. */
  public static final Command<ConversationCommands.Scoped, ConversationCommands.ReceiptsReply> CONVERSATION_RECEIPTS =
      Command.of("store.conversation.receipts", ConversationCommands.Scoped.class, ConversationCommands.ReceiptsReply.class,
          STORE, API);

  // ---- Messages: sent by api (and push, bridge, outgoing), consumed by store (bodies: MessageCommands) ----

  /**
   * A message sent by a person (REST, WebSocket {@code send}), a bot (bridge {@code chat.send}) or
   * an outgoing webhook's answer; a {@code clientId} seen before answers with the stored message
   * (created false), 409 if it was for another conversation. 400 a bad reply target, mention or
   * attachment, 404 non-member, 429 past the sender's limit. After the group commit the store
   * publishes the {@code message} event to every member.
   */
  public static final Command<MessageCommands.Send, MessageCommands.Sent> MESSAGE_SEND =
      Command.of("store.message.send", MessageCommands.Send.class, MessageCommands.Sent.class, STORE, API, PUSH, BRIDGE,
          OUTGOING);
  /** A page of a conversation's messages; 404 for non-members. */
  public static final Command<MessageCommands.History, MessageCommands.HistoryPage> MESSAGE_HISTORY =
      Command.of("store.message.history", MessageCommands.History.class, MessageCommands.HistoryPage.class, STORE, API);
  /** Recalls a message; publishes the recalled message with a new event id. */
  public static final Command<MessageCommands.Recall, BusBody.Empty> MESSAGE_RECALL =
      Command.of("store.message.recall", MessageCommands.Recall.class, BusBody.Empty.class, STORE, API);
  /** Full-text search over the caller's conversations, newest first. */
  public static final Command<MessageCommands.Search, MessageCommands.SearchPage> MESSAGE_SEARCH =
      Command.of("store.message.search", MessageCommands.Search.class, MessageCommands.SearchPage.class, STORE, API);
  /**
   * Edits a message: the sender, within 24 hours, text only. Publishes the edited message with a
   * new event id.
   */
  public static final Command<MessageCommands.Edit, MessageCommands.MessageReply> MESSAGE_EDIT =
      Command.of("store.message.edit", MessageCommands.Edit.class, MessageCommands.MessageReply.class, STORE, API);
  /** Adds a reaction; publishes the message with a new event id if it changed. */
  public static final Command<MessageCommands.Reaction, BusBody.Empty> REACTION_ADD =
      Command.of("store.reaction.add", MessageCommands.Reaction.class, BusBody.Empty.class, STORE, API);
  /** Removes a reaction; publishes the message with a new event id if it changed. */
  public static final Command<MessageCommands.Reaction, BusBody.Empty> REACTION_REMOVE =
      Command.of("store.reaction.remove", MessageCommands.Reaction.class, BusBody.Empty.class, STORE, API);

  // ---- Push support: sent by push and bridge (their deliveries) and outgoing, consumed by store (bodies: MessageCommands)

  /**
   * A user's durable events after a cursor, in event-id order: the replay and catch-up of push and
   * bridge deliveries, and the outgoing webhooks' pages (which ask for the first events, never a
   * resync).
   */
  public static final Command<MessageCommands.EventsSince, MessageCommands.EventFrames> EVENTS_SINCE =
      Command.of("store.events.since", MessageCommands.EventsSince.class, MessageCommands.EventFrames.class, STORE,
          PUSH, BRIDGE, OUTGOING);
  /**
   * A reporter's first connection or last disconnection of a user; the store publishes
   * {@code presence} on a change, and stops routing the user's events to the reporter when it is
   * offline (its last connection there closed).
   */
  public static final Command<MessageCommands.PresenceReport, BusBody.Empty> PRESENCE_UPDATE =
      Command.of("store.presence.update", MessageCommands.PresenceReport.class, BusBody.Empty.class, STORE, PUSH, BRIDGE);
  /**
   * Every user with a connection on that reporter, sent when the store (re)starts so that presence
   * and the routes of {@link #deliveries(String)} survive a store restart. Its reply comes before
   * the reporter's connections catch up, so nothing committed between the two is missed.
   */
  public static final Command<MessageCommands.PresenceSync, BusBody.Empty> PRESENCE_SYNC =
      Command.of("store.presence.sync", MessageCommands.PresenceSync.class, BusBody.Empty.class, STORE, PUSH, BRIDGE);
  /**
   * The store records that the reporter holds a connection of the user (as {@link #PRESENCE_UPDATE}
   * online does), then sends a {@linkplain UserEvent#route route marker} carrying the probe to
   * {@link #deliveries(String) chat.node.<nodeId>}, behind everything it sent there before; 400
   * without a user or reporter. A new delivery waits for its marker before it replays: the
   * marker's arrival proves that the store's later events for the user reach this verticle, and
   * everything before it is committed.
   */
  public static final Command<MessageCommands.RouteProbe, BusBody.Empty> STORE_ROUTE_PROBE =
      Command.of("store.route.probe", MessageCommands.RouteProbe.class, BusBody.Empty.class, STORE, PUSH, BRIDGE);

  // ---- A node's own questions: sent by http (/health) and the root, consumed by store (bodies: NodeCommands)

  /** {@code GET /health}: whether a store answers, and how it is. */
  public static final Command<BusBody.Empty, NodeCommands.StoreHealth> STORE_HEALTH =
      Command.of("store.health", BusBody.Empty.class, NodeCommands.StoreHealth.class, STORE, HTTP);
  /**
   * {@code GET /health}, when no store answers {@link #STORE_HEALTH}: a store waiting to take over
   * on PostgreSQL says who it is, since when it waits, and who held the database fence when it
   * last looked.
   */
  public static final Command<BusBody.Empty, NodeCommands.Standby> STORE_STANDBY =
      Command.of("store.standby", BusBody.Empty.class, NodeCommands.Standby.class, STORE, HTTP);
  /**
   * At start of a clustered node without the store role and without a configured secret: every
   * node signs and checks access tokens with the one key. The clustered bus must be private
   * (docs/deploy.md).
   */
  public static final Command<BusBody.Empty, NodeCommands.SigningKey> STORE_SIGNING_KEY =
      Command.of("store.auth.signingKey", BusBody.Empty.class, NodeCommands.SigningKey.class, STORE, NODE);

  // ---- Cluster -------------------------------------------------------------------------------

  /**
   * Published by the store once it answers (at start, and when a standby has taken over),
   * consumed by push and bridge on every node, which then send {@link #PRESENCE_SYNC} and, once
   * it is answered (the new store routes their users' events to them from then on), resume every
   * connection from its last delivered event id: events the previous store committed but did not
   * publish before it died still reach them. {@code auth.DisabledAccounts} (api, push, bridge) reads
   * the disabled accounts again on it.
   */
  public static final Topic<Events.StoreStarted> STORE_STARTED = Topic.of("event.store.started", Events.StoreStarted.class,
      Set.of(STORE), Set.of(PUSH, BRIDGE, API));
  /**
   * Published by the store after a sign-in ended: signed out ({@link #TOKEN_REVOKE}), or its
   * refresh token replayed ({@link #TOKEN_ROTATE} revokes the family). Consumed by push on every
   * node, which closes that user's streams opened with an access token of the family, and by the
   * bridge, which closes the person's bridge links (bots' stay).
   */
  public static final Topic<Events.SessionsRevoked> SESSIONS_REVOKED = Topic.of("event.sessions.revoked",
      Events.SessionsRevoked.class, Set.of(STORE), Set.of(PUSH, BRIDGE));
  /**
   * Published local-only by the cluster verticle of each node when Hazelcast drops a member;
   * consumed by the store on that node (its presence forgets the member's connections).
   */
  public static final Topic<Events.MemberLeft> CLUSTER_MEMBER_LEFT = Topic.of("cluster.member.left", Events.MemberLeft.class,
      Set.of(CLUSTER), Set.of(STORE)).reaching(Topic.Reach.THIS_NODE);
  /** {@code GET /health}: this node's own view of the cluster, from its own cluster verticle (local only). */
  public static final Command<BusBody.Empty, NodeCommands.ClusterStatus> CLUSTER_STATUS =
      Command.of("cluster.status", BusBody.Empty.class, NodeCommands.ClusterStatus.class, CLUSTER, HTTP).asLocal();

  // ---- Media (bodies: MediaCommands) ---------------------------------------------------------

  /**
   * A finished upload, named in the media folder's {@code uploads/} ({@link MediaFiles}). The media
   * verticle decides the type from the bytes, probes and thumbnails, files the bytes under a new
   * media id, records them with {@link #MEDIA_CREATE} and replies with its answer; 400, 413, 415.
   * The upload is gone afterwards, whatever the outcome. Timeout {@code media.processTimeoutMs}.
   */
  public static final Command<MediaCommands.Uploaded, MediaCommands.MediaReply> MEDIA_INGEST =
      Command.of("media.ingest", MediaCommands.Uploaded.class, MediaCommands.MediaReply.class, MEDIA, API);
  /** Records a filed upload (counted against the owner's {@code limits.uploadsPerMinute}). */
  public static final Command<MediaCommands.Filed, MediaCommands.MediaReply> MEDIA_CREATE =
      Command.of("store.media.create", MediaCommands.Filed.class, MediaCommands.MediaReply.class, STORE, MEDIA);
  /**
   * The item when the user may read it: the uploader, a member of a conversation with a (not
   * recalled) message carrying it, or anyone signed in for a user's avatar; 404 otherwise
   * (whether or not it exists).
   */
  public static final Command<MediaCommands.GetMedia, MediaCommands.MediaReply> MEDIA_GET =
      Command.of("store.media.get", MediaCommands.GetMedia.class, MediaCommands.MediaReply.class, STORE, API);
  /**
   * Periodic cleanup: deletes the records of media created before {@code before} that no message
   * and no avatar uses, and names them so the caller removes their files.
   */
  public static final Command<MediaCommands.Sweep, MediaCommands.Swept> MEDIA_SWEEP =
      Command.of("store.media.sweep", MediaCommands.Sweep.class, MediaCommands.Swept.class, STORE, MEDIA);

  // ---- Web Push: subscriptions kept by the store, pushes sent by the web-push verticle (bodies: PushCommands) --

  /**
   * A device subscribing (checked by the api). An endpoint already known moves to the caller with
   * the new keys; beyond 20 per user the oldest goes.
   */
  public static final Command<PushCommands.Subscribe, PushCommands.Subscribed> PUSH_SUBSCRIBE =
      Command.of("store.push.subscribe", PushCommands.Subscribe.class, PushCommands.Subscribed.class, STORE, API);
  /** A user's subscriptions, oldest first. */
  public static final Command<PushCommands.ListSubscriptions, PushCommands.Subscriptions> PUSH_SUBSCRIPTIONS =
      Command.of("store.push.list", PushCommands.ListSubscriptions.class, PushCommands.Subscriptions.class, STORE, API);
  /** Removes a subscription by id or endpoint; 404 unless it is the caller's. */
  public static final Command<PushCommands.Unsubscribe, BusBody.Empty> PUSH_UNSUBSCRIBE =
      Command.of("store.push.unsubscribe", PushCommands.Unsubscribe.class, BusBody.Empty.class, STORE, API);
  /**
   * The push service answered 404 or 410 for a subscription, so it is removed (only if it still
   * names that endpoint).
   */
  public static final Command<PushCommands.Expired, BusBody.Empty> PUSH_EXPIRED =
      Command.of("store.push.expired", PushCommands.Expired.class, BusBody.Empty.class, STORE, WEBPUSH);
  /**
   * The server's VAPID key pair (configured, or made once and kept in the database). The clustered
   * bus must be private (docs/deploy.md).
   */
  public static final Command<BusBody.Empty, PushCommands.VapidPair> PUSH_VAPID =
      Command.of("store.push.vapid", BusBody.Empty.class, PushCommands.VapidPair.class, STORE, API, WEBPUSH);
  /**
   * One message's notification for its targets, sent point to point (one sender among all nodes
   * takes it), no reply. The sender encrypts the notification to each target, retries what the
   * push service could not take yet, and reports gone subscriptions with {@link #PUSH_EXPIRED}.
   */
  public static final Topic<PushCommands.Deliver> WEB_PUSH_DELIVER =
      Topic.of("webpush.deliver", PushCommands.Deliver.class, Set.of(STORE), Set.of(WEBPUSH))
          .reaching(Topic.Reach.ONE_CONSUMER);

  // ---- Shares: sent by api, consumed by store (bodies: MediaCommands) -------------------------

  /**
   * A new share (the api adds token and url to the answer); 400 bad range, 404 non-member, 409 too
   * many active shares, 429 past {@code limits.sharesPerMinute}. The store keeps the token for
   * lists, and looks presented tokens up by hash only.
   */
  public static final Command<MediaCommands.CreateShare, MediaCommands.ShareReply> SHARE_CREATE =
      Command.of("store.share.create", MediaCommands.CreateShare.class, MediaCommands.ShareReply.class, STORE, API);
  /** A conversation's live shares: the caller's, or all for a group's owner/admin; 404 non-member. */
  public static final Command<MediaCommands.ListShares, MediaCommands.SharesPage> SHARE_LIST =
      Command.of("store.share.list", MediaCommands.ListShares.class, MediaCommands.SharesPage.class, STORE, API);
  /** Revokes a share by id or token hash; creator or group owner/admin; 403, 404. */
  public static final Command<MediaCommands.RevokeShare, BusBody.Empty> SHARE_REVOKE =
      Command.of("store.share.revoke", MediaCommands.RevokeShare.class, BusBody.Empty.class, STORE, API);
  /**
   * Public: what a share shows; counts one view; 404 when unknown, expired, revoked, or its creator
   * left the conversation. A check (the share page's own address, {@code /s/<token>}) only answers
   * {@code {}} or 404, and counts nothing.
   */
  public static final Command<MediaCommands.ViewShare, MediaCommands.SharedRange> SHARE_VIEW =
      Command.of("store.share.view", MediaCommands.ViewShare.class, MediaCommands.SharedRange.class, STORE, API);
  /**
   * Public: the media item when a live share's range holds a message (not recalled) carrying it;
   * 404 otherwise. Counts no view.
   */
  public static final Command<MediaCommands.SharedMedia, MediaCommands.MediaReply> SHARE_MEDIA =
      Command.of("store.share.media", MediaCommands.SharedMedia.class, MediaCommands.MediaReply.class, STORE, API);

  // ---- Exports: sent by api, consumed by store (bodies: MediaCommands) ------------------------
  // A range (MediaCommands.Range) is checked by the api. Whether a user may export a conversation
  // is decided in one place, the store's Exports.readable, for all three commands.

  /**
   * Keeps a one-time download ticket (in the store's memory, by the SHA-256 of the random ticket,
   * for {@code export.ticketSeconds}) bound to that user, conversation and range. 404 non-member;
   * 429 past {@code export.perHour} (an issued ticket counts as an export).
   */
  public static final Command<MediaCommands.TicketExport, MediaCommands.TicketIssued> EXPORT_TICKET =
      Command.of("store.export.ticket", MediaCommands.TicketExport.class, MediaCommands.TicketIssued.class, STORE, API);
  /**
   * Starts an export: a bearer export (counts against {@code export.perHour}, 429 past it) or a
   * ticket redeemed (it is gone afterwards). The range's {@code toSeq} is never past the
   * conversation's last seq at this moment, so the export does not grow while it runs. An admin
   * exporting a conversation they are not in is written to the audit log. 404 non-member, or a
   * ticket unknown, used or expired.
   */
  public static final Command<MediaCommands.StartExport, MediaCommands.ExportStarted> EXPORT_START =
      Command.of("store.export.start", MediaCommands.StartExport.class, MediaCommands.ExportStarted.class, STORE, API);
  /**
   * The next messages of an export in seq order, each exactly as {@link #MESSAGE_HISTORY} shows
   * it, with the people they name (senders, mentions, reactions, system messages); rows outside
   * the time range are skipped, so a page may hold fewer than {@code limit}. 404 once the user may
   * no longer read it.
   */
  public static final Command<MediaCommands.ReadExportPage, MediaCommands.ExportPage> EXPORT_PAGE =
      Command.of("store.export.page", MediaCommands.ReadExportPage.class, MediaCommands.ExportPage.class, STORE, API);

  // ---- Bots: sent by api, bridge and outgoing, consumed by store (bodies: BotCommands) ---------

  /** A person making a bot; 403 a bot asking, 409 taken or too many. */
  public static final Command<BotCommands.CreateBot, BotCommands.BotCreated> BOT_CREATE =
      Command.of("store.bot.create", BotCommands.CreateBot.class, BotCommands.BotCreated.class, STORE, API);
  /** Revokes a bot's token; 403 not the owner, 404 no such bot. Publishes {@link #BOT_REVOKED}. */
  public static final Command<BotCommands.OwnedBot, BusBody.Empty> BOT_REVOKE =
      Command.of("store.bot.revoke", BotCommands.OwnedBot.class, BusBody.Empty.class, STORE, API);
  /** The bot of a token, for api (Bearer) and bridge (frame header); 401 unknown or revoked, 403 disabled. */
  public static final Command<BotCommands.Authenticate, BotCommands.Authenticated> BOT_AUTHENTICATE =
      Command.of("store.bot.authenticate", BotCommands.Authenticate.class, BotCommands.Authenticated.class, STORE, API, BRIDGE);
  /**
   * A bot registering on the bridge with {@code resume: server}: the newest event id it
   * acknowledged; 403 for a user who is not a bot.
   */
  public static final Command<BotCommands.Cursor, BotCommands.Position> BOT_CURSOR =
      Command.of("store.bot.cursor", BotCommands.Cursor.class, BotCommands.Position.class, STORE, BRIDGE);
  /**
   * Moves the bot's kept position forward (never back), for the bridge ({@link #BRIDGE_ACK}) and
   * the outgoing deliverer; 400 for an id past the newest event, 403 for a person.
   */
  public static final Command<BotCommands.Ack, BotCommands.Position> BOT_ACK =
      Command.of("store.bot.ack", BotCommands.Ack.class, BotCommands.Position.class, STORE, BRIDGE, OUTGOING);

  /**
   * Gives the caller's bot an outgoing webhook, or replaces its endpoint and secret (unpaused,
   * retry series forgotten); 403 not the owner, 404 no such bot, 409 a revoked bot.
   */
  public static final Command<BotCommands.SetOutgoing, BotCommands.OutgoingReply> OUTGOING_SET =
      Command.of("store.outgoing.set", BotCommands.SetOutgoing.class, BotCommands.OutgoingReply.class, STORE, API);
  /** The bot's outgoing webhook and its newest attempts (newest first, at most 50); 403, 404. */
  public static final Command<BotCommands.OwnedBot, BotCommands.OutgoingLog> OUTGOING_GET =
      Command.of("store.outgoing.get", BotCommands.OwnedBot.class, BotCommands.OutgoingLog.class, STORE, API);
  /** Unpauses the webhook, its retry series restarted; 403, 404. */
  public static final Command<BotCommands.OwnedBot, BotCommands.OutgoingReply> OUTGOING_RESUME =
      Command.of("store.outgoing.resume", BotCommands.OwnedBot.class, BotCommands.OutgoingReply.class, STORE, API);
  /** The webhook and its log are gone; 403, 404. */
  public static final Command<BotCommands.OwnedBot, BusBody.Empty> OUTGOING_DELETE =
      Command.of("store.outgoing.delete", BotCommands.OwnedBot.class, BusBody.Empty.class, STORE, API);
  /**
   * Every poll of a deliverer: the bots with a live, unpaused webhook and events after their kept
   * position that the store grants to this deliverer, each with a lease (in the store's memory)
   * that keeps every other deliverer away while it is renewed.
   */
  public static final Command<BotCommands.Deliverer, BotCommands.Pending> OUTGOING_PENDING =
      Command.of("store.outgoing.pending", BotCommands.Deliverer.class, BotCommands.Pending.class, STORE, OUTGOING);
  /**
   * Logs one delivery attempt and renews the lease; a failure starts or continues the event's retry
   * series, and pauses the webhook once it is older than the retry limit the deliverer sends. 409
   * when this deliverer no longer holds the bot's lease.
   */
  public static final Command<BotCommands.Attempt, BotCommands.AttemptReply> OUTGOING_ATTEMPT =
      Command.of("store.outgoing.attempt", BotCommands.Attempt.class, BotCommands.AttemptReply.class, STORE, OUTGOING);
  /** A deliverer with nothing left to send for a bot, or stopping, gives the lease back. */
  public static final Command<BotCommands.Release, BusBody.Empty> OUTGOING_RELEASE =
      Command.of("store.outgoing.release", BotCommands.Release.class, BusBody.Empty.class, STORE, OUTGOING);

  // ---- Incoming webhooks: sent by api, consumed by store (bodies: BotCommands) ----------------

  /**
   * Makes the webhook and its sender, a bot user (the api adds the URL, shown once). 400 an avatar
   * that is not the caller's own image, 403 not a group's owner/admin, 404 non-member, 409 too many.
   */
  public static final Command<BotCommands.CreateWebhook, BotCommands.WebhookReply> WEBHOOK_CREATE =
      Command.of("store.webhook.create", BotCommands.CreateWebhook.class, BotCommands.WebhookReply.class, STORE, API);
  /** A conversation's live webhooks (no secrets); 404 non-member. */
  public static final Command<ConversationCommands.Scoped, BotCommands.WebhookList> WEBHOOK_LIST =
      Command.of("store.webhook.list", ConversationCommands.Scoped.class, BotCommands.WebhookList.class, STORE, API);
  /**
   * Revokes a webhook: the creator, a group's owner/admin or either member of a direct
   * conversation; 403, 404 (also when already revoked).
   */
  public static final Command<BotCommands.RevokeWebhook, BusBody.Empty> WEBHOOK_REVOKE =
      Command.of("store.webhook.revoke", BotCommands.RevokeWebhook.class, BusBody.Empty.class, STORE, API);
  /**
   * A post to a webhook (public {@code POST /api/hooks/{secret}}), answered as {@link #MESSAGE_SEND}:
   * a text message from the webhook's sender carrying {@code via: {webhook, name}}. 404 unknown or
   * revoked (or its creator left), 429 past the webhook's limit.
   */
  public static final Command<BotCommands.PostToWebhook, MessageCommands.Sent> WEBHOOK_POST =
      Command.of("store.webhook.post", BotCommands.PostToWebhook.class, MessageCommands.Sent.class, STORE, API);

  // ---- Administration: sent by api, consumed by store (bodies: AdminCommands) -----------------
  // Every admin command names the caller ({@code adminId}) and, when it changes something, carries
  // the whole AdminCommands.Acting (with the client address) for the audit log; anyone but an
  // enabled admin gets 403.

  /**
   * Who may register now ({@code open} on a fresh server, whose first person always may). Anyone
   * may ask.
   */
  public static final Command<BusBody.Empty, AdminCommands.RegistrationNow> REGISTRATION =
      Command.of("store.registration", BusBody.Empty.class, AdminCommands.RegistrationNow.class, STORE, API);
  /**
   * The holder of a password-reset link sets a new password; every sign-in of the account ends.
   * 400 (field {@code token}) for an unknown, used or expired link, 403 for a disabled account.
   */
  public static final Command<AdminCommands.ResetPassword, BusBody.Empty> PASSWORD_RESET =
      Command.of("store.password.reset", AdminCommands.ResetPassword.class, BusBody.Empty.class, STORE, API);
  /** Every disabled account, asked by {@code auth.DisabledAccounts} in the api, push and bridge. */
  public static final Command<BusBody.Empty, AdminCommands.DisabledUsers> DISABLED_USERS =
      Command.of("store.users.disabled", BusBody.Empty.class, AdminCommands.DisabledUsers.class, STORE, API, PUSH, BRIDGE);
  /** A page of accounts as the admin page shows them. */
  public static final Command<AdminCommands.ListUsers, AdminCommands.AccountsPage> ADMIN_USERS =
      Command.of("store.admin.users", AdminCommands.ListUsers.class, AdminCommands.AccountsPage.class, STORE, API);
  /**
   * Disables or enables an account; 409 for oneself or the last admin. Disabling revokes every
   * sign-in and publishes {@link #USER_DISABLED}.
   */
  public static final Command<AdminCommands.SetDisabled, AdminCommands.AccountReply> ADMIN_USER_DISABLE =
      Command.of("store.admin.user.disable", AdminCommands.SetDisabled.class, AdminCommands.AccountReply.class, STORE, API);
  /** Makes or drops an admin; 400 a bot, 409 configured or last admin. */
  public static final Command<AdminCommands.SetAdmin, AdminCommands.AccountReply> ADMIN_USER_ADMIN =
      Command.of("store.admin.user.admin", AdminCommands.SetAdmin.class, AdminCommands.AccountReply.class, STORE, API);
  /** A one-time password-reset link for an account; 400 for a bot. */
  public static final Command<AdminCommands.IssueReset, AdminCommands.ResetIssued> ADMIN_PASSWORD_RESET =
      Command.of("store.admin.user.password-reset", AdminCommands.IssueReset.class, AdminCommands.ResetIssued.class,
          STORE, API);
  /** The registration setting. */
  public static final Command<AdminCommands.Asking, AdminCommands.Settings> ADMIN_SETTINGS =
      Command.of("store.admin.settings", AdminCommands.Asking.class, AdminCommands.Settings.class, STORE, API);
  /** Changes the registration setting. */
  public static final Command<AdminCommands.UpdateSettings, AdminCommands.Settings> ADMIN_SETTINGS_UPDATE =
      Command.of("store.admin.settings.update", AdminCommands.UpdateSettings.class, AdminCommands.Settings.class, STORE, API);
  /** Makes an invitation (the api made its code and shows it). */
  public static final Command<AdminCommands.CreateInvitation, AdminCommands.InvitationReply> ADMIN_INVITATION_CREATE =
      Command.of("store.admin.invitation.create", AdminCommands.CreateInvitation.class, AdminCommands.InvitationReply.class,
          STORE, API);
  /** The live invitations, newest first. */
  public static final Command<AdminCommands.Asking, AdminCommands.Invitations> ADMIN_INVITATIONS =
      Command.of("store.admin.invitations", AdminCommands.Asking.class, AdminCommands.Invitations.class, STORE, API);
  /** Revokes an invitation; 404 unknown or already revoked. */
  public static final Command<AdminCommands.RevokeInvitation, BusBody.Empty> ADMIN_INVITATION_REVOKE =
      Command.of("store.admin.invitation.revoke", AdminCommands.RevokeInvitation.class, BusBody.Empty.class, STORE, API);
  /** Every conversation by the name it shows, with its first members; never its messages. */
  public static final Command<AdminCommands.ListConversations, AdminCommands.ConversationsPage> ADMIN_CONVERSATIONS =
      Command.of("store.admin.conversations", AdminCommands.ListConversations.class, AdminCommands.ConversationsPage.class,
          STORE, API);
  /** Every bot with its owner. */
  public static final Command<AdminCommands.Asking, AdminCommands.Bots> ADMIN_BOTS =
      Command.of("store.admin.bots", AdminCommands.Asking.class, AdminCommands.Bots.class, STORE, API);
  /** Revokes anyone's bot; publishes {@link #BOT_REVOKED}. 404 unknown. */
  public static final Command<AdminCommands.RevokeBot, BusBody.Empty> ADMIN_BOT_REVOKE =
      Command.of("store.admin.bot.revoke", AdminCommands.RevokeBot.class, BusBody.Empty.class, STORE, API);
  /** The live shares of the whole server. */
  public static final Command<AdminCommands.ListShares, MediaCommands.SharesPage> ADMIN_SHARES =
      Command.of("store.admin.shares", AdminCommands.ListShares.class, MediaCommands.SharesPage.class, STORE, API);
  /** Revokes anyone's share; 404 unknown or already revoked. */
  public static final Command<AdminCommands.RevokeShare, BusBody.Empty> ADMIN_SHARE_REVOKE =
      Command.of("store.admin.share.revoke", AdminCommands.RevokeShare.class, BusBody.Empty.class, STORE, API);
  /** The store's node, database, size and last backup. */
  public static final Command<AdminCommands.Asking, AdminCommands.StoreStatus> ADMIN_STORE =
      Command.of("store.admin.store", AdminCommands.Asking.class, AdminCommands.StoreStatus.class, STORE, API);
  /** A backup now; 409 on PostgreSQL or while one runs. */
  public static final Command<AdminCommands.Acting, AdminCommands.BackupReply> ADMIN_BACKUP =
      Command.of("store.admin.backup", AdminCommands.Acting.class, AdminCommands.BackupReply.class, STORE, API);
  /** The audit log, newest first. */
  public static final Command<AdminCommands.ListAudit, AdminCommands.AuditPage> ADMIN_AUDIT =
      Command.of("store.admin.audit", AdminCommands.ListAudit.class, AdminCommands.AuditPage.class, STORE, API);

  // ---- Events --------------------------------------------------------------------------------

  /**
   * Delivery to one push or bridge verticle: {@code chat.node.<reporter>}, where the reporter is
   * the name the verticle reports its users' presence under (push: the cluster member id; the
   * bridge: {@code <member id>/bridge}). Published by the store only (and only after the change is
   * durable for {@code message} events), from its one event loop, in event-id order; consumed by
   * that verticle alone, which hands each event to its recipients' connections there. Body: a
   * {@link NodeBatch} (codec {@link NodeBatch.Codec}): the events of one turn of the store's
   * event loop, each once with its recipients on that verticle and, per recipient, the id of the
   * durable event published to the same user before it. The store routes by presence: a verticle
   * is sent the events of the users it reported (a delivery's {@link #STORE_ROUTE_PROBE} reports
   * its user first), so one event costs one bus message per verticle that needs it, however many
   * recipients it has there, and nothing for users with no connection.
   */
  public static String deliveries(String reporter) {
    return "chat.node." + reporter;
  }

  /**
   * Published by the store after an admin disabled or enabled an account. Every node (api, push,
   * bridge: {@code auth.DisabledAccounts}) refuses the account's access tokens while it is
   * disabled, and push and the bridge close its connections.
   */
  public static final Topic<Events.UserDisabled> USER_DISABLED = Topic.of("event.user.disabled", Events.UserDisabled.class,
      Set.of(STORE), Set.of(API, PUSH, BRIDGE));

  /**
   * Published every few seconds by each node's status reporter, whatever its roles; the admin
   * page's view of the cluster.
   */
  public static final Topic<Events.NodeStatus> NODE_STATUS = Topic.of("event.node.status", Events.NodeStatus.class,
      Set.of(OPS), Set.of(API));

  /**
   * Published by api to the push and bridge connection registries on every node. Each sends an
   * {@link Events.CensusCount} to the census's {@code replyTo} ({@link #censusReply}), naming the
   * users it has connections of; the admin page's device counts.
   */
  public static final Topic<Events.ConnectionCensus> CONNECTION_CENSUS = Topic.of("event.connections.census",
      Events.ConnectionCensus.class, Set.of(API), Set.of(PUSH, BRIDGE));

  /**
   * Where the answers ({@link Events.CensusCount}) to one {@link #CONNECTION_CENSUS} go: one
   * consumer per api, registered cluster-wide.
   */
  public static String censusReply(String id) {
    return "api.census." + id;
  }

  /** Published by the store after a bot's token was revoked: every node's bridge closes the bot's connections. */
  public static final Topic<Events.BotRevoked> BOT_REVOKED = Topic.of("event.bot.revoked", Events.BotRevoked.class,
      Set.of(STORE), Set.of(BRIDGE));

  // ---- The bridge's words: what bots (and people) on the SockJS or TCP bridge may use --------
  // Not addresses on the bus: the bridge serves them itself (bridge.BridgeGate, which lets
  // through exactly the entries bots may use). Bodies: BridgeWords.

  /** A message sent as on a WebSocket: stored like any other, answered with the ack or error data. */
  public static final Command<BridgeWords.Send, BridgeWords.Answer> BRIDGE_SEND =
      Command.of("chat.send", BridgeWords.Send.class, BridgeWords.Answer.class, BRIDGE, BOTS);
  /** A bot's acknowledgement of the events up to an id: kept as its position with {@link #BOT_ACK}. */
  public static final Command<BridgeWords.Ack, BotCommands.Position> BRIDGE_ACK =
      Command.of("chat.ack", BridgeWords.Ack.class, BotCommands.Position.class, BRIDGE, BOTS);
  /**
   * A user's events as bots see them: a connection registers {@code chat.user.<its own user id>}
   * ({@link #user(String)}) and receives its events under that address, the bridge feeding it from
   * {@link #deliveries(String)}.
   */
  public static final Topic<BridgeWords.UserFrame> USER_EVENTS = Topic.of("chat.user.", BridgeWords.UserFrame.class,
      Set.of(BRIDGE), Set.of(BOTS));

  /** The {@link #USER_EVENTS} address of one user. */
  public static String user(String userId) {
    return USER_EVENTS.name() + userId;
  }

  /**
   * Every entry above, in the order written (as HotSpot lists a class's fields; only the order of
   * texts such as the bridge's refusal depends on it).
   */
  public static final List<Route> ALL = routes();

  private static List<Route> routes() {
    List<Route> all = new ArrayList<>();
    for (Field field : Address.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && Route.class.isAssignableFrom(field.getType())) {
        try {
          all.add((Route) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return List.copyOf(all);
  }
}
