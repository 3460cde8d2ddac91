package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConversationTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private JsonObject conversation(Reply reply) {
    return reply.json().getJsonObject("conversation");
  }

  @Test
  void aDirectConversationIsCreatedOnceAndFoundAgain() {
    Account ann = api.signUp("ann");
    Account ben = api.signUp("ben");
    Reply created = api.post("/api/conversations", ann.token(), new JsonObject().put("type", "direct").put("userId", ben.id()));
    assertEquals(201, created.status());
    JsonObject c = conversation(created);
    assertEquals("direct", c.getString("type"));
    assertEquals(2, c.getInteger("memberCount"));
    assertEquals(2, c.getJsonArray("members").size());
    assertEquals(0, c.getInteger("lastSeq"));

    Reply fromTheOtherSide = api.post("/api/conversations", ben.token(), new JsonObject().put("type", "direct").put("userId", ann.id()));
    assertEquals(200, fromTheOtherSide.status());
    assertEquals(c.getString("id"), conversation(fromTheOtherSide).getString("id"));

    assertEquals(400, api.post("/api/conversations", ann.token(), new JsonObject().put("type", "direct").put("userId", ann.id())).status());
    assertEquals(404, api.post("/api/conversations", ann.token(), new JsonObject().put("type", "direct").put("userId", "u-nobody")).status());
    assertEquals("type", api.post("/api/conversations", ann.token(), new JsonObject().put("type", "channel")).errorField());
    assertEquals(400, api.delete("/api/conversations/" + c.getString("id") + "/members/" + ben.id(), ann.token()).status());
  }

  @Test
  void aGroupHasAnOwnerMembersAndSystemMessagesWithSeqs() {
    Account owner = api.signUp("owner");
    Account m1 = api.signUp("m1");
    Account m2 = api.signUp("m2");
    Reply created = api.post("/api/conversations", owner.token(), new JsonObject().put("type", "group").put("title", "Team")
        .put("memberIds", new JsonArray().add(m1.id()).add(m2.id())));
    assertEquals(201, created.status());
    JsonObject group = conversation(created);
    String id = group.getString("id");
    assertEquals("Team", group.getString("title"));
    assertEquals(3, group.getInteger("memberCount"));
    assertEquals("owner", group.getString("myRole"));
    assertEquals(1, group.getInteger("lastSeq"), "the 'created' system message takes seq 1");

    JsonArray messages = api.get("/api/conversations/" + id + "/messages", m1.token()).json().getJsonArray("messages");
    JsonObject system = messages.getJsonObject(0);
    assertEquals("system", system.getString("type"));
    assertEquals(new JsonObject().put("action", "created").put("userId", owner.id()).put("by", owner.id()), system.getJsonObject("system"));

    JsonArray members = api.get("/api/conversations/" + id + "/members", m2.token()).json().getJsonArray("members");
    assertEquals(3, members.size());
    assertEquals("owner", members.getJsonObject(0).getString("role"));
    assertEquals(owner.id(), members.getJsonObject(0).getJsonObject("user").getString("id"));

    assertEquals("title", api.post("/api/conversations", owner.token(), new JsonObject().put("type", "group").put("title", "")).errorField());
    assertEquals("memberIds", api.post("/api/conversations", owner.token(), new JsonObject().put("type", "group").put("title", "x")
        .put("memberIds", new JsonArray().add("u-ghost"))).errorField());
  }

  @Test
  void onlyOwnersAndAdminsManageAndOnlyTheOwnerChangesRoles() {
    Account owner = api.signUp("boss");
    Account admin = api.signUp("admin");
    Account member = api.signUp("member");
    Account newcomer = api.signUp("newcomer");
    String id = api.group(owner, "Ops", admin, member);
    String base = "/api/conversations/" + id;

    assertEquals(403, api.patch(base, member.token(), new JsonObject().put("title", "Mine")).status());
    assertEquals(403, api.post(base + "/members", member.token(), new JsonObject().put("userId", newcomer.id())).status());
    assertEquals(403, api.patch(base + "/members/" + member.id(), admin.token(), new JsonObject().put("role", "admin")).status());
    assertEquals(204, api.patch(base + "/members/" + admin.id(), owner.token(), new JsonObject().put("role", "admin")).status());
    assertEquals("role", api.patch(base + "/members/" + admin.id(), owner.token(), new JsonObject().put("role", "king")).errorField());

    Reply renamed = api.patch(base, admin.token(), new JsonObject().put("title", "Ops 2"));
    assertEquals(200, renamed.status());
    assertEquals("Ops 2", conversation(renamed).getString("title"));

    assertEquals(201, api.post(base + "/members", admin.token(), new JsonObject().put("userId", newcomer.id())).status());
    assertEquals(409, api.post(base + "/members", admin.token(), new JsonObject().put("userId", newcomer.id())).status());
    assertEquals(404, api.post(base + "/members", admin.token(), new JsonObject().put("userId", "u-ghost")).status());
    assertEquals(403, api.delete(base + "/members/" + owner.id(), admin.token()).status(), "an admin cannot remove the owner");
    assertEquals(204, api.delete(base + "/members/" + newcomer.id(), admin.token()).status());
    assertEquals(404, api.get(base, newcomer.token()).status(), "removed means gone");

    List<String> actions = api.get(base + "/messages", owner.token()).json().getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getJsonObject("system").getString("action")).toList();
    assertEquals(List.of("created", "renamed", "joined", "removed"), actions);
  }

  @Test
  void handingOverOwnershipAndLeaving() {
    Account owner = api.signUp("founder");
    Account heir = api.signUp("heir");
    Account other = api.signUp("other");
    String id = api.group(owner, "Club", heir, other);
    String base = "/api/conversations/" + id;

    assertEquals(400, api.patch(base + "/members/" + owner.id(), owner.token(), new JsonObject().put("role", "member")).status());
    assertEquals(204, api.patch(base + "/members/" + heir.id(), owner.token(), new JsonObject().put("role", "owner")).status());
    assertEquals("owner", conversation(api.get(base, heir.token())).getString("myRole"));
    assertEquals("admin", conversation(api.get(base, owner.token())).getString("myRole"));

    assertEquals(204, api.delete(base + "/members/" + heir.id(), heir.token()).status(), "the owner leaves");
    assertEquals("owner", conversation(api.get(base, owner.token())).getString("myRole"), "the longest-standing admin inherits");
    assertEquals(204, api.delete(base + "/members/" + other.id(), other.token()).status(), "a member leaves");
    assertEquals(1, conversation(api.get(base, owner.token())).getInteger("memberCount"));
  }

  @Test
  void nonMembersGetNotFoundOnEveryPath() {
    Account a = api.signUp("insider");
    Account b = api.signUp("insider");
    Account stranger = api.signUp("stranger");
    String id = api.group(a, "Private", b);
    long messageId = api.send(a, id, "secret").getLong("id");
    String base = "/api/conversations/" + id;
    String t = stranger.token();
    List<Reply> replies = List.of(
        api.get(base, t),
        api.patch(base, t, new JsonObject().put("title", "x")),
        api.get(base + "/members", t),
        api.post(base + "/members", t, new JsonObject().put("userId", stranger.id())),
        api.patch(base + "/members/" + a.id(), t, new JsonObject().put("role", "member")),
        api.delete(base + "/members/" + b.id(), t),
        api.put(base + "/mute", t, new JsonObject().put("muted", true)),
        api.get(base + "/messages", t),
        api.post(base + "/messages", t, new JsonObject().put("clientId", "x1").put("type", "text").put("text", "hi")),
        api.delete(base + "/messages/" + messageId, t),
        api.post(base + "/read", t, new JsonObject().put("seq", 1)),
        api.post(base + "/typing", t, new JsonObject()),
        api.get("/api/search?q=secret&conversationId=" + id, t),
        api.get("/api/conversations/c-does-not-exist", t));
    for (Reply reply : replies) {
      assertEquals(404, reply.status(), reply.raw());
      assertEquals("not_found", reply.errorCode());
    }
    assertEquals(0, api.get("/api/search?q=secret", t).json().getJsonArray("messages").size());
    assertEquals(2, conversation(api.get(base, a.token())).getInteger("memberCount"), "nothing changed");
  }

  @Test
  void theListIsNewestActivityFirstWithUnreadCountsAndPages() {
    Account me = api.signUp("lister");
    Account p1 = api.signUp("peer");
    Account p2 = api.signUp("peer");
    Account p3 = api.signUp("peer");
    String c1 = api.direct(me, p1);
    String c2 = api.direct(me, p2);
    String c3 = api.direct(me, p3);
    api.send(p2, c2, "one");
    api.send(p2, c2, "two");
    api.send(me, c2, "mine does not count");
    api.send(p1, c1, "latest");

    JsonArray list = api.get("/api/conversations", me.token()).json().getJsonArray("conversations");
    assertEquals(List.of(c1, c2, c3), list.stream().map(c -> ((JsonObject) c).getString("id")).toList());
    JsonObject second = list.getJsonObject(1);
    assertEquals(2, second.getInteger("unread"));
    assertEquals(3, second.getInteger("lastSeq"));
    assertEquals("mine does not count", second.getJsonObject("lastMessage").getString("text"));

    JsonObject page = api.get("/api/conversations?limit=2", me.token()).json();
    assertEquals(2, page.getJsonArray("conversations").size());
    JsonObject rest = api.get("/api/conversations?limit=2&cursor=" + page.getString("nextCursor"), me.token()).json();
    assertEquals(c3, rest.getJsonArray("conversations").getJsonObject(0).getString("id"));
    assertNull(rest.getString("nextCursor"));
    assertEquals("cursor", api.get("/api/conversations?cursor=garbage", me.token()).errorField());
  }

  @Test
  void muteIsPerMember() {
    Account a = api.signUp("muter");
    Account b = api.signUp("muted");
    String id = api.direct(a, b);
    assertEquals(204, api.put("/api/conversations/" + id + "/mute", a.token(), new JsonObject().put("muted", true)).status());
    assertTrue(conversation(api.get("/api/conversations/" + id, a.token())).getBoolean("muted"));
    assertEquals(false, conversation(api.get("/api/conversations/" + id, b.token())).getBoolean("muted"));
    assertEquals("muted", api.put("/api/conversations/" + id + "/mute", a.token(), new JsonObject()).errorField());
  }

  @Test
  void aGroupMemberChoosesWhatToBeNotifiedOfAndADirectChatAlwaysNotifies() {
    Account owner = api.signUp("owner");
    Account member = api.signUp("member");
    Account outsider = api.signUp("outsider");
    String group = api.group(owner, "Climbing", member);
    String direct = api.direct(owner, member);
    assertEquals("mentions", conversation(api.get("/api/conversations/" + group, member.token())).getString("notify"), "the default");
    assertEquals("all", conversation(api.get("/api/conversations/" + direct, member.token())).getString("notify"));

    assertEquals(204, api.put("/api/conversations/" + group + "/notify", member.token(), new JsonObject().put("level", "all")).status());
    assertEquals("all", conversation(api.get("/api/conversations/" + group, member.token())).getString("notify"));
    assertEquals("mentions", conversation(api.get("/api/conversations/" + group, owner.token())).getString("notify"), "per member");
    JsonArray list = api.get("/api/conversations", member.token()).json().getJsonArray("conversations");
    assertTrue(list.stream().map(JsonObject.class::cast).anyMatch(c -> c.getString("id").equals(group) && "all".equals(c.getString("notify"))));
    assertEquals(204, api.put("/api/conversations/" + group + "/notify", member.token(), new JsonObject().put("level", "nothing")).status());
    assertEquals("nothing", conversation(api.get("/api/conversations/" + group, member.token())).getString("notify"));

    // Refusals change nothing.
    Reply unknown = api.put("/api/conversations/" + group + "/notify", member.token(), new JsonObject().put("level", "loud"));
    assertEquals(400, unknown.status());
    assertEquals("level", unknown.errorField());
    assertEquals("level", api.put("/api/conversations/" + group + "/notify", member.token(), new JsonObject()).errorField());
    assertEquals(400, api.put("/api/conversations/" + direct + "/notify", member.token(), new JsonObject().put("level", "nothing")).status());
    assertEquals(404, api.put("/api/conversations/" + group + "/notify", outsider.token(), new JsonObject().put("level", "all")).status());
    assertEquals("nothing", conversation(api.get("/api/conversations/" + group, member.token())).getString("notify"));
    assertEquals("all", conversation(api.get("/api/conversations/" + direct, member.token())).getString("notify"));
  }
}
