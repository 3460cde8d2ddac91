package dev.parley.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.parley.config.ParleyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Hazelcast configuration of a node: {@code conf/cluster.xml} (or the copy inside the jar),
 * with the node's {@code cluster.*} settings applied on top, so that an operator sets the usual
 * things with environment variables and never edits XML to start a cluster.
 */
public final class HazelcastSetup {
  /** Member attribute: the node's configured id, shown by {@code /health}. */
  static final String NODE_ATTRIBUTE = "parley.node";
  /** Member attribute: the node's roles, comma-separated. */
  static final String ROLES_ATTRIBUTE = "parley.roles";

  private HazelcastSetup() {
  }

  public static Config config(ParleyConfig node) {
    ParleyConfig.Cluster cluster = node.cluster();
    Config hazelcast = load(cluster.configFile());
    NetworkConfig network = hazelcast.getNetworkConfig();
    // Cluster traffic stays on the interface the operator names, on the port they name.
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(cluster.multicast());
    List<String> members = cluster.members().isEmpty()
        ? List.of(cluster.host() + ":" + cluster.port())
        : cluster.members();
    join.getTcpIpConfig().setEnabled(!cluster.multicast()).setMembers(members);
    hazelcast.getMemberAttributeConfig()
        .setAttribute(NODE_ATTRIBUTE, node.nodeId())
        .setAttribute(ROLES_ATTRIBUTE, String.join(",", node.roles()));
    return hazelcast;
  }

  private static Config load(String file) {
    Path path = Path.of(file);
    if (Files.isRegularFile(path)) {
      try {
        return new XmlConfigBuilder(path.toString()).build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the cluster configuration " + path, e);
      }
    }
    // Started outside the repository (e.g. java -jar from /opt): the copy shipped in the jar.
    return new ClasspathXmlConfig("parley/cluster.xml");
  }
}
