package io.nowmesh.actors.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {

  private static byte[] readExactly(Transport t, int n) throws IOException {
    byte[] out = new byte[n];
    int got = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (got < n && System.nanoTime() < deadline) {
      got += t.read(out, got, n - got);
    }
    assertEquals(n, got);
    return out;
  }

  @Test
  void bytesFlowBothWays() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t");
    p.host().write(new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, readExactly(p.radio(), 3));
    p.radio().write(new byte[] {4});
    assertArrayEquals(new byte[] {4}, readExactly(p.host(), 1));
  }

  @Test
  void readTimesOutWithZero() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t");
    assertEquals(0, p.host().read(new byte[4], 0, 4));
  }

  @Test
  void aFullBufferBlocksTheWriterUntilRead() throws Exception {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t", 16);
    byte[] data = new byte[100];
    Arrays.fill(data, (byte) 9);
    CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
      try {
        p.host().write(data);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertArrayEquals(data, readExactly(p.radio(), 100));
    w.get(5, TimeUnit.SECONDS);
  }

  @Test
  void failureWakesTheReaderAndReopenRecovers() throws Exception {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t");
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      try {
        while (true) {
          p.host().read(new byte[4], 0, 4);
        }
      } catch (IOException e) {
        return -1;
      }
    });
    p.host().fail("cable pulled");
    assertEquals(-1, reader.get(5, TimeUnit.SECONDS));
    assertFalse(p.host().isOpen());
    assertThrows(IOException.class, () -> p.host().write(new byte[1]));
    p.host().open();
    assertTrue(p.host().isOpen());
    p.radio().write(new byte[] {7});
    assertArrayEquals(new byte[] {7}, readExactly(p.host(), 1));
  }

  @Test
  void unpluggedPortsCannotBeOpenedUntilPluggedBack() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t");
    p.host().setUnplugged(true);
    assertThrows(IOException.class, () -> p.host().read(new byte[1], 0, 1));
    assertThrows(IOException.class, p.host()::open);
    p.host().setUnplugged(false);
    p.host().open();
    assertTrue(p.host().isOpen());
  }

  @Test
  void closedEndsThrowAndWritesToAClosedPeerAreLost() throws IOException {
    InMemoryTransport.Pair p = InMemoryTransport.pair("t");
    p.radio().close();
    p.host().write(new byte[] {1, 2}); // nobody listening: lost, not an error
    p.radio().open();
    assertEquals(0, p.radio().available());
    p.host().close();
    assertThrows(IOException.class, () -> p.host().read(new byte[1], 0, 1));
    assertTrue(p.host().describe().contains("t/host"));
  }

  @Test
  void serialCandidatesAreFilteredByVidPid() {
    assertTrue(SerialTransport.isRadioAdapter(0x303A, 0x1001));
    assertTrue(SerialTransport.isRadioAdapter(0x10C4, 0xEA60));
    assertFalse(SerialTransport.isRadioAdapter(0x10C4, 0xEA70));
    assertTrue(SerialTransport.isRadioAdapter(0x1A86, 0x7523));
    assertTrue(SerialTransport.isRadioAdapter(0x0403, 0x6001));
    assertFalse(SerialTransport.isRadioAdapter(0x046D, 0xC52B));
    SerialTransport.candidates(); // must not throw on a machine without ports
  }

  @Test
  void openingAMissingSerialPortIsAnIOException() {
    SerialTransport t = new SerialTransport("/dev/nowmesh-does-not-exist");
    assertEquals(921_600, t.baud());
    assertThrows(IOException.class, t::open);
    assertFalse(t.isOpen());
    assertThrows(IOException.class, () -> t.read(new byte[1], 0, 1));
    t.close();
  }
}
