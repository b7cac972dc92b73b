package io.nowmesh.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.actors.link.Bytes;
import io.nowmesh.actors.link.Command;
import io.nowmesh.actors.link.Event;
import io.nowmesh.actors.link.PeerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many radios on one air, all sending at once through their hosts: every frame is answered and
 * delivered, and radios do not block each other. A smoke test for the benchmarks, not a benchmark.
 */
class ThroughputProbeTest {
  @Test
  void manyRadiosSendConcurrentlyAndEveryFrameArrives() throws Exception {
    int radios = 20;
    int frames = 300;
    SimulatedAir air = new SimulatedAir();
    List<SimulatedRadio> rs = new ArrayList<>();
    List<RadioClient> hosts = new ArrayList<>();
    AtomicLong received = new AtomicLong();
    try {
      for (int i = 0; i < radios; i++) {
        SimulatedRadio r = SimulatedRadio.start(air, Mac.ofLong(0x0200_0000_0100L + i), i, 0, 1,
            SimulatedRadio.Settings.DEFAULT);
        rs.add(r);
        RadioClient h = new RadioClient(r.hostTransport());
        hosts.add(h);
        assertEquals(EspNowError.OK, h.call(new Command.Init()).status());
        assertEquals(EspNowError.OK, h.call(Command.ConfigSet.of(io.nowmesh.actors.link.ConfigParam.RXBUF, 1 << 20))
            .status());
        assertEquals(EspNowError.OK, h.call(new Command.Deinit()).status());
        assertEquals(EspNowError.OK, h.call(new Command.Init()).status());
      }
      for (int i = 0; i < radios; i++) {
        Mac next = rs.get((i + 1) % radios).staMac();
        assertEquals(EspNowError.OK, hosts.get(i).call(new Command.AddPeer(PeerRecord.of(next))).status());
      }
      long t0 = System.nanoTime();
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int i = 0; i < radios; i++) {
        RadioClient h = hosts.get(i);
        Mac next = rs.get((i + 1) % radios).staMac();
        senders.add(CompletableFuture.runAsync(() -> {
          try {
            for (int k = 0; k < frames; k++) {
              var reply = h.call(Command.Send.to(next, Bytes.of(new byte[200]), true));
              assertEquals(EspNowError.OK, reply.status());
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }));
      }
      for (CompletableFuture<Void> f : senders) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (RadioClient h : hosts) {
        for (int k = 0; k < frames; k++) {
          h.awaitEvent(Event.Recv.class);
          received.incrementAndGet();
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      assertEquals((long) radios * frames, received.get());
      System.out.printf("%d frames through %d radios in %.2f s: %.0f frames/s%n", received.get(), radios, secs,
          received.get() / secs);
      assertTrue(secs < 60);
    } finally {
      hosts.forEach(RadioClient::close);
      rs.forEach(SimulatedRadio::close);
    }
  }
}
