package dev.parley.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Events;
import dev.parley.shared.NodeCommands;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's view of the cluster, deployed first on every clustered node.
 *
 * <p>Publishes {@code cluster.member.left} (local only) when Hazelcast drops a member, so the
 * store on this node, if any, can forget that node's connections. Answers
 * {@code cluster.status} (local only) for {@code /health}: this member and every member with its
 * node id and roles.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);

  private final HazelcastInstance hazelcast;
  private UUID listener;

  public ClusterVerticle(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public Future<?> start() {
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        log.info("cluster member joined: {}", describe(event.getMember()));
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        log.warn("cluster member left: {}", describe(event.getMember()));
        Bus.publish(vertx, Address.CLUSTER_MEMBER_LEFT, new Events.MemberLeft(event.getMember().getUuid().toString()));
      }
    });
    return Bus.serve(vertx, Address.CLUSTER_STATUS, ask -> Future.succeededFuture(status()));
  }

  @Override
  public Future<?> stop() {
    if (listener != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(listener);
    }
    return Future.succeededFuture();
  }

  private NodeCommands.ClusterStatus status() {
    JsonArray members = new JsonArray();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String roles = member.getAttribute(HazelcastSetup.ROLES_ATTRIBUTE);
      members.add(new JsonObject()
          .put("memberId", member.getUuid().toString())
          .put("node", member.getAttribute(HazelcastSetup.NODE_ATTRIBUTE))
          .put("address", member.getAddress().getHost() + ":" + member.getAddress().getPort())
          .put("roles", roles == null ? new JsonArray() : new JsonArray(List.of(roles.split(","))))
          .put("self", member.localMember()));
    }
    return new NodeCommands.ClusterStatus(hazelcast.getCluster().getLocalMember().getUuid().toString(), members);
  }

  private static String describe(Member member) {
    return member.getAttribute(HazelcastSetup.NODE_ATTRIBUTE) + " (" + member.getAddress() + ")";
  }
}
