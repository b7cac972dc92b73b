package io.nowmesh.actors.device;

import java.io.IOException;
import java.time.Duration;

/**
 * What the device actor needs from a byte link to one radio: blocking reads with a timeout and
 * whole-buffer writes. Kept this narrow so a serial port, an in-memory pipe to a simulated radio or
 * a test double all fit; {@link LinkAdapters} wraps the link package's transports.
 */
public interface RadioLink extends AutoCloseable {

  /** Writes all of {@code bytes}; throws when the link is gone. */
  void write(byte[] bytes) throws IOException;

  /**
   * Waits up to {@code timeout} for bytes and copies what is there into {@code buf}.
   *
   * @return the number of bytes read, 0 if none arrived in time
   * @throws IOException when the link is gone (port unplugged, closed)
   */
  int read(byte[] buf, Duration timeout) throws IOException;

  /** Idempotent. A read blocked in another thread must return or throw promptly. */
  @Override
  void close();
}
