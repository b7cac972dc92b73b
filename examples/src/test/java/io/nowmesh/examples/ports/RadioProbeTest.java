package io.nowmesh.examples.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.InMemoryTransport;
import io.nowmesh.actors.sim.SimulatedAir;
import io.nowmesh.actors.sim.SimulatedRadio;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RadioProbeTest {

  @Test
  void aRadioAnswersHelloWithItsFirmwareAndMacs() {
    SimulatedAir air = new SimulatedAir();
    try (SimulatedRadio radio = air.addRadio(Mac.parse("24:0a:c4:00:90:01"), 0, 0, 6)) {
      RadioProbe.Result r = RadioProbe.probe(radio.hostTransport(), Duration.ofSeconds(10));
      assertTrue(r.isRadio(), r.problem());
      assertEquals(Mac.parse("24:0a:c4:00:90:01"), r.boot().get().staMac());
      String line = PortsCommand.describe(r);
      assertTrue(line.startsWith("NowMesh radio: firmware nowmesh-sim 0.1.0, STA 24:0a:c4:00:90:01, AP "), line);
      assertTrue(line.contains("channel 6, simulated"), line);
    }
  }

  @Test
  void aSilentDeviceIsNotARadio() {
    InMemoryTransport.Pair pipe = InMemoryTransport.pair("silent");
    RadioProbe.Result r = RadioProbe.probe(pipe.host(), Duration.ofMillis(300));
    assertFalse(r.isRadio());
    assertTrue(r.problem().startsWith("no answer to HELLO within 300 ms"), r.problem());
    assertTrue(PortsCommand.describe(r).startsWith("not a radio: no answer"), PortsCommand.describe(r));
  }
}
