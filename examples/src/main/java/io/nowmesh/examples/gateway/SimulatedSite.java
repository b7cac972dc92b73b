package io.nowmesh.examples.gateway;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.Transport;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import io.nowmesh.examples.sim.LeafNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code nowmesh gateway --simulated-radio} runs on instead of hardware: a simulated radio
 * (speaking the serial protocol, so the gateway drives it through a device actor exactly as it
 * would a USB radio) and three leaf nodes nearby that report a reading every few seconds, so
 * {@code nowmesh listen --all} has something to show.
 */
final class SimulatedSite implements AutoCloseable {
  private final SimulatedAir air = new SimulatedAir();
  private final SimulatedRadio radio;
  private final List<LeafNode> nodes = new ArrayList<>();
  private volatile boolean unplugged;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-nodes");
    t.setDaemon(true);
    return t;
  });

  /** {@code radioMac}: locally administered, derived from the gateway's port so gateways differ. */
  SimulatedSite(int port) {
    Mac radioMac = Mac.ofLong(0x02_5e_00_00_00_00L | (port & 0xFFFF) << 8);
    radio = air.addRadio(radioMac, 0, 0, 1);
    for (int i = 1; i <= 3; i++) {
      LeafNode n = new LeafNode(air, Mac.ofLong(radioMac.toLong() | i), 10.0 * i, 5, 1).via(radioMac);
      nodes.add(n);
    }
    ticker.scheduleAtFixedRate(this::report, 2, 5, TimeUnit.SECONDS);
  }

  private void report() {
    for (int i = 0; i < nodes.size(); i++) {
      String reading = String.format("t=%.1fC", 20 + i + Math.random());
      nodes.get(i).sendToMesh(reading.getBytes(StandardCharsets.US_ASCII), false);
    }
  }

  /** The site's port, named "simulated radio" (a DeviceManager discovery); gone while unplugged. */
  java.util.Map<String, Transport> scan() {
    return unplugged ? java.util.Map.of() : java.util.Map.of("simulated radio", radio.hostTransport());
  }

  /** As if the radio's USB cable were pulled (true) or plugged back (false). */
  void unplug(boolean out) {
    unplugged = out;
    radio.hostTransport().setUnplugged(out);
    if (out) {
      radio.hostTransport().fail("USB cable pulled");
    }
  }

  Transport transport() {
    return radio.hostTransport();
  }

  Mac radioMac() {
    return radio.staMac();
  }

  List<Mac> nodeMacs() {
    return nodes.stream().map(LeafNode::mac).toList();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    nodes.forEach(LeafNode::close);
    radio.close();
  }
}
