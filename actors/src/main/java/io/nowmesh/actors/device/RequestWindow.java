package io.nowmesh.actors.device;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * The sender's bookkeeping, free of actors and clocks so it can be tested exhaustively: a FIFO of
 * waiting requests and a window of at most {@code capacity} (the radio's advertised queue_depth)
 * requests on the wire, keyed by the sequence number each was sent with.
 *
 * <p>Every request offered leaves exactly once, through {@link #complete}, {@link #expire},
 * {@link #drainInFlight} or {@link #drainAll}; {@link #retry} puts an in-flight request back at the
 * head of the queue (keeping order: a retried ADD_PEER must still precede the SEND behind it).
 * Times are caller-supplied nanoseconds (System.nanoTime in the actor, a counter in tests).
 *
 * <p>It sits on the per-message path, so the calls the sender makes for every request allocate as
 * little as they can: the window is a small list in dispatch order (at most queue_depth entries,
 * searched linearly, no boxed keys), and nothing is allocated for an empty result.
 */
public final class RequestWindow<R> {

  /** A request on the wire: {@code seq} is what its reply will carry. */
  public record InFlight<R>(int seq, R request, boolean priority, int attempt, long deadline) {}

  private record Waiting<R>(R request, boolean priority, int attempt, long notBefore) {}

  private final LinkedList<Waiting<R>> queue = new LinkedList<>();
  /** In dispatch order; at most {@code capacity} (queue_depth, a handful) entries. */
  private final ArrayList<InFlight<R>> inFlight = new ArrayList<>();
  private final int maxQueued;
  private int capacity;
  private int nextSeq = 1;
  private boolean held;

  /**
   * @param capacity  most requests awaiting a reply at once (the radio's queue_depth)
   * @param maxQueued most requests waiting for a window slot; more are refused by {@link #offer}
   */
  public RequestWindow(int capacity, int maxQueued) {
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be >= 1");
    }
    this.maxQueued = maxQueued;
    setCapacity(capacity);
  }

  public void setCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Queues a request. Priority requests (the replay after a reboot) go ahead of everything waiting
   * and ignore the bound; others are refused (false) when {@code maxQueued} are already waiting.
   */
  public boolean offer(R request, boolean priority) {
    if (priority) {
      // After any earlier priority requests, before ordinary ones.
      queue.add(leadingPriorityCount(), new Waiting<>(request, true, 1, Long.MIN_VALUE));
      return true;
    }
    if (queue.size() >= maxQueued) {
      return false;
    }
    queue.addLast(new Waiting<>(request, false, 1, Long.MIN_VALUE));
    return true;
  }

  /** While held only priority requests are dispatched (the replay must go before queued sends). */
  public void hold() {
    held = true;
  }

  public void release() {
    held = false;
  }

  public boolean isHeld() {
    return held;
  }

  /**
   * Moves waiting requests onto the wire while the window has room, in order; stops at a head that
   * is still backing off, or an ordinary request while held. Returns what the caller must write now.
   */
  public List<InFlight<R>> dispatch(long now, ToLongFunction<R> timeoutNanos) {
    List<InFlight<R>> out = List.of();
    while (inFlight.size() < capacity && !queue.isEmpty()) {
      Waiting<R> head = queue.peekFirst();
      if (head.notBefore() > now || (held && !head.priority())) {
        break;
      }
      queue.pollFirst();
      int seq = allocateSeq();
      InFlight<R> f = new InFlight<>(seq, head.request(), head.priority(), head.attempt(),
          now + timeoutNanos.applyAsLong(head.request()));
      inFlight.add(f);
      if (out.isEmpty()) {
        out = new ArrayList<>(2);
      }
      out.add(f);
    }
    return out;
  }

  /** The reply for {@code seq} arrived: the request leaves the window (empty if unknown or late). */
  public Optional<InFlight<R>> complete(int seq) {
    return Optional.ofNullable(completeOrNull(seq));
  }

  /** {@link #complete} without the Optional, for the sender's per-reply path: null if unknown or late. */
  public InFlight<R> completeOrNull(int seq) {
    int i = indexOf(seq);
    return i < 0 ? null : inFlight.remove(i);
  }

  /** Puts a completed-but-transiently-refused request back at the head, eligible at {@code notBefore}. */
  public void retry(InFlight<R> f, long notBefore) {
    Waiting<R> w = new Waiting<>(f.request(), f.priority(), f.attempt() + 1, notBefore);
    if (f.priority()) {
      queue.addFirst(w);
    } else {
      queue.add(leadingPriorityCount(), w);
    }
  }

  /** Removes and returns the in-flight requests whose deadline has passed. */
  public List<InFlight<R>> expire(long now) {
    List<InFlight<R>> out = List.of();
    for (int i = 0; i < inFlight.size(); ) {
      InFlight<R> f = inFlight.get(i);
      if (f.deadline() <= now) {
        inFlight.remove(i);
        if (out.isEmpty()) {
          out = new ArrayList<>(2);
        }
        out.add(f);
      } else {
        i++;
      }
    }
    return out;
  }

  /** When the caller must look again: the earliest deadline or end of a backoff. */
  public OptionalLong nextWakeUp() {
    long best = nextWakeUpNanos();
    return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
  }

  /** {@link #nextWakeUp} as a plain long: {@code Long.MAX_VALUE} when nothing needs a wake-up. */
  public long nextWakeUpNanos() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < inFlight.size(); i++) {
      best = Math.min(best, inFlight.get(i).deadline());
    }
    Waiting<R> head = queue.peekFirst();
    if (head != null && head.notBefore() != Long.MIN_VALUE && inFlight.size() < capacity) {
      best = Math.min(best, head.notBefore());
    }
    return best;
  }

  /** Removes every request on the wire (their replies will never come, e.g. the radio rebooted). */
  public List<R> drainInFlight() {
    List<R> out = new ArrayList<>(inFlight.size());
    for (InFlight<R> f : inFlight) {
      out.add(f.request());
    }
    inFlight.clear();
    return out;
  }

  /** Removes every request, on the wire first, then waiting ones in order. */
  public List<R> drainAll() {
    List<R> out = drainInFlight();
    for (Waiting<R> w : queue) {
      out.add(w.request());
    }
    queue.clear();
    return out;
  }

  public int inFlightCount() {
    return inFlight.size();
  }

  public int waitingCount() {
    return queue.size();
  }

  public boolean isIdle() {
    return inFlight.isEmpty() && queue.isEmpty();
  }

  private int leadingPriorityCount() {
    int k = 0;
    while (k < queue.size() && queue.get(k).priority()) {
      k++;
    }
    return k;
  }

  /** 1..65535 then 1 again (0 is never used), skipping numbers still awaiting a reply. */
  private int allocateSeq() {
    while (true) {
      int s = nextSeq;
      nextSeq = nextSeq == 0xFFFF ? 1 : nextSeq + 1;
      if (indexOf(s) < 0) {
        return s;
      }
    }
  }

  private int indexOf(int seq) {
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).seq() == seq) {
        return i;
      }
    }
    return -1;
  }
}
