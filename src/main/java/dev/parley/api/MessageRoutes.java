package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Command;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.EditRequest;
import dev.parley.shared.Emoji;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Messages of a conversation: send, history, edit, recall, reactions, delivery and read pointers,
 * receipts, typing; and search.
 */
final class MessageRoutes {
  private final Bus bus;

  MessageRoutes(Bus bus) {
    this.bus = bus;
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.post("/api/conversations/:id/messages").handler(authn).handler(HttpReplies.guarded(this::send));
    router.get("/api/conversations/:id/messages").handler(authn).handler(HttpReplies.guarded(this::history));
    router.patch("/api/conversations/:id/messages/:messageId").handler(authn).handler(HttpReplies.guarded(this::edit));
    router.delete("/api/conversations/:id/messages/:messageId").handler(authn).handler(HttpReplies.guarded(this::recall));
    router.put("/api/conversations/:id/messages/:messageId/reactions/:emoji").handler(authn)
        .handler(HttpReplies.guarded(ctx -> react(ctx, Address.REACTION_ADD)));
    router.delete("/api/conversations/:id/messages/:messageId/reactions/:emoji").handler(authn)
        .handler(HttpReplies.guarded(ctx -> react(ctx, Address.REACTION_REMOVE)));
    router.post("/api/conversations/:id/delivered").handler(authn).handler(HttpReplies.guarded(this::delivered));
    router.post("/api/conversations/:id/read").handler(authn).handler(HttpReplies.guarded(this::read));
    router.get("/api/conversations/:id/receipts").handler(authn).handler(HttpReplies.guarded(this::receipts));
    router.post("/api/conversations/:id/typing").handler(authn).handler(HttpReplies.guarded(this::typing));
    router.get("/api/search").handler(authn).handler(HttpReplies.guarded(this::search));
  }

  /** 201 with the new message, or 200 with the stored one when the clientId was seen before. */
  private void send(RoutingContext ctx) {
    SendRequest request = SendRequest.parse(ctx.pathParam("id"), HttpReplies.body(ctx), "type");
    bus.request(Address.MESSAGE_SEND, MessageCommands.Send.of(HttpReplies.userId(ctx), request)).onComplete(ar -> {
      if (ar.failed()) {
        HttpReplies.ok(ctx, Future.failedFuture(ar.cause()));
      } else {
        HttpReplies.respond(ctx, ar.result().created() ? 201 : 200,
            Future.succeededFuture(new JsonObject().put("message", ar.result().message())));
      }
    });
  }

  private void history(RoutingContext ctx) {
    Long before = Json.queryLong(ctx.request().getParam("before"), "before");
    Long after = Json.queryLong(ctx.request().getParam("after"), "after");
    if (before != null && after != null) {
      throw Failure.invalid("before", "give before or after, not both");
    }
    HttpReplies.ok(ctx, bus.request(Address.MESSAGE_HISTORY, new MessageCommands.History(HttpReplies.userId(ctx),
            ctx.pathParam("id"), before, after, Json.limit(ctx.request().getParam("limit"))))
        .map(MessageCommands.HistoryPage::toJson));
  }

  private void recall(RoutingContext ctx) {
    Long messageId = Json.queryLong(ctx.pathParam("messageId"), "messageId");
    HttpReplies.noContent(ctx, bus.request(Address.MESSAGE_RECALL,
        new MessageCommands.Recall(HttpReplies.userId(ctx), ctx.pathParam("id"), messageId)));
  }

  private void edit(RoutingContext ctx) {
    Long messageId = Json.queryLong(ctx.pathParam("messageId"), "messageId");
    EditRequest edit = EditRequest.parse(HttpReplies.body(ctx));
    HttpReplies.ok(ctx, bus.request(Address.MESSAGE_EDIT,
            new MessageCommands.Edit(HttpReplies.userId(ctx), ctx.pathParam("id"), messageId, edit))
        .map(MessageCommands.MessageReply::toJson));
  }

  /** The emoji arrives URL-encoded in the path; the router hands it over decoded. */
  private void react(RoutingContext ctx, Command<MessageCommands.Reaction, BusBody.Empty> command) {
    Long messageId = Json.queryLong(ctx.pathParam("messageId"), "messageId");
    String emoji = Emoji.require(ctx.pathParam("emoji"), "emoji");
    HttpReplies.noContent(ctx, bus.request(command,
        new MessageCommands.Reaction(HttpReplies.userId(ctx), ctx.pathParam("id"), messageId, emoji)));
  }

  private void delivered(RoutingContext ctx) {
    long seq = Json.nonNegativeLong(HttpReplies.body(ctx), "seq");
    HttpReplies.noContent(ctx, bus.request(Address.CONVERSATION_DELIVERED,
        new ConversationCommands.Pointer(HttpReplies.userId(ctx), ctx.pathParam("id"), seq)));
  }

  private void receipts(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.CONVERSATION_RECEIPTS, ConversationRoutes.caller(ctx))
        .map(ConversationCommands.ReceiptsReply::toJson));
  }

  private void read(RoutingContext ctx) {
    long seq = Json.nonNegativeLong(HttpReplies.body(ctx), "seq");
    HttpReplies.noContent(ctx, bus.request(Address.CONVERSATION_READ,
        new ConversationCommands.Pointer(HttpReplies.userId(ctx), ctx.pathParam("id"), seq)));
  }

  private void typing(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.CONVERSATION_TYPING, ConversationRoutes.caller(ctx)));
  }

  private void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "").trim();
    if (q.isEmpty() || q.length() > 200) {
      throw Failure.invalid("q", "q must be 1-200 characters");
    }
    HttpReplies.ok(ctx, bus.request(Address.MESSAGE_SEARCH, new MessageCommands.Search(HttpReplies.userId(ctx), q,
            ctx.request().getParam("conversationId"), Json.limit(ctx.request().getParam("limit")),
            Json.queryLong(ctx.request().getParam("cursor"), "cursor")))
        .map(MessageCommands.SearchPage::toJson));
  }
}
