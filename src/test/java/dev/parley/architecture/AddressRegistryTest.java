package dev.parley.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.shared.Address;
import dev.parley.shared.BusBody;
import dev.parley.shared.Command;
import dev.parley.shared.Party;
import dev.parley.shared.Route;
import dev.parley.shared.Topic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The address registry ({@code shared.Address}) and the address table of docs/architecture.md
 * §4 say the same: every entry has a row with its senders and consumers, its body and its reply,
 * and the table has no row the registry does not know. A failure prints the rows expected, to be
 * copied into the table with a note on what the address does.
 */
class AddressRegistryTest {
  /** Rows of the table that are not registry entries: the store's deliveries, one address per push or bridge verticle. */
  private static final Set<String> OUTSIDE_THE_REGISTRY = Set.of(Address.deliveries("<reporter>"));

  @Test
  void theArchitectureDocumentDescribesEveryAddressAsTheRegistryDoes() throws Exception {
    Map<String, List<String>> rows = table();
    List<String> wrong = new ArrayList<>();
    for (Route route : Address.ALL) {
      List<String> row = rows.get(shown(route));
      List<String> expected = List.of(parties(route.senders()) + " → " + parties(route.consumers()) + reach(route),
          types(route));
      if (row == null || row.size() < 3 || !row.subList(1, 3).equals(expected)) {
        wrong.add("| `" + shown(route) + "` | " + String.join(" | ", expected) + " | …what it does… |"
            + (row == null ? "  (missing)" : "  (the table has: " + row + ")"));
      }
    }
    assertEquals(List.of(), wrong, "docs/architecture.md §4 against shared.Address: the rows expected");
    Set<String> known = new TreeSet<>(OUTSIDE_THE_REGISTRY);
    Address.ALL.forEach(route -> known.add(shown(route)));
    assertEquals(known, new TreeSet<>(rows.keySet()), "the table names exactly the registry's addresses");
  }

  @Test
  void everyAddressIsInTheRegistryOnceUnderItsOwnName() throws Exception {
    List<String> names = Address.ALL.stream().map(Route::name).toList();
    assertEquals(names.size(), Set.copyOf(names).size(), "an address is registered twice: " + names);
    for (Field field : Address.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())) {
        throw new AssertionError(field.getName() + " is not final");
      }
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        throw new AssertionError(field.getName() + " is an address without its types: make it a Command or a Topic");
      }
    }
  }

  /** Bots reach the bus only through the bridge's own words: nothing else lists them. */
  @Test
  void botsMayUseOnlyTheBridgesWords() {
    Set<String> forBots = Address.ALL.stream().filter(Route::botsMayUse).map(Route::name).collect(Collectors.toSet());
    assertEquals(Set.of(Address.BRIDGE_SEND.name(), Address.BRIDGE_ACK.name(), Address.USER_EVENTS.name()), forBots);
    Address.ALL.stream().filter(Route::botsMayUse).forEach(route -> assertEquals(Set.of(Party.BRIDGE),
        route instanceof Command ? route.consumers() : route.senders(), route.name() + " is the bridge's own, served by it"));
  }

  /** The address as the table shows it: a family of addresses as {@code prefix<id>}. */
  static String shown(Route route) {
    return route.name().endsWith(".") ? route.name() + "<id>" : route.name();
  }

  private static String parties(Set<Party> parties) {
    return EnumSet.copyOf(parties).stream().map(Party::label).collect(Collectors.joining(", "));
  }

  private static String reach(Route route) {
    if (route instanceof Topic<?> topic) {
      return switch (topic.reach()) {
        case EVERY_NODE -> " (published)";
        case THIS_NODE -> " (published on the node)";
        case ONE_CONSUMER -> " (sent, no reply)";
      };
    }
    return ((Command<?, ?>) route).local() ? " (on the node)" : "";
  }

  private static String types(Route route) {
    String body = type(route.bodyType());
    return route instanceof Command<?, ?> command ? body + " → " + type(command.replyType()) : body;
  }

  private static String type(Class<? extends BusBody> type) {
    return type == BusBody.Empty.class ? "`{}`"
        : "`" + type.getDeclaringClass().getSimpleName() + "." + type.getSimpleName() + "`";
  }

  /** The table's rows by their address, each the list of its cells. */
  private static Map<String, List<String>> table() throws Exception {
    String doc = Files.readString(Path.of("docs/architecture.md"));
    String section = doc.substring(doc.indexOf("## 4. Event-bus addresses"), doc.indexOf("## 5."));
    Map<String, List<String>> rows = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`|]+)` \\|(.*)\\|\\s*$").matcher(section);
    while (row.find()) {
      List<String> cells = new ArrayList<>();
      cells.add(row.group(1));
      for (String cell : row.group(2).split(" \\| ")) {
        cells.add(cell.strip());
      }
      rows.put(row.group(1), cells);
    }
    return rows;
  }
}
