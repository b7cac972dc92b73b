package io.nowmesh.examples.espnow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The espnow-api.rst examples, on the device actor API against the simulated radio. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EspNowExamplesTest {

  @Test
  void receiverGetsStartingThenAHundredMessagesThenEndInOrder() throws Exception {
    SenderReceiver.Result r = SenderReceiver.run(line -> { });
    List<String> expected = new ArrayList<>();
    expected.add("Starting...");
    for (int i = 0; i < 100; i++) {
      expected.add(String.valueOf(i).repeat(20));
    }
    expected.add("end");
    assertEquals(expected, r.received());
    assertEquals(100, r.acked());
  }

  @Test
  void echoServerSendsEveryMessageBackToItsSender() throws Exception {
    assertEquals(List.of("hello", "echo me", "bye"), EchoServer.run(List.of("hello", "echo me", "bye")));
  }

  @Test
  void heartbeatReportsPingsUntilThePeerGoesAwayThenNotResponding() throws Exception {
    assertEquals(List.of(true, true, true, false, false), Heartbeat.run(5, 3));
  }
}
