package io.nowmesh.examples.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * How a demo run ended: what ran, for how long, and every flow's final numbers.
 *
 * @param interrupted the user stopped it (Ctrl-C) before the duration was up
 */
public record DemoSummary(Duration ran, boolean interrupted, int gateways, int nodes, long heardByOne,
    long heardByTwo, int groupMembers, List<FlowStats> flows) {

  public FlowStats flow(Flow f) {
    return flows.stream().filter(s -> s.flow() == f).findFirst().orElseThrow();
  }

  public long delivered(Flow.Kind kind) {
    return flows.stream().filter(s -> s.flow().kind() == kind).mapToLong(FlowStats::delivered).sum();
  }

  public long duplicates() {
    return flows.stream().mapToLong(FlowStats::duplicates).sum();
  }

  public long leaks() {
    return flows.stream().mapToLong(FlowStats::leaks).sum();
  }

  public void print(PrintWriter out) {
    print(out, true);
  }

  /** {@code table}: false when the live screen above already shows the final table. */
  public void print(PrintWriter out, boolean table) {
    out.printf("%nNowMesh demo summary: %.1f s of traffic%s, %d gateways, %d nodes (%d heard by one gateway, "
            + "%d by two), %d in group %d%n", ran.toMillis() / 1000.0, interrupted ? " (stopped early)" : "",
        gateways, nodes, heardByOne, heardByTwo, groupMembers, DemoScenario.GROUP.number());
    if (table) {
      TerminalView.printFlowTable(out, flows);
    }
    long dup = duplicates();
    long missing = flows.stream().mapToLong(FlowStats::missing).sum();
    long failed = flows.stream().mapToLong(FlowStats::failed).sum();
    out.printf("Exactly once: %d duplicate deliveries, %d deliveries to non-members, %d missing, %d unicasts not "
        + "delivered.%n", dup, leaks(), missing, failed);
    boolean all = flows.stream().allMatch(FlowStats::exactlyOnce);
    out.println(all ? "Result: every message reached every receiver it was meant for, exactly once."
        : "Result: see the rows above for what did not arrive exactly once.");
  }
}
