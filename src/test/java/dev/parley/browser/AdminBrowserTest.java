package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Browser;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin page (webroot/admin.html) as a team's admin uses it: the first account is the
 * server's admin and finds the page in the client's menu, nobody else does. The admin disables
 * someone whose open client is signed out at once and whose sign-in is then refused in words,
 * and enables them again; revokes a share whose link then stops working; sees the node with its
 * roles and version and backs up; opens registration by invitation and makes a link someone
 * registers with; and hands out a password-reset link that sets a new password.
 */
class AdminBrowserTest extends BrowserTestBase {
  private static final String NODE_ID = "node-admin-test";
  private static Account boss;

  @BeforeAll
  static void start() {
    node = TestNode.start(config -> config.getJsonObject("node").put("id", NODE_ID));
  }

  /** The first account of the fresh node, whichever test runs first: the server's admin. */
  private Account boss() {
    if (boss == null) {
      String username = name("boss");
      JsonObject registered = api.post("/api/auth/register", null,
          new JsonObject().put("username", username).put("password", PASSWORD).put("displayName", "Boss")).json();
      assertEquals(true, registered.getJsonObject("user").getBoolean("admin"), "the first account is an admin");
      boss = api.login(username, PASSWORD);
    }
    return boss;
  }

  /** Registration open again, whatever a test left it at. */
  @AfterEach
  void openRegistration() {
    if (boss != null) {
      api.put("/api/admin/settings", api.login(boss.username(), PASSWORD).token(), new JsonObject().put("registration", "open"));
    }
  }

  /** The admin signed in to the client, then on the admin page through its menu entry. */
  private Browser adminPage(Browser.Size size) {
    Browser admin = browser(size);
    admin.signIn(boss().username(), PASSWORD);
    admin.click("open-admin");
    admin.find("section-users");
    assertEquals("Boss", admin.text("admin-me"));
    return admin;
  }

  private static void openSection(Browser browser, String section) {
    browser.waitFor("tab " + section, d -> {
      d.findElement(By.cssSelector("[data-testid=\"admin-tab\"][data-section=\"" + section + "\"]")).click();
      return true;
    });
    browser.find("section-" + section);
  }

  /** The row of a user in the users section, searched for by username. */
  private static WebElement userRow(Browser admin, String username) {
    admin.type("admin-user-search", username);
    By row = By.cssSelector("[data-testid=\"admin-user\"][data-username=\"" + username + "\"]");
    return admin.waitFor("row of " + username, d -> d.findElements(row).stream().findFirst().orElse(null));
  }

  /** Clicks a row's action, then its confirmation when it asks for one. */
  private static void act(Browser admin, String username, String action, boolean confirm) {
    By row = By.cssSelector("[data-testid=\"admin-user\"][data-username=\"" + username + "\"]");
    admin.waitFor(action + " on " + username, d -> {
      d.findElement(row).findElement(Browser.testId(action)).click();
      return true;
    });
    if (confirm) {
      admin.click(action + "-confirm");
    }
  }

  @Test
  void anAdminDisablesSomeoneSignedInAndEnablesThemAgain() {
    Browser admin = adminPage(Browser.Size.DESKTOP);
    Browser bob = browser(Browser.Size.PHONE);
    String bobName = name("bob");
    bob.signUp(bobName, "Bob", PASSWORD);
    assertFalse(bob.visible("open-admin"), "only admins see the admin page's entry");
    bob.driver.get(baseUrl() + "admin.html");
    bob.waitFor("refused", d -> bob.text("admin-gate").contains("administrators"));
    assertFalse(bob.visible("section-users"));
    assertEquals(403, api.get("/api/admin/users", api.login(bobName, PASSWORD).token()).status());
    bob.driver.get(baseUrl());
    bob.find("me-name");

    // Bob's open client counts as a device online.
    admin.waitFor("Bob online on one device", d -> "1".equals(userRow(admin, bobName)
        .findElement(Browser.testId("user-devices")).getText()));

    act(admin, bobName, "user-disable", true);
    admin.waitFor("Bob disabled", d -> "true".equals(userRow(admin, bobName).getAttribute("data-disabled")));
    assertTrue(userRow(admin, bobName).getText().contains("Disabled"));

    // His open client is signed out within seconds, and his sign-in is refused in words.
    bob.find("login-form");
    bob.type("login-username", bobName);
    bob.type("login-password", PASSWORD);
    bob.click("login-submit");
    bob.waitFor("the disabled message", d -> bob.text("login-error").contains("disabled"));
    assertEquals("This account is disabled; ask an administrator.", bob.text("login-error"));

    act(admin, bobName, "user-enable", true);
    admin.waitFor("Bob enabled", d -> "false".equals(userRow(admin, bobName).getAttribute("data-disabled")));
    bob.signIn(bobName, PASSWORD);
    assertEquals("Bob", bob.text("me-name"));

    // The audit log names both changes, newest first.
    openSection(admin, "audit");
    admin.type("audit-filter", "user.");
    admin.click("audit-apply");
    admin.waitFor("two entries", d -> admin.all("audit-entry").size() >= 2);
    List<String> actions = admin.js("return [...document.querySelectorAll('[data-testid=\"audit-entry\"]')]"
        + ".map(e => e.dataset.action)");
    assertEquals(List.of("user.enable", "user.disable"), actions.subList(0, 2));
  }

