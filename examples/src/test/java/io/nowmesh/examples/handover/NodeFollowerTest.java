package io.nowmesh.examples.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.mesh.Outcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NodeFollowerTest {

  @Test
  @Timeout(value = 200, unit = TimeUnit.SECONDS)
  void followsTheTrackerFromGatewayOneToGatewayTwoAndMessagesFollowIt() throws Exception {
    NodeFollower.Result r = NodeFollower.run(h -> { });
    assertEquals(2, r.handOvers().size(), r.handOvers().toString());
    assertEquals(NodeFollower.GW1, r.handOvers().get(0).radio());
    NodeFollower.HandOver second = r.handOvers().get(1);
    assertEquals(NodeFollower.GW2, second.radio());
    // where exactly depends on when each gateway last rewrote its sighting: after gateway two starts
    // hearing the node (x > 40) and at the latest at the first step gateway one no longer hears (115 m)
    assertTrue(second.x() > 40 && second.x() <= 115, "hand-over between the gateways: " + second);
    assertEquals(new Outcome.Delivered(NodeFollower.GW1, true), r.atStart());
    assertEquals(new Outcome.Delivered(NodeFollower.GW2, true), r.atEnd());
    assertEquals(2, r.messagesHeard());
  }
}
