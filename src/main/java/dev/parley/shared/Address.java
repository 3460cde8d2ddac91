package dev.parley.shared;

import static dev.parley.shared.Party.API;
import static dev.parley.shared.Party.MEDIA;
import static dev.parley.shared.Party.STORE;
import static dev.parley.shared.Party.WEBPUSH;

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

  // ---- Conversations: sent by api (and push for typing/read), consumed by store ------------

  /** api → store. {@code {userId, type: direct, peerId}} or {@code {userId, type: group, title, memberIds}} → {@code {conversation, created}}. */
  public static final String CONVERSATION_CREATE = "store.conversation.create";
  /** api → store. {@code {userId, limit, cursor?}} → {@code {conversations, nextCursor}}, newest activity first. */
  public static final String CONVERSATION_LIST = "store.conversation.list";
  /** api → store. {@code {userId, conversationId}} → {@code {conversation}}; 404 for non-members. */
  public static final String CONVERSATION_GET = "store.conversation.get";
  /** api → store. {@code {userId, conversationId, title}} → {@code {conversation}}; owner/admin of a group. */
  public static final String CONVERSATION_RENAME = "store.conversation.rename";
  /** api → store. {@code {userId, conversationId, muted}} → {@code {}}. */
  public static final String CONVERSATION_MUTE = "store.conversation.mute";
  /**
   * api → store. {@code {userId, conversationId, level}} ({@code all}, {@code mentions} or
   * {@code nothing}) → {@code {}}; what the member of a group is notified of; 400 for a direct conversation.
   */
  public static final String CONVERSATION_NOTIFY = "store.conversation.notify";
  /**
   * api → store. {@code {userId, conversationId, days}} → {@code {conversation}}: how long the
   * conversation keeps its messages: {@code days} 0 forever, 1–36500 days, null the server's
   * default. A group's owner or admin, either member of a direct conversation (403 otherwise);
   * 400 for days out of range. A change adds a {@code retention} system message and publishes the
   * conversation to its members; the store's sweep deletes what has expired.
   */
  public static final String CONVERSATION_RETENTION = "store.conversation.retention";
  /** api → store. {@code {userId, conversationId, limit, cursor?}} → {@code {members, nextCursor}}. */
  public static final String MEMBER_LIST = "store.member.list";
  /** api → store. {@code {userId, conversationId, memberId}} → {@code {member}}; owner/admin. */
  public static final String MEMBER_ADD = "store.member.add";
  /** api → store. {@code {userId, conversationId, memberId, role}} → {@code {}}; owner only. */
  public static final String MEMBER_ROLE = "store.member.role";
  /** api → store. {@code {userId, conversationId, memberId}} → {@code {}}; owner/admin, or self (leave). */
  public static final String MEMBER_REMOVE = "store.member.remove";

  /** api, push → store. {@code {userId, conversationId}} → {@code {}}; publishes {@code typing} to the other members. */
  public static final String CONVERSATION_TYPING = "store.conversation.typing";
  /**
   * api, push → store. {@code {userId, conversationId, seq}} → {@code {seq}} (clamped); moves the read
   * pointer (and the delivery pointer with it) forward, publishes {@code read}.
   */
  public static final String CONVERSATION_READ = "store.conversation.read";
  /** api, push → store. {@code {userId, conversationId, seq}} → {@code {seq}} (clamped); moves the delivery pointer forward, publishes {@code delivered}. */
  public static final String CONVERSATION_DELIVERED = "store.conversation.delivered";
  /** api → store. {@code {userId, conversationId}} → {@code {receipts: [{userId, deliveredSeq, readSeq?}]}}. */
  public static final String CONVERSATION_RECEIPTS = "store.conversation.receipts";

  // ---- Messages -----------------------------------------------------------------------------

  /**
   * api, push → store. A {@link SendRequest} as JSON plus {@code senderId} → {@code {message, created}};
   * with {@code reply: "ack"} (push) the message in the reply is only {@code {id, seq}}.
   * After the group commit the store publishes the {@code message} event to every member.
   */
  public static final String MESSAGE_SEND = "store.message.send";
  /** api → store. {@code {userId, conversationId, before?, after?, limit}} → {@code {messages, hasMore}}. */
  public static final String MESSAGE_HISTORY = "store.message.history";
  /** api → store. {@code {userId, conversationId, messageId}} → {@code {}}; publishes the recalled message with a new event id. */
  public static final String MESSAGE_RECALL = "store.message.recall";
  /** api → store. {@code {userId, q, conversationId?, limit, before?}} → {@code {messages, nextCursor}}. */
  public static final String MESSAGE_SEARCH = "store.message.search";
  /**
   * api → store. {@code {userId, conversationId, messageId, text, mentions?}} → {@code {message}}; the
   * sender, within 24 hours, text only. Publishes the edited message with a new event id.
   */
  public static final String MESSAGE_EDIT = "store.message.edit";
  /** api → store. {@code {userId, conversationId, messageId, emoji}} → {@code {}}; publishes the message with a new event id if it changed. */
  public static final String REACTION_ADD = "store.reaction.add";
  /** api → store. {@code {userId, conversationId, messageId, emoji}} → {@code {}}; publishes the message with a new event id if it changed. */
  public static final String REACTION_REMOVE = "store.reaction.remove";

  // ---- Push support --------------------------------------------------------------------------

  /**
   * push, bridge, outgoing → store. {@code {userId, since, limit, page?}} → {@code {events: [frame], resync}} in
   * event-id order; with {@code page} the first {@code limit} events, never a resync.
   */
  public static final String EVENTS_SINCE = "store.events.since";
  /**
   * push, bridge → store. {@code {nodeId, userId, online}} → {@code {}}; the store publishes
   * {@code presence} on a change, and stops routing the user's events to the reporter when
   * {@code online} is false (its last connection there closed).
   */
  public static final String PRESENCE_UPDATE = "store.presence.update";
  /**
   * push, bridge → store. {@code {nodeId, userIds}} → {@code {}}: every user with a connection on
   * that reporter, sent when the store (re)starts so that presence and the routes of
   * {@link #deliveries(String)} survive a store restart. Its reply comes before the reporter's
   * connections catch up, so nothing committed between the two is missed.
   */
  public static final String PRESENCE_SYNC = "store.presence.sync";
  /**
   * push, bridge → store. {@code {userId, nodeId, probe}} → {@code {}}: the store records that the
   * reporter {@code nodeId} holds a connection of the user (as {@link #PRESENCE_UPDATE} online
   * does), then sends a {@linkplain UserEvent#route route marker} carrying {@code probe} to
   * {@link #deliveries(String) chat.node.<nodeId>}, behind everything it sent there before. A new
   * delivery waits for its marker before it replays: the marker's arrival proves that the store's
   * later events for the user reach this verticle, and everything before it is committed.
   */
  public static final String STORE_ROUTE_PROBE = "store.route.probe";
  /** http ({@code GET /health}) → store. {@code {}} → {@code {status: UP, lastEventId, database, node}}. */
  public static final String STORE_HEALTH = "store.health";
  /**
   * http ({@code GET /health}, when no store answers {@link #STORE_HEALTH}) → a store waiting to
   * take over on PostgreSQL. {@code {}} → {@code {node, since, holder}}: the standby's node, since
   * when it waits, and who held the database fence when it last looked.
   */
  public static final String STORE_STANDBY = "store.standby";
  /**
   * root ({@code Node}, at start of a clustered node without the store role and without a
   * configured secret) → store. {@code {}} → {@code {jwtSecret}}: every node signs and checks
   * access tokens with the one key. The clustered bus must be private (docs/deploy.md).
   */
  public static final String STORE_SIGNING_KEY = "store.auth.signingKey";

  // ---- Cluster -------------------------------------------------------------------------------

  /**
   * Published by the store once it answers (at start, and when a standby has taken over),
   * consumed by push and bridge on every node, which then send {@link #PRESENCE_SYNC} and, once
   * it is answered (the new store routes their users' events to them from then on), resume every
   * connection from its last delivered event id: events the previous store committed but did not
   * publish before it died still reach them. {@code auth.DisabledAccounts} (api, push, bridge) reads
   * the disabled accounts again on it. Body {@code {node}}.
   */
  public static final String STORE_STARTED = "event.store.started";
  /**
   * Published by the store after a sign-in ended: signed out ({@link #TOKEN_REVOKE}), or its
   * refresh token replayed ({@link #TOKEN_ROTATE} revokes the family). Consumed by push on every
   * node, which closes that user's streams opened with an access token of the family, and by the
   * bridge, which closes the person's bridge links (bots' stay). Body
   * {@code {userId, familyId}}.
   */
  public static final String SESSIONS_REVOKED = "event.sessions.revoked";
  /**
   * Published local-only by the cluster verticle of each node when Hazelcast drops a member;
   * consumed by the store on that node (its presence forgets the member's connections).
   * Body {@code {memberId}}.
   */
  public static final String CLUSTER_MEMBER_LEFT = "cluster.member.left";
  /**
   * http ({@code GET /health}) → cluster verticle, local only. {@code {}} →
   * {@code {memberId, size, members: [{memberId, node, address, roles, self}]}}.
   */
  public static final String CLUSTER_STATUS = "cluster.status";

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

  // ---- Bots: sent by api and bridge, consumed by store ---------------------------------------

  /** api → store. {@code {ownerId, username, displayName, tokenHash}} → {@code {user}}; 403 a bot asking, 409 taken or too many. */
  public static final String BOT_CREATE = "store.bot.create";
  /** api → store. {@code {userId, botId}} → {@code {}}; 403 not the owner, 404 no such bot. Publishes {@link #BOT_REVOKED}. */
  public static final String BOT_REVOKE = "store.bot.revoke";
  /** api (Bearer), bridge (frame header) → store. {@code {tokenHash}} → {@code {userId}}; 401 unknown or revoked. */
  public static final String BOT_AUTHENTICATE = "store.bot.authenticate";
  /**
   * bridge (a bot registering with {@code resume: server}) → store. {@code {userId}} →
   * {@code {ackedId}}: the newest event id the bot acknowledged; 403 for a user who is not a bot.
   */
  public static final String BOT_CURSOR = "store.bot.cursor";
  /**
   * bridge ({@link #BRIDGE_ACK}) → store. {@code {userId, id}} → {@code {ackedId}}: moves the bot's
   * kept position forward (never back); 400 for an id past the newest event, 403 for a person.
   */
  public static final String BOT_ACK = "store.bot.ack";

  /**
   * api → store. {@code {userId, botId, url, secret}} → {@code {webhook: {url, paused}}}: gives the
   * caller's bot an outgoing webhook, or replaces its endpoint and secret (unpaused, retry series
   * forgotten); 403 not the owner, 404 no such bot, 409 a revoked bot.
   */
  public static final String OUTGOING_SET = "store.outgoing.set";
  /**
   * api → store. {@code {userId, botId}} → {@code {webhook: {url, paused, pausedReason?}, deliveries:
   * [{eventId, at, status, latencyMs, error?}]}} (newest first, at most 50); 403, 404.
   */
  public static final String OUTGOING_GET = "store.outgoing.get";
  /** api → store. {@code {userId, botId}} → {@code {webhook}}: unpaused, its retry series restarted; 403, 404. */
  public static final String OUTGOING_RESUME = "store.outgoing.resume";
  /** api → store. {@code {userId, botId}} → {@code {}}: the webhook and its log are gone; 403, 404. */
  public static final String OUTGOING_DELETE = "store.outgoing.delete";
  /**
   * outgoing (every poll) → store. {@code {nodeId}} → {@code {head, bots: [{botId, url, secret,
   * ackedId, failingEventId?, failingSince?, failures}]}}: the bots with a live, unpaused webhook
   * and events after their kept position that the store grants to this deliverer, each with a
   * lease (in the store's memory) that keeps every other deliverer away while it is renewed.
   * {@code head}: every event up to it is committed.
   */
  public static final String OUTGOING_PENDING = "store.outgoing.pending";
  /**
   * outgoing → store. {@code {nodeId, botId, eventId, status, latencyMs, error?, delivered}} →
   * {@code {paused, failures, failingSince?}}: logs one delivery attempt and renews the lease; a failure starts or continues
   * the event's retry series, and pauses the webhook once it is older than the retry limit the
   * deliverer sends ({@code pauseAfterMs}). 409 when this deliverer no longer holds the bot's lease.
   */
  public static final String OUTGOING_ATTEMPT = "store.outgoing.attempt";
  /** outgoing (nothing left to send, or stopping) → store. {@code {nodeId, botId}} → {@code {}}: gives the lease back. */
  public static final String OUTGOING_RELEASE = "store.outgoing.release";

  // ---- Incoming webhooks: sent by api, consumed by store ------------------------------------

  /**
   * api → store. {@code {userId, conversationId, name, avatarMediaId?, secretHash}} →
   * {@code {webhook: {id, conversationId, name, senderId, creatorId, createdAt, avatarMediaId?}}}
   * (the api adds the URL, shown once): makes the webhook and its sender, a bot user. 400 an avatar
   * that is not the caller's own image, 403 not a group's owner/admin, 404 non-member, 409 too many.
   */
  public static final String WEBHOOK_CREATE = "store.webhook.create";
  /** api → store. {@code {userId, conversationId}} → {@code {webhooks}} (live ones, no secrets); 404 non-member. */
  public static final String WEBHOOK_LIST = "store.webhook.list";
  /**
   * api → store. {@code {userId, conversationId, webhookId}} → {@code {}}; the creator, a group's
   * owner/admin or either member of a direct conversation; 403, 404 (also when already revoked).
   */
  public static final String WEBHOOK_REVOKE = "store.webhook.revoke";
  /**
   * api (public {@code POST /api/hooks/{secret}}) → store. {@code {secretHash, text, username?, clientId}}
   * → {@code {message, created}} as {@link #MESSAGE_SEND}: a text message from the webhook's sender
   * carrying {@code via: {webhook, name}}. 404 unknown or revoked (or its creator left), 429 past the
   * webhook's limit.
   */
  public static final String WEBHOOK_POST = "store.webhook.post";

  // ---- Administration: sent by api, consumed by store ------------------------------------------
  // Every admin command carries {@code adminId} (the caller) and, when it changes something,
  // {@code clientAddress} for the audit log; anyone but an enabled admin gets 403.

  /**
   * api → store. {@code {}} → {@code {registration}}: {@code open}, {@code closed} or {@code invite}, who may register
   * now ({@code open} on a fresh server, whose first person always may). Anyone may ask.
   */
  public static final String REGISTRATION = "store.registration";
  /**
   * api → store. {@code {tokenHash, passwordHash}} → {@code {}}: the holder of a password-reset link sets a
   * new password; every sign-in of the account ends. 400 (field {@code token}) for an unknown, used or
   * expired link, 403 for a disabled account.
   */
  public static final String PASSWORD_RESET = "store.password.reset";
  /** api, push, bridge → store. {@code {}} → {@code {userIds}}: every disabled account (see {@code auth.DisabledAccounts}). */
  public static final String DISABLED_USERS = "store.users.disabled";
  /** api → store. {@code {adminId, q?, limit, cursor?}} → {@code {users, nextCursor}}, as the admin page shows them. */
  public static final String ADMIN_USERS = "store.admin.users";
  /**
   * api → store. {@code {adminId, clientAddress, userId, disabled}} → {@code {user}}; 409 for oneself or the
   * last admin. Disabling revokes every sign-in and publishes {@link #USER_DISABLED}.
   */
  public static final String ADMIN_USER_DISABLE = "store.admin.user.disable";
  /** api → store. {@code {adminId, clientAddress, userId, admin}} → {@code {user}}; 400 a bot, 409 configured or last admin. */
  public static final String ADMIN_USER_ADMIN = "store.admin.user.admin";
  /** api → store. {@code {adminId, clientAddress, userId, tokenHash, expiresAt}} → {@code {expiresAt}}; 400 for a bot. */
  public static final String ADMIN_PASSWORD_RESET = "store.admin.user.password-reset";
  /** api → store. {@code {adminId}} → {@code {registration}}. */
  public static final String ADMIN_SETTINGS = "store.admin.settings";
  /** api → store. {@code {adminId, clientAddress, registration}} → {@code {registration}}. */
  public static final String ADMIN_SETTINGS_UPDATE = "store.admin.settings.update";
  /** api → store. {@code {adminId, clientAddress, codeHash, maxUses, expiresAt}} → {@code {invitation}}. */
  public static final String ADMIN_INVITATION_CREATE = "store.admin.invitation.create";
  /** api → store. {@code {adminId}} → {@code {invitations}}: the live ones, newest first. */
  public static final String ADMIN_INVITATIONS = "store.admin.invitations";
  /** api → store. {@code {adminId, clientAddress, invitationId}} → {@code {}}; 404 unknown or already revoked. */
  public static final String ADMIN_INVITATION_REVOKE = "store.admin.invitation.revoke";
  /**
   * api → store. {@code {adminId, q?, limit, cursor?}} → {@code {conversations, nextCursor}}: every
   * conversation by the name it shows, with its first members; never its messages.
   */
  public static final String ADMIN_CONVERSATIONS = "store.admin.conversations";
  /** api → store. {@code {adminId}} → {@code {bots}}: every bot with its owner. */
  public static final String ADMIN_BOTS = "store.admin.bots";
  /** api → store. {@code {adminId, clientAddress, botId}} → {@code {}}; publishes {@link #BOT_REVOKED}. 404 unknown. */
  public static final String ADMIN_BOT_REVOKE = "store.admin.bot.revoke";
  /** api → store. {@code {adminId, limit, cursor?}} → {@code {shares, nextCursor}}: live shares of the whole server. */
  public static final String ADMIN_SHARES = "store.admin.shares";
  /** api → store. {@code {adminId, clientAddress, shareId}} → {@code {}}; 404 unknown or already revoked. */
  public static final String ADMIN_SHARE_REVOKE = "store.admin.share.revoke";
  /** api → store. {@code {adminId}} → {@code {store: {node, database, sizeBytes, lastBackup}}}. */
  public static final String ADMIN_STORE = "store.admin.store";
  /** api → store. {@code {adminId, clientAddress}} → {@code {backup: {path, at, bytes, millis}}}; 409 on PostgreSQL or while one runs. */
  public static final String ADMIN_BACKUP = "store.admin.backup";
  /** api → store. {@code {adminId, actor?, action?, limit, cursor?}} → {@code {entries, nextCursor}}, newest first. */
  public static final String ADMIN_AUDIT = "store.admin.audit";

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
   * A user's events as bots see them on the event-bus bridge: a bot's connection registers
   * {@code chat.user.<its user id>} and receives its events under that address. Not an address
   * on the bus itself (the bridge serves it from {@link #deliveries(String)}).
   */
  public static String user(String userId) {
    return USER_PREFIX + userId;
  }

  /** The prefix of {@link #user(String)} addresses, for bridges that check a registration. */
  public static final String USER_PREFIX = "chat.user.";

  /**
   * store → api, push, bridge, <b>published</b> after an admin disabled or enabled an account:
   * {@code {userId, disabled}}. Every node refuses the account's access tokens while it is disabled,
   * and push and the bridge close its connections.
   */
  public static final String USER_DISABLED = "event.user.disabled";

  /**
   * every node → api, <b>published</b> every few seconds by each node's status reporter: {@code {id,
   * roles, version, startedAt, connections: {push, bridge}, series: {intervalSeconds, messagesStored,
   * connections, httpRequests}}}, the series one point a minute over the last hour. The admin page's
   * view of the cluster.
   */
  public static final String NODE_STATUS = "event.node.status";

  /**
   * api → push and bridge on every node, <b>published</b>: {@code {census, userIds, replyTo}}. Each
   * connection registry sends {@code {census, counts: {userId: n}}} to {@code replyTo} (see
   * {@link #censusReply}), naming the users it has connections of; the admin page's device counts.
   */
  public static final String CONNECTION_CENSUS = "event.connections.census";

  /** Where the answers to one {@link #CONNECTION_CENSUS} go: one consumer per api, registered cluster-wide. */
  public static String censusReply(String id) {
    return "api.census." + id;
  }

  /**
   * store → bridge, <b>published</b> after a bot's token was revoked: {@code {userId}}. Every node's
   * bridge closes the connections of that bot.
   */
  public static final String BOT_REVOKED = "event.bot.revoked";

  /**
   * The bridge's inbound address as bots see it. Not registered on the bus: the bridge serves a
   * {@code send} to it itself (a WebSocket {@code send} frame's body, answered with the ack or error data).
   */
  public static final String BRIDGE_SEND = "chat.send";
  /**
   * The bridge's acknowledgement address as bots see it, served by the bridge itself like
   * {@link #BRIDGE_SEND}: a {@code send} with body {@code {id}} (an event id the bot received)
   * keeps the bot's position with {@link #BOT_ACK}, answered with {@code {ackedId}}.
   */
  public static final String BRIDGE_ACK = "chat.ack";

  /** Every entry above, in the order written. */
  public static final java.util.List<Route> ALL = routes();

  private static java.util.List<Route> routes() {
    java.util.List<Route> all = new java.util.ArrayList<>();
    for (java.lang.reflect.Field field : Address.class.getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && Route.class.isAssignableFrom(field.getType())) {
        try {
          all.add((Route) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return java.util.List.copyOf(all);
  }
}