  @Test
  void onAPhoneAnAdminRevokesAShareAndSeesTheNodeAndBacksUp() {
    Account carol = api.signUp("carol");
    String plans = api.group(carol, "Plans");
    api.send(carol, plans, "the plan");
    api.send(carol, plans, "the backup plan");
    JsonObject share = api.post("/api/conversations/" + plans + "/shares", carol.token(),
        new JsonObject().put("fromSeq", 2).put("toSeq", 3)).json().getJsonObject("share");
    assertEquals(200, api.get("/api/shared/" + share.getString("token"), null).status());

    Browser admin = adminPage(Browser.Size.PHONE);
    openSection(admin, "shares");
    By row = By.cssSelector("[data-testid=\"admin-share\"][data-share-id=\"" + share.getString("id") + "\"]");
    WebElement listed = admin.waitFor("the share listed", d -> d.findElements(row).stream().findFirst().orElse(null));
    assertEquals("Plans", listed.findElement(Browser.testId("admin-share-title")).getText());
    listed.findElement(Browser.testId("admin-share-revoke")).click();
    admin.click("admin-share-revoke-confirm");
    admin.waitFor("the share gone from the list", d -> d.findElements(row).isEmpty());
    assertEquals(404, api.get("/api/shared/" + share.getString("token"), null).status(), "the link stops working");

    // Carol's group, which the admin is not in: found by name, exported, and the audit log says so.
    openSection(admin, "conversations");
    admin.type("admin-conversation-search", "Plans");
    By conversationRow = By.cssSelector("[data-testid=\"admin-conversation\"][data-conversation-id=\"" + plans + "\"]");
    WebElement found = admin.waitFor("Plans listed", d -> d.findElements(conversationRow).stream().findFirst().orElse(null));
    assertFalse(found.getText().contains("the plan"), "names and members, never a message");
    found.findElement(Browser.testId("admin-conversation-export")).click();
    admin.waitFor("the export started", d -> admin.text("toast").startsWith("Export started"));
    String bossToken = api.login(boss().username(), PASSWORD).token();
    admin.waitFor("the audit log records it", d -> api.get("/api/admin/audit?action=conversation.export", bossToken)
        .json().getJsonArray("entries").stream().anyMatch(e -> plans.equals(((JsonObject) e).getJsonObject("target").getString("id"))));

    openSection(admin, "server");
    By nodeRow = By.cssSelector("[data-testid=\"server-node\"][data-node-id=\"" + NODE_ID + "\"]");
    WebElement nodeShown = admin.waitFor("this node", d -> d.findElements(nodeRow).stream().findFirst().orElse(null));
    String roles = nodeShown.findElement(Browser.testId("server-node-roles")).getText();
    for (String role : List.of("api", "push", "bridge", "store", "media")) {
      assertTrue(roles.contains(role), "roles: " + roles);
    }
    String version = nodeShown.findElement(Browser.testId("server-node-version")).getText();
    assertFalse(version.isBlank() || "?".equals(version), "version: " + version);
    assertEquals(NODE_ID, admin.text("store-node"));
    assertEquals("sqlite", admin.text("store-database"));
    assertEquals(3, admin.all("server-series").size(), "three charts of the last hour");

    admin.click("backup-now");
    admin.waitFor("the backup made", d -> admin.text("backup-status").startsWith("Backup made"));
    admin.waitFor("the last backup shown", d -> "ok".equals(admin.find("store-last-backup").getAttribute("data-status")));
  }

  @Test
  void registrationByInvitationAndAPasswordResetLink() {
    Browser admin = adminPage(Browser.Size.DESKTOP);
    openSection(admin, "registration");
    admin.click("registration-invite");
    admin.click("registration-save");
    admin.waitFor("saved", d -> admin.text("registration-status").startsWith("Saved"));
    assertEquals(403, api.post("/api/auth/register", null,
        new JsonObject().put("username", name("nobody")).put("password", PASSWORD)).status(), "no code, no account");

    admin.type("invite-uses", "1");
    admin.click("invite-create");
    String link = admin.find("invite-link").getAttribute("value");
    assertTrue(link.startsWith(baseUrl() + "#invite="), link);
    admin.waitFor("the invitation listed", d -> admin.all("invitation").size() == 1);

    // The invited person opens the link: the sign-up form, the code already in it.
    Browser erin = browser(Browser.Size.PHONE, link);
    erin.find("signup-form");
    assertFalse(erin.visible("signup-invite"), "the code comes from the link");
    String erinName = name("erin");
    erin.type("signup-username", erinName);
    erin.type("signup-displayname", "Erin");
    erin.type("signup-password", PASSWORD);
    erin.click("signup-submit");
    erin.waitFor("signed in", d -> erin.text("me-name").equals("Erin"));

    // A reset link, opened in another browser, sets a new password and ends Erin's other sign-ins.
    openSection(admin, "users");
    act(admin, erinName, "user-reset", false);
    String reset = admin.find("user-reset-link").getAttribute("value");
    assertTrue(reset.startsWith(baseUrl() + "#reset="), reset);
    Browser laptop = browser(Browser.Size.DESKTOP, reset);
    laptop.type("reset-password", "a brand new password");
    laptop.click("reset-submit");
    laptop.waitFor("the new password set", d -> laptop.text("login-notice").contains("new password is set"));
    laptop.signIn(erinName, "a brand new password");
    assertEquals("Erin", laptop.text("me-name"));
    erin.find("login-form");
    assertEquals(401, api.post("/api/auth/login", null,
        new JsonObject().put("username", erinName).put("password", PASSWORD)).status(), "the old password is gone");
  }
}
