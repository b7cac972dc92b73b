package io.nowmesh.actors.link;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A USB serial port through jSerialComm. Opening it never resets the board: DTR and RTS are cleared
 * and flow control is disabled <em>before</em> the port is opened (jSerialComm asserts both by
 * default, and the auto-reset circuit of most ESP32 dev boards turns that into a reset; see
 * jSerialComm issue #523). Reads are semi-blocking with a 100 ms timeout, so a reader thread can
 * notice a close.
 */
public final class SerialTransport implements Transport {
  public static final int DEFAULT_BAUD = 921_600;
  public static final int READ_TIMEOUT_MS = 100;

  /** USB vendor/product pairs of the adapters ESP32 boards use. */
  static final int VID_ESPRESSIF = 0x303A;
  static final int VID_SILABS = 0x10C4;
  static final int PID_CP210X = 0xEA60;
  static final int VID_WCH = 0x1A86;
  static final int VID_FTDI = 0x0403;

  /**
   * A serial port that may be a radio. A VID/PID match is only a candidate: CP210x 10C4:EA60 is
   * shared by many unrelated devices, so only a HELLO exchange proves a port is a NowMesh radio.
   */
  public record PortCandidate(String path, String description, int vid, int pid, String serial) {
    @Override
    public String toString() {
      return String.format("%s (%s, %04X:%04X, serial %s)", path, description, vid, pid, serial);
    }
  }

  private final String path;
  private final int baud;
  private volatile SerialPort port;

  public SerialTransport(String path) {
    this(path, DEFAULT_BAUD);
  }

  public SerialTransport(String path, int baud) {
    this.path = Objects.requireNonNull(path, "path");
    if (baud <= 0) {
      throw new IllegalArgumentException("baud must be positive, got " + baud);
    }
    this.baud = baud;
  }

  /** Every port on this machine whose USB VID/PID is one ESP32 boards use. */
  public static List<PortCandidate> candidates() {
    List<PortCandidate> out = new ArrayList<>();
    for (SerialPort p : SerialPort.getCommPorts()) {
      int vid = p.getVendorID();
      int pid = p.getProductID();
      if (isRadioAdapter(vid, pid)) {
        out.add(new PortCandidate(p.getSystemPortPath(), p.getPortDescription(), vid, pid, p.getSerialNumber()));
      }
    }
    return out;
  }

  /** Espressif native USB (303A:*), CP210x (10C4:EA60), CH340/CH9102 (1A86:*), FTDI (0403:*). */
  public static boolean isRadioAdapter(int vid, int pid) {
    return vid == VID_ESPRESSIF || (vid == VID_SILABS && pid == PID_CP210X) || vid == VID_WCH || vid == VID_FTDI;
  }

  @Override
  public synchronized void open() throws IOException {
    closeQuietly();
    SerialPort p;
    try {
      p = SerialPort.getCommPort(path);
    } catch (RuntimeException e) {
      throw new IOException("serial port " + path + " does not exist: " + e.getMessage(), e);
    }
    p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    // before openPort(): jSerialComm would otherwise raise DTR/RTS on open and reset the ESP32
    p.clearDTR();
    p.clearRTS();
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MS, 0);
    if (!p.openPort(0)) {
      throw new IOException("cannot open " + path + " (error " + p.getLastErrorCode() + " at "
          + p.getLastErrorLocation() + "); is it in use or missing permissions?");
    }
    p.clearDTR();
    p.clearRTS();
    port = p;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    SerialPort p = port;
    if (p == null || !p.isOpen()) {
      throw new IOException(describe() + ": closed");
    }
    int n = p.readBytes(buf, len, off);
    if (n < 0) {
      throw new IOException(describe() + ": read failed (device gone?)");
    }
    return n;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    SerialPort p = port;
    if (p == null || !p.isOpen()) {
      throw new IOException(describe() + ": closed");
    }
    int done = 0;
    while (done < len) {
      int n = p.writeBytes(b, len - done, off + done);
      if (n <= 0) {
        throw new IOException(describe() + ": write failed (device gone?)");
      }
      done += n;
    }
  }

  @Override
  public boolean isOpen() {
    SerialPort p = port;
    return p != null && p.isOpen();
  }

  @Override
  public String describe() {
    return "serial " + path + " @ " + baud;
  }

  public String path() {
    return path;
  }

  public int baud() {
    return baud;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    SerialPort p = port;
    port = null;
    if (p != null) {
      p.closePort();
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
