package io.nowmesh.examples.chat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.examples.cluster.LocalMesh;
import io.nowmesh.examples.sim.AirRadioPort;
import io.nowmesh.examples.sim.LeafNode;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.routing.NodeActor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A chat between nodes that no single radio hears together: alice sits by gateway 1, bob and carol
 * by gateway 2, 150 m away. The room is a multicast group: a line sent to the group is re-aired by
 * every gateway, so members anywhere in the mesh get it once. A private line ("@bob hi") goes to a
 * small application on the mesh, which forwards it to that one node with an end-to-end ack.
 *
 * <p>Run: {@code ./nowmesh example chat}.
 */
public final class MeshChat implements AutoCloseable {
  public static final Group ROOM = new Group(10); // "chat" in nowmesh.cli.groups

  private final SimulatedAir air = new SimulatedAir();
  private final LocalMesh mesh = LocalMesh.start(2);
  private final Map<String, LeafNode> people = new ConcurrentHashMap<>();
  /** Every line each person's device showed: "name: from> text". */
  private final List<String> screen = new CopyOnWriteArrayList<>();

  public MeshChat() throws Exception {
    AirRadioPort gw1 = new AirRadioPort(air, Mac.parse("30:ae:a4:00:c0:01"), 0, 0, 1);
    AirRadioPort gw2 = new AirRadioPort(air, Mac.parse("30:ae:a4:00:c0:02"), 150, 0, 1);
    mesh.mesh(0).attach(gw1);
    mesh.mesh(1).attach(gw2);
    join("alice", Mac.parse("24:0a:c4:00:c0:0a"), 10, 5, gw1.mac());
    join("bob", Mac.parse("24:0a:c4:00:c0:0b"), 140, 5, gw2.mac());
    join("carol", Mac.parse("24:0a:c4:00:c0:0c"), 160, -5, gw2.mac());
    ActorRef<MeshMessage> relay = mesh.system(0).systemActorOf(Behaviors.<MeshMessage>receiveMessage(m -> {
      if (m instanceof MeshMessage.FromNode n && !n.destination().isMulticast()) {
        relayPrivate(n);
      }
      return Behaviors.same();
    }), "chat-relay", Props.empty());
    mesh.mesh(0).subscribe(relay);
    mesh.awaitReady(Duration.ofSeconds(60));
    people.values().forEach(p -> p.broadcast("here".getBytes(StandardCharsets.UTF_8))); // gateways learn routes
    for (LeafNode p : people.values()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (mesh.mesh(0).routes(p.mac()).toCompletableFuture().get(3, TimeUnit.SECONDS).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new java.util.concurrent.TimeoutException("no route to " + p.mac());
        }
        TimeUnit.MILLISECONDS.sleep(100); // routes replicate by gossip
      }
    }
  }

  private void join(String name, Mac mac, double x, double y, Mac gateway) {
    LeafNode node = new LeafNode(air, mac, x, y, 1).via(gateway);
    node.join(ROOM);
    node.onMessage(d -> {
      String text = new String(d.payload(), StandardCharsets.UTF_8);
      if (!text.equals("here")) {
        screen.add(name + ": " + text);
      }
    });
    people.put(name, node);
  }

  /** A line to the whole room. */
  public void say(String from, String text) {
    people.get(from).sendToGroup(ROOM, (from + "> " + text).getBytes(StandardCharsets.UTF_8));
  }

  /** A private line: to the relay application, which forwards it. */
  public void whisper(String from, String to, String text) {
    people.get(from).sendToMesh(("@" + to + " " + from + "> " + text).getBytes(StandardCharsets.UTF_8), false);
  }

  private void relayPrivate(MeshMessage.FromNode n) {
    String text = new String(n.payload(), StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (!text.startsWith("@") || space < 0) {
      return;
    }
    LeafNode to = people.get(text.substring(1, space));
    if (to != null) {
      mesh.mesh(0).send(to.mac(), ("(private) " + text.substring(space + 1)).getBytes(StandardCharsets.UTF_8),
          NodeActor.Delivery.END_TO_END).thenAccept(o -> {
            if (!(o instanceof Outcome.Delivered)) {
              screen.add("relay: could not reach " + to.mac() + ": " + o);
            }
          });
    }
  }

  /** Gateway 1's ActorSystem (where the relay runs). */
  public akka.actor.typed.ActorSystem<Void> system() {
    return mesh.system(0);
  }

  public List<String> screen() {
    return List.copyOf(screen);
  }

  @Override
  public void close() {
    people.values().forEach(LeafNode::close);
    mesh.close();
  }

  public static void main(String[] args) throws Exception {
    try (MeshChat chat = new MeshChat()) {
      chat.say("alice", "hi all, I'm by gateway 1");
      chat.say("bob", "hello alice, bob here by gateway 2");
      chat.whisper("carol", "alice", "lunch?");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (chat.screen().size() < 5 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50); // lines cross the mesh asynchronously
      }
      chat.screen().forEach(System.out::println);
    }
  }
}
