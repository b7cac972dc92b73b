package io.nowmesh.mesh.device;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import io.nowmesh.actors.device.DeviceActor;
import io.nowmesh.actors.device.Outcome;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.Mesh;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Attaches this system's radios to the mesh: watches the Receptionist for device actors
 * (registered by the DeviceManager under {@link DeviceActor#SERVICE_KEY}), learns each radio's MAC
 * from its status, attaches a {@link DeviceRadioPort}, and detaches it when the device goes away.
 * Only local devices: a gateway airs through its own host's radios.
 */
public final class DeviceRadios {
  private DeviceRadios() {}

  /** Private protocol: receptionist listings and status answers. */
  public sealed interface Msg {}

  private record Listed(Receptionist.Listing listing) implements Msg {}

  private record StatusKnown(ActorRef<DeviceActor.Command> device, Outcome<DeviceActor.Status> status) implements Msg {}

  private record Retry(ActorRef<DeviceActor.Command> device) implements Msg {}

  public static Behavior<Msg> create(Mesh mesh, Duration sendTimeout) {
    return Behaviors.<Msg>setup(ctx -> Behaviors.<Msg>withTimers(timers -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(DeviceActor.SERVICE_KEY,
          ctx.messageAdapter(Receptionist.Listing.class, Listed::new)));
      Map<ActorRef<DeviceActor.Command>, Mac> attached = new HashMap<>();
      Set<ActorRef<DeviceActor.Command>> known = new HashSet<>();
      return Behaviors.receive(Msg.class)
          .onMessage(Listed.class, l -> {
            Set<ActorRef<DeviceActor.Command>> now = new HashSet<>();
            for (ActorRef<DeviceActor.Command> d : l.listing().getServiceInstances(DeviceActor.SERVICE_KEY)) {
              if (d.path().address().hasLocalScope()) {
                now.add(d);
              }
            }
            for (ActorRef<DeviceActor.Command> d : now) {
              if (known.add(d)) {
                ctx.getSelf().tell(new Retry(d));
              }
            }
            for (ActorRef<DeviceActor.Command> d : Set.copyOf(known)) {
              if (!now.contains(d)) {
                known.remove(d);
                Mac mac = attached.remove(d);
                if (mac != null) {
                  mesh.detach(mac);
                }
              }
            }
            return Behaviors.same();
          })
          .onMessage(Retry.class, r -> {
            if (known.contains(r.device())) {
              ctx.ask(STATUS, r.device(), sendTimeout, DeviceActor.GetStatus::new,
                  (o, ex) -> new StatusKnown(r.device(), ex != null ? new Outcome.TimedOut<>(String.valueOf(ex)) : o));
            }
            return Behaviors.same();
          })
          .onMessage(StatusKnown.class, s -> {
            if (!known.contains(s.device()) || attached.containsKey(s.device())) {
              return Behaviors.same();
            }
            if (s.status() instanceof Outcome.Ok<DeviceActor.Status> ok && ok.value().mac().isPresent()) {
              Mac mac = ok.value().mac().get();
              attached.put(s.device(), mac);
              mesh.attach(new DeviceRadioPort(ctx.getSystem(), s.device(), mac, sendTimeout));
            } else {
              // not connected yet (no boot announcement, so no MAC): ask again shortly
              timers.startSingleTimer(s.device(), new Retry(s.device()), Duration.ofSeconds(1));
            }
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** Generic replies need a class token; erasure makes this cast safe. */
  private static final Class<Outcome<DeviceActor.Status>> STATUS = statusClass();

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<Outcome<DeviceActor.Status>> statusClass() {
    Class raw = Outcome.class;
    return (Class<Outcome<DeviceActor.Status>>) raw;
  }
}
