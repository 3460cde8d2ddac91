package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;

/**
 * The right to be the store. SQLite is one file on one disk, so a cluster has exactly one store:
 * the node that starts it takes a cluster-wide lock for its whole life and writes its node id
 * beside it. A second store finds the lock taken and refuses to start, naming the holder. Hazelcast
 * gives the lock back when its holder leaves the cluster, so a replacement store can start then.
 * On a single node the lock is local and always free.
 */
final class StoreLease {
  private static final String LOCK = "parley.store.sqlite";
  private static final String MAP = "parley.cluster";
  private static final String HOLDER = "store";
  private static final long WAIT_MS = 2_000;

  private final Lock lock;

  private StoreLease(Lock lock) {
    this.lock = lock;
  }

  static Future<StoreLease> acquire(Vertx vertx, String nodeId) {
    Future<AsyncMap<String, String>> map = vertx.sharedData().getAsyncMap(MAP);
    return vertx.sharedData().getLockWithTimeout(LOCK, WAIT_MS)
        .recover(taken -> map
            .compose(m -> m.get(HOLDER))
            .otherwiseEmpty()
            .compose(holder -> Future.failedFuture(new IllegalStateException(
                "another node (" + (holder == null ? "unknown" : holder) + ") already runs the SQLite store of this "
                    + "cluster; exactly one node may have the 'store' role. Remove 'store' from PARLEY_ROLES here."))))
        .compose(lock -> map.compose(m -> m.put(HOLDER, nodeId)).map(v -> new StoreLease(lock)));
  }

  Future<Void> release() {
    lock.release();
    return Future.succeededFuture();
  }
}
