package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Presence is counted per node: a user is online while any node reports a connection. */
class PresenceTest {
  @Test
  void aUserOnTwoNodesStaysOnlineUntilBothReportTheLastConnectionGone() {
    Presence presence = new Presence();
    assertTrue(presence.update("ann", "node-a", true));
    assertFalse(presence.update("ann", "node-b", true));
    assertFalse(presence.update("ann", "node-a", false));
    assertTrue(presence.isOnline("ann"));
    assertTrue(presence.update("ann", "node-b", false));
    assertFalse(presence.isOnline("ann"));
  }

  @Test
  void aNodeThatLeavesTakesOnlyItsOwnUsersOffline() {
    Presence presence = new Presence();
    presence.update("ann", "node-a", true);
    presence.update("ben", "node-a", true);
    presence.update("ben", "node-b", true);
    assertEquals(Set.of("ann"), presence.forgetNode("node-a"));
    assertTrue(presence.isOnline("ben"));
  }

  @Test
  void aNodesReportAfterAStoreRestartNamesOnlyRealChanges() {
    Presence presence = new Presence();
    presence.update("ann", "node-a", true);
    presence.update("ben", "node-a", true);
    // node-a now holds ben and cat; ann left while the report was on its way.
    Map<String, Boolean> changed = presence.sync("node-a", Set.of("ben", "cat"));
    assertEquals(Map.of("ann", false, "cat", true), changed);
    assertTrue(presence.isOnline("ben"));
    assertFalse(presence.isOnline("ann"));
  }
}
