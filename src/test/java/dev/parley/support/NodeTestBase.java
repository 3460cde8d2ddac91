package dev.parley.support;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One real node per test class (each class starts it in its own {@code @BeforeAll}, with the
 * configuration it needs) and fresh clients per test on the Vert.x that VertxExtension injects.
 */
@ExtendWith(VertxExtension.class)
public abstract class NodeTestBase {
  protected static TestNode node;
  protected Api api;

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
      node = null;
    }
  }

  @BeforeEach
  void connect(Vertx vertx) {
    api = new Api(vertx, node.port());
  }

  @AfterEach
  void disconnect() {
    api.close();
  }
}
