package io.nowmesh.examples.demo;

import io.nowmesh.actors.espnow.Mac;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where the demo puts its radios on the simulated air. Three gateway radios sit 150 m apart, so
 * they do not hear each other (sensitivity −95 dBm is reached at about 109 m). Most nodes sit
 * within 35 m of one gateway and only that gateway hears them; every fourth node sits half-way
 * between two gateways and both hear it; the last node is out beyond the third gateway. Every
 * fourth node (from the second) joins the demo's multicast group.
 */
public final class DemoLayout {
  public static final int GATEWAYS = 3;
  public static final double SPACING = 150;
  public static final int CHANNEL = 1;

  /** A gateway radio: its name in the view, its MAC and position. */
  public record GatewaySpec(String name, Mac radio, double x, double y) {}

  /** A node: label, MAC, position, group membership and the gateway it sends through. */
  public record NodeSpec(String label, Mac mac, double x, double y, boolean groupMember, int uplink) {}

  private final List<GatewaySpec> gateways = new ArrayList<>();
  private final List<NodeSpec> nodes = new ArrayList<>();

  public DemoLayout(int nodeCount, long seed) {
    Random rnd = new Random(seed);
    for (int g = 0; g < GATEWAYS; g++) {
      gateways.add(new GatewaySpec("gw" + (g + 1), Mac.ofLong(0x30_ae_a4_00_00_01L + g), g * SPACING, 0));
    }
    for (int i = 0; i < nodeCount; i++) {
      double x;
      double y;
      if (i == nodeCount - 1) {
        x = (GATEWAYS - 1) * SPACING + 60;
        y = -20 + 40 * rnd.nextDouble();
      } else if (i % 4 == 3) {
        int left = (i / 4) % (GATEWAYS - 1);
        x = left * SPACING + SPACING / 2 - 5 + 10 * rnd.nextDouble();
        y = -15 + 30 * rnd.nextDouble();
      } else {
        double angle = 2 * Math.PI * rnd.nextDouble();
        double dist = 8 + 27 * rnd.nextDouble();
        x = (i % GATEWAYS) * SPACING + dist * Math.cos(angle);
        y = dist * Math.sin(angle);
      }
      Mac mac = Mac.ofLong(0x24_0a_c4_00_01_00L + i + 1);
      nodes.add(new NodeSpec(String.format("n%02d", i + 1), mac, x, y, i % 4 == 1, nearest(x, y)));
    }
  }

  private int nearest(double x, double y) {
    int best = 0;
    for (int g = 1; g < gateways.size(); g++) {
      GatewaySpec s = gateways.get(g);
      GatewaySpec b = gateways.get(best);
      if (Math.hypot(s.x() - x, s.y() - y) < Math.hypot(b.x() - x, b.y() - y)) {
        best = g;
      }
    }
    return best;
  }

  public List<GatewaySpec> gateways() {
    return gateways;
  }

  public List<NodeSpec> nodes() {
    return nodes;
  }

  public List<NodeSpec> groupMembers() {
    return nodes.stream().filter(NodeSpec::groupMember).toList();
  }
}
