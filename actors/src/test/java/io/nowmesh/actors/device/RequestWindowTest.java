package io.nowmesh.actors.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RequestWindowTest {

  static final long TIMEOUT = 1000;

  static List<String> requests(List<RequestWindow.InFlight<String>> fs) {
    return fs.stream().map(RequestWindow.InFlight::request).toList();
  }

  @Test
  void keepsAtMostQueueDepthInFlight() {
    RequestWindow<String> w = new RequestWindow<>(2, 10);
    for (String s : List.of("a", "b", "c", "d")) {
      assertTrue(w.offer(s, false));
    }
    List<RequestWindow.InFlight<String>> first = w.dispatch(0, r -> TIMEOUT);
    assertEquals(List.of("a", "b"), requests(first));
    assertEquals(List.of(), w.dispatch(0, r -> TIMEOUT));
    w.complete(first.get(0).seq());
    assertEquals(List.of("c"), requests(w.dispatch(0, r -> TIMEOUT)));
  }

  @Test
  void refusesBeyondTheQueueBound() {
    RequestWindow<String> w = new RequestWindow<>(1, 2);
    assertTrue(w.offer("a", false));
    assertTrue(w.offer("b", false));
    assertFalse(w.offer("c", false));
    // Priority requests (the replay) are never refused.
    assertTrue(w.offer("p", true));
  }

  @Test
  void sequenceNumbersSkipZeroAndWrap() {
    RequestWindow<Integer> w = new RequestWindow<>(1, 70000);
    Set<Integer> seen = new HashSet<>();
    int last = 0;
    for (int i = 0; i < 65536; i++) {
      w.offer(i, false);
      RequestWindow.InFlight<Integer> f = w.dispatch(0, r -> TIMEOUT).get(0);
      assertTrue(f.seq() >= 1 && f.seq() <= 0xFFFF, "seq " + f.seq());
      seen.add(f.seq());
      last = f.seq();
      w.complete(f.seq());
    }
    assertEquals(65535, seen.size());
    assertEquals(1, last); // 65536th command wrapped to 1, never 0
  }

  @Test
  void sequenceNumbersInFlightAreNotReused() {
    RequestWindow<Integer> w = new RequestWindow<>(2, 70000);
    w.offer(-1, false);
    int stuck = w.dispatch(0, r -> Long.MAX_VALUE / 2).get(0).seq();
    for (int i = 0; i < 70000; i++) {
      w.offer(i, false);
      RequestWindow.InFlight<Integer> f = w.dispatch(0, r -> TIMEOUT).get(0);
      assertTrue(f.seq() != stuck);
      w.complete(f.seq());
    }
  }

  @Test
  void timesOutOverdueRequestsOnly() {
    RequestWindow<String> w = new RequestWindow<>(4, 10);
    w.offer("a", false);
    w.dispatch(0, r -> 100);
    w.offer("b", false);
    w.dispatch(50, r -> 100);
    assertEquals(OptionalLong.of(100), w.nextWakeUp());
    assertEquals(List.of("a"), requests(w.expire(120)));
    assertEquals(List.of("b"), requests(w.expire(150)));
    assertTrue(w.isIdle());
  }

  @Test
  void lateReplyAfterTimeoutIsIgnored() {
    RequestWindow<String> w = new RequestWindow<>(1, 10);
    w.offer("a", false);
    int seq = w.dispatch(0, r -> 10).get(0).seq();
    assertEquals(1, w.expire(10).size());
    assertTrue(w.complete(seq).isEmpty());
  }

  @Test
  void retryGoesBackToTheHeadAfterBackoff() {
    RequestWindow<String> w = new RequestWindow<>(1, 10);
    w.offer("add", false);
    w.offer("send", false);
    RequestWindow.InFlight<String> f = w.dispatch(0, r -> TIMEOUT).get(0);
    w.complete(f.seq());
    w.retry(f, 40);
    assertEquals(OptionalLong.of(40), w.nextWakeUp());
    assertEquals(List.of(), w.dispatch(39, r -> TIMEOUT)); // still backing off; "send" must not overtake
    RequestWindow.InFlight<String> again = w.dispatch(40, r -> TIMEOUT).get(0);
    assertEquals("add", again.request());
    assertEquals(2, again.attempt());
  }

  @Test
  void holdLetsOnlyPriorityRequestsThrough() {
    RequestWindow<String> w = new RequestWindow<>(4, 10);
    w.offer("send1", false);
    w.hold();
    w.offer("pmk", true);
    w.offer("peer", true);
    assertEquals(List.of("pmk", "peer"), requests(w.dispatch(0, r -> TIMEOUT)));
    assertEquals(List.of(), w.dispatch(0, r -> TIMEOUT));
    w.release();
    assertEquals(List.of("send1"), requests(w.dispatch(0, r -> TIMEOUT)));
  }

  @Test
  void retriedOrdinaryRequestDoesNotBlockPriorityOnesWhileHeld() {
    RequestWindow<String> w = new RequestWindow<>(1, 10);
    w.offer("send", false);
    RequestWindow.InFlight<String> f = w.dispatch(0, r -> TIMEOUT).get(0);
    w.hold();
    w.offer("pmk", true);
    w.complete(f.seq());
    w.retry(f, 0);
    assertEquals(List.of("pmk"), requests(w.dispatch(0, r -> TIMEOUT)));
  }

  @Test
  void drainInFlightKeepsWaitingRequests() {
    RequestWindow<String> w = new RequestWindow<>(1, 10);
    w.offer("a", false);
    w.offer("b", false);
    w.dispatch(0, r -> TIMEOUT);
    assertEquals(List.of("a"), w.drainInFlight());
    assertEquals(1, w.waitingCount());
    assertEquals(List.of("b"), w.drainAll());
    assertTrue(w.isIdle());
  }

  /** Whatever happens, every request offered comes out exactly once. */
  @Property(tries = 200)
  void everyRequestHasExactlyOneOutcome(@ForAll @IntRange(min = 1, max = 8) int depth,
                                        @ForAll long seed) {
    Random rnd = new Random(seed);
    RequestWindow<Integer> w = new RequestWindow<>(depth, 1000);
    List<Integer> outcomes = new ArrayList<>();
    List<RequestWindow.InFlight<Integer>> wire = new ArrayList<>();
    long now = 0;
    int offered = 0;
    for (int step = 0; step < 300; step++) {
      now += rnd.nextInt(20);
      switch (rnd.nextInt(6)) {
        case 0, 1 -> {
          if (w.offer(offered, rnd.nextInt(10) == 0)) {
            offered++;
          }
        }
        case 2 -> {
          if (!wire.isEmpty()) {
            RequestWindow.InFlight<Integer> f = wire.remove(rnd.nextInt(wire.size()));
            w.complete(f.seq()).ifPresent(done -> {
              if (rnd.nextBoolean() && done.attempt() < 3) {
                w.retry(done, 0);
              } else {
                outcomes.add(done.request());
              }
            });
          }
        }
        case 3 -> w.expire(now).forEach(f -> outcomes.add(f.request()));
        case 4 -> {
          if (rnd.nextInt(20) == 0) {
            outcomes.addAll(w.drainInFlight());
          }
        }
        default -> { }
      }
      List<RequestWindow.InFlight<Integer>> sent = w.dispatch(now, r -> 50);
      wire.addAll(sent);
      assertTrue(w.inFlightCount() <= depth);
    }
    outcomes.addAll(w.drainAll());
    assertEquals(offered, outcomes.size());
    assertEquals(offered, new HashSet<>(outcomes).size());
  }
}
