package io.nowmesh.examples.demo;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shows the running demo. With ANSI it redraws one screen in place (cursor up, clear); without, it
 * prints one line per period that reads well in a CI log.
 */
final class TerminalView {
  private static final String CLEAR_TO_END = "\u001b[J";
  private static final String HIDE_CURSOR = "\u001b[?25l";
  private static final String SHOW_CURSOR = "\u001b[?25h";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final PrintWriter out;
  private final boolean ansi;
  private int linesDrawn;

  TerminalView(PrintWriter out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  void begin() {
    if (ansi) {
      out.print(HIDE_CURSOR);
      out.flush();
    }
  }

  void frame(double elapsed, double total, List<DemoScenario.GatewayView> gateways, List<FlowStats> flows) {
    if (ansi) {
      drawScreen(elapsed, total, gateways, flows);
    } else {
      out.println(plainLine(elapsed, gateways, flows));
    }
    out.flush();
  }

  void end() {
    if (ansi) {
      out.print(SHOW_CURSOR);
      out.flush();
    }
  }

  private void drawScreen(double elapsed, double total, List<DemoScenario.GatewayView> gateways,
      List<FlowStats> flows) {
    StringBuilder sb = new StringBuilder();
    if (linesDrawn > 0) {
      sb.append("\u001b[").append(linesDrawn).append('F');
    }
    sb.append(CLEAR_TO_END);
    List<String> lines = new java.util.ArrayList<>();
    lines.add(BOLD + "NowMesh demo" + RESET + String.format(
        " - %d gateways, one simulated air        %5.1f s / %.0f s   (Ctrl-C stops)", gateways.size(), elapsed, total));
    lines.add("");
    lines.add(BOLD + String.format("  %-4s %-17s  %-16s %-8s %7s %7s", "gw", "radio", "cluster", "member", "heard",
        "aired") + RESET);
    for (DemoScenario.GatewayView g : gateways) {
      lines.add(String.format("  %-4s %-17s  %-16s %-8s %7d %7d", g.name(), g.radio(), g.address(), g.status(),
          g.heard(), g.aired()));
    }
    lines.add("");
    lines.add(BOLD + "  Nodes each gateway hears (dBm, from the replicated routing table)" + RESET);
    for (DemoScenario.GatewayView g : gateways) {
      lines.add(String.format("  %-4s %s", g.name(), g.hears().stream()
          .map(h -> h.label() + " " + h.rssi()).collect(Collectors.joining("  "))));
    }
    lines.add("");
    java.io.StringWriter table = new java.io.StringWriter();
    printFlowTable(new PrintWriter(table), flows);
    for (String l : table.toString().split("\n")) {
      lines.add(l);
    }
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    linesDrawn = lines.size();
    out.print(sb);
  }

  private static String plainLine(double elapsed, List<DemoScenario.GatewayView> gateways, List<FlowStats> flows) {
    StringBuilder sb = new StringBuilder(String.format("[%5.1fs] routes:", elapsed));
    for (DemoScenario.GatewayView g : gateways) {
      sb.append(' ').append(g.name()).append('=').append(g.hears().size());
    }
    Map<Flow.Kind, long[]> byKind = new EnumMap<>(Flow.Kind.class);
    Map<Flow.Kind, Double> p95 = new EnumMap<>(Flow.Kind.class);
    for (FlowStats f : flows) {
      long[] a = byKind.computeIfAbsent(f.flow().kind(), k -> new long[3]);
      a[0] += f.delivered();
      a[1] += f.expected();
      a[2] += f.duplicates();
      if (!Double.isNaN(f.latency().p95())) {
        p95.merge(f.flow().kind(), f.latency().p95(), Math::max);
      }
    }
    for (Map.Entry<Flow.Kind, long[]> e : byKind.entrySet()) {
      long[] a = e.getValue();
      sb.append(String.format(" | %s %d/%d dup %d", e.getKey().label(), a[0], a[1], a[2]));
      Double p = p95.get(e.getKey());
      if (p != null) {
        sb.append(String.format(" p95 %.1f ms", p));
      }
    }
    return sb.toString();
  }

  /** The per-flow table, shared by the live screen and the summary. */
  static void printFlowTable(PrintWriter out, List<FlowStats> flows) {
    out.printf("  %-9s %-20s %6s %9s %9s %4s %5s %5s %8s %8s %8s%n", "kind", "flow", "sent", "expected",
        "delivered", "dup", "miss", "fail", "p50 ms", "p95 ms", "max ms");
    for (FlowStats f : flows) {
      FlowStats.Latency l = f.latency();
      out.printf("  %-9s %-20s %6d %9d %9d %4d %5d %5d %8s %8s %8s%n", f.flow().kind().label(), f.flow().route(),
          f.sent(), f.expected(), f.delivered(), f.duplicates(), f.missing(), f.failed(), ms(l.p50()), ms(l.p95()),
          ms(l.max()));
    }
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f", v);
  }
}
