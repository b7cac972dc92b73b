package io.nowmesh.actors.link;

import java.io.IOException;

/**
 * A byte pipe to a radio that can be opened, closed, fail, and be opened again (a USB serial port
 * that is unplugged and plugged back, or an in-memory pipe in tests). Implementations are used by
 * one reader thread and one writer thread at a time; {@link #close()} may be called from any thread
 * and wakes a blocked reader.
 */
public interface Transport extends AutoCloseable {
  /** Opens (or reopens after a close or failure) the pipe. */
  void open() throws IOException;

  /**
   * Reads up to {@code len} bytes, blocking at most a short implementation-defined time (about
   * 100 ms). Returns the number read, 0 on timeout; throws when the pipe is closed or has failed.
   */
  int read(byte[] buf, int off, int len) throws IOException;

  /** Writes all {@code len} bytes or throws. */
  void write(byte[] b, int off, int len) throws IOException;

  default void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  boolean isOpen();

  /** A human-readable name for logs ("serial /dev/ttyUSB0 @ 921600", "memory sim-1"). */
  String describe();

  /** Closes the pipe; idempotent, never throws. */
  @Override
  void close();
}
