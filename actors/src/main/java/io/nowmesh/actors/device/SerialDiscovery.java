package io.nowmesh.actors.device;

import io.nowmesh.actors.link.SerialTransport;
import io.nowmesh.actors.link.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The serial ports that may be radios: the configured paths ({@code nowmesh.device.manager.ports},
 * where stable {@code /dev/serial/by-id/...} names are recommended) that exist, plus, when
 * {@code scan = on}, enumerated ports whose USB VID:PID is in {@code usb-ids}. Nothing is opened
 * here; other serial devices are never touched. A port reachable under two names (a by-id link and
 * its /dev/ttyUSBn target) is listed once, under the configured name.
 */
final class SerialDiscovery implements DeviceManager.Discovery {
  private final DeviceSettings settings;

  SerialDiscovery(DeviceSettings settings) {
    this.settings = settings;
  }

  @Override
  public Map<String, Transport> scan() {
    Map<String, Transport> out = new LinkedHashMap<>();
    Set<String> realPaths = new HashSet<>();
    for (String p : settings.managerPorts()) {
      Path path = Path.of(p);
      if (Files.exists(path)) {
        out.put(p, new SerialTransport(p, settings.managerBaudRate()));
        realPaths.add(real(path));
      }
    }
    if (settings.managerScan()) {
      for (SerialTransport.PortCandidate c : SerialTransport.candidates()) {
        if (matches(settings.managerUsbIds(), c.vid(), c.pid()) && realPaths.add(real(Path.of(c.path())))) {
          out.putIfAbsent(c.path(), new SerialTransport(c.path(), settings.managerBaudRate()));
        }
      }
    }
    return out;
  }

  /** "303A:*" or "10C4:EA60" entries, hex, case-insensitive. */
  static boolean matches(List<String> usbIds, int vid, int pid) {
    for (String id : usbIds) {
      String[] parts = id.trim().toUpperCase(Locale.ROOT).split(":");
      if (parts.length != 2) {
        continue;
      }
      boolean vidOk = Integer.parseInt(parts[0], 16) == vid;
      boolean pidOk = parts[1].equals("*") || Integer.parseInt(parts[1], 16) == pid;
      if (vidOk && pidOk) {
        return true;
      }
    }
    return false;
  }

  private static String real(Path p) {
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      return p.toAbsolutePath().toString();
    }
  }
}
