package io.nowmesh.mesh.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Group;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.MeshSettings;
import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.Envelope;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import io.nowmesh.mesh.gateway.MeshFrame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One per ActorSystem: receives every frame any gateway heard (frames topic) and hands each message
 * to this system's application subscribers exactly once, however many gateways heard it. Envelopes
 * are deduplicated by (origin, message id) within {@code dedup-window}; raw frames by (source,
 * payload digest) within the shorter {@code raw-dedup-window}, since a raw payload can legitimately
 * repeat.
 */
public final class Inbox {
  private Inbox() {}

  public sealed interface Command {}

  /** Everything from nodes except group traffic: broadcasts, unicast to the mesh, raw frames. */
  public record Subscribe(ActorRef<MeshMessage> subscriber) implements Command {}

  /** Traffic addressed to this group only. */
  public record SubscribeGroup(Group group, ActorRef<MeshMessage> subscriber) implements Command {}

  public record Unsubscribe(ActorRef<MeshMessage> subscriber) implements Command {}

  private record FromTopic(MeshFrame frame) implements Command {}

  public static Behavior<Command> create(MeshSettings settings, ActorRef<Topic.Command<MeshFrame>> frames) {
    return Behaviors.setup(ctx -> {
      frames.tell(Topic.subscribe(ctx.messageAdapter(MeshFrame.class, FromTopic::new)));
      DedupWindow<MessageKey> envelopes = new DedupWindow<>(settings.dedupWindow().toMillis(), settings.dedupCapacity());
      DedupWindow<MessageKey> raws = new DedupWindow<>(settings.rawDedupWindow().toMillis(), settings.dedupCapacity());
      Set<ActorRef<MeshMessage>> all = new HashSet<>();
      Map<Mac, Set<ActorRef<MeshMessage>>> groups = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Subscribe.class, s -> {
            all.add(s.subscriber());
            ctx.watch(s.subscriber());
            return Behaviors.same();
          })
          .onMessage(SubscribeGroup.class, s -> {
            groups.computeIfAbsent(s.group().mac(), g -> new HashSet<>()).add(s.subscriber());
            ctx.watch(s.subscriber());
            return Behaviors.same();
          })
          .onSignal(Terminated.class, t -> {
            // a stopped subscriber is forgotten, so the sets do not grow with dead refs
            all.remove(t.getRef());
            groups.values().forEach(set -> set.remove(t.getRef()));
            return Behaviors.same();
          })
          .onMessage(Unsubscribe.class, u -> {
            all.remove(u.subscriber());
            groups.values().forEach(set -> set.remove(u.subscriber()));
            return Behaviors.same();
          })
          .onMessage(FromTopic.class, m -> {
            MeshFrame f = m.frame();
            if (f.fromApp()) {
              return Behaviors.same(); // applications' own broadcasts go to nodes, not back to applications
            }
            long now = System.currentTimeMillis();
            if (EnvelopeCodec.decode(f.bytes()) instanceof DecodeResult.Decoded d) {
              Envelope e = d.envelope();
              if (!envelopes.firstSighting(MessageKey.envelope(e.origin(), e.messageId()), now)) {
                return Behaviors.same();
              }
              MeshMessage msg = new MeshMessage.FromNode(e.origin(), e.messageId(), e.destination(), e.payload(),
                  f.rssi(), f.heardBy());
              Set<ActorRef<MeshMessage>> targets = e.isGroup() ? groups.getOrDefault(e.destination(), Set.of()) : all;
              targets.forEach(t -> t.tell(msg));
            } else if (raws.firstSighting(MessageKey.raw(f.source(), f.bytes()), now)) {
              MeshMessage msg = new MeshMessage.Raw(f.source(), f.bytes(), f.rssi(), f.heardBy());
              all.forEach(t -> t.tell(msg));
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
