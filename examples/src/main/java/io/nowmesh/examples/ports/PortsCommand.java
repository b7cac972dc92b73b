package io.nowmesh.examples.ports;

import com.fazecast.jSerialComm.SerialPort;
import io.nowmesh.actors.link.BootInfo;
import io.nowmesh.actors.link.SerialTransport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nowmesh ports}: serial ports on this host and which of them are NowMesh radios. */
@Command(name = "ports", mixinStandardHelpOptions = true,
    header = "List serial ports and which of them are NowMesh radios.",
    description = {"Lists this host's serial ports and asks each likely one (USB VID:PID of an ESP32",
        "bridge: Espressif 303A, CP210x 10C4:EA60, CH340 1A86, FTDI 0403) whether it is a NowMesh radio:",
        "a HELLO with a short timeout, answered with the firmware version and the radio's MACs.",
        "Other devices are listed but never opened, unless named as PATH."},
    footer = {"", "Examples:", "  nowmesh ports", "  nowmesh ports --baud 115200 /dev/serial/by-id/usb-Silicon_Labs_CP2102N-if00-port0"})
public final class PortsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--baud", defaultValue = "921600", description = "Baud rate to probe at. Default: ${DEFAULT-VALUE}.")
  int baud;

  @Option(names = "--timeout", defaultValue = "1500", description = "HELLO timeout per port in ms. Default: ${DEFAULT-VALUE}.")
  int timeoutMs;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Also probe these ports, whatever their VID:PID.")
  List<String> named = new ArrayList<>();

  @Override
  public Integer call() {
    if (baud < 300 || baud > 5_000_000) {
      throw new io.nowmesh.examples.cli.NowMeshCli.UsageError("--baud must be 300..5000000, got " + baud);
    }
    if (timeoutMs < 50 || timeoutMs > 60_000) {
      throw new io.nowmesh.examples.cli.NowMeshCli.UsageError("--timeout must be 50..60000 ms, got " + timeoutMs);
    }
    PrintWriter out = spec.commandLine().getOut();
    Set<String> toProbe = new LinkedHashSet<>(named);
    SerialPort[] ports = SerialPort.getCommPorts();
    if (ports.length == 0 && named.isEmpty()) {
      out.println("No serial ports found. Plug a radio in (an ESP32 flashed with node-firmware) and try again.");
      return 0;
    }
    int radios = 0;
    Set<String> listed = new LinkedHashSet<>();
    for (SerialPort p : ports) {
      String path = p.getSystemPortPath();
      listed.add(path);
      boolean candidate = SerialTransport.isRadioAdapter(p.getVendorID(), p.getProductID()) || toProbe.contains(path);
      String id = p.getVendorID() < 0 ? "no USB id" : String.format("%04X:%04X", p.getVendorID(), p.getProductID());
      out.printf("%-40s %-10s %s%n", path, id, p.getPortDescription());
      if (candidate) {
        radios += report(out, path);
      } else {
        out.println("    not probed: not a known ESP32 USB bridge (name it as PATH to probe it anyway)");
      }
    }
    for (String path : toProbe) {
      if (!listed.contains(path)) {
        out.printf("%-40s %-10s %s%n", path, "", "(named)");
        radios += report(out, path);
      }
    }
    out.printf("%d NowMesh radio%s found.%n", radios, radios == 1 ? "" : "s");
    out.flush();
    return 0;
  }

  private int report(PrintWriter out, String path) {
    RadioProbe.Result r = RadioProbe.probe(new SerialTransport(path, baud), Duration.ofMillis(timeoutMs));
    out.println("    " + describe(r));
    out.flush();
    return r.isRadio() ? 1 : 0;
  }

  /** One line about a probe's result, e.g. for a radio its firmware and MACs. */
  public static String describe(RadioProbe.Result r) {
    if (r.boot().isEmpty()) {
      return "not a radio: " + r.problem();
    }
    BootInfo b = r.boot().get();
    String api = switch (b.apiGen()) {
      case BootInfo.API_GEN_SIMULATED -> "simulated";
      case BootInfo.API_GEN_OLD -> "esp.espnow (older API)";
      default -> "espnow (current MicroPython)";
    };
    return String.format("NowMesh radio: firmware %s, STA %s, AP %s, channel %d, %s, queue %d", b.fwVersion(),
        b.staMac(), b.apMac(), b.channel(), api, b.queueDepth());
  }
}
