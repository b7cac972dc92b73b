package io.nowmesh.examples.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nowmesh.actors.espnow.Mac;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TelemetryCollectorTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void collectorCountsEveryReadingOnceAcrossThreeGateways() throws Exception {
    Map<Mac, TelemetryCollector.Summary> report = TelemetryCollector.run(9, 4);
    assertEquals(9, report.size(), report.toString());
    int i = 0;
    for (TelemetryCollector.Summary s : report.values()) {
      assertEquals(4, s.readings(), s.toString());
      assertEquals(0, s.duplicates(), s.toString());
      double base = 20.0 + i; // node i sends 20 + i, +0.1 per reading
      assertEquals(base, s.min(), 1e-9, s.toString());
      assertEquals(base + 0.3, s.max(), 1e-9, s.toString());
      assertEquals(base + 0.15, s.mean(), 1e-9, s.toString());
      i++;
    }
  }
}
