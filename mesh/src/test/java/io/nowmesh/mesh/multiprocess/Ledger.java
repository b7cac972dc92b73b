package io.nowmesh.mesh.multiprocess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the load sent and what came back, across every gateway process and incarnation: each
 * unicast's outcomes (all of them, so a second outcome is visible) and each subscriber's receipts
 * per (origin, id) (so a duplicate is visible). Thread-safe: fed by the load thread and the
 * processes' line readers.
 */
final class Ledger {
  /** One unicast from gateway 1's application. */
  static final class Unicast {
    final long seq;
    final String node;
    final long sentNanos;
    final List<Result> results = new CopyOnWriteArrayList<>();

    Unicast(long seq, String node, long sentNanos) {
      this.seq = seq;
      this.node = node;
      this.sentNanos = sentNanos;
    }
  }

  /** One outcome line: kind (Delivered, NoRoute, ...), detail (via radio or error), and when the test read it. */
  record Result(String kind, String detail, long childMillis, long readNanos) {}

  private final Map<Long, Unicast> unicasts = new ConcurrentHashMap<>();
  private final Map<Long, List<Result>> orphans = new ConcurrentHashMap<>();
  /** subscriber (process incarnation) -> "origin#id" -> times received. */
  private final Map<String, Map<String, AtomicInteger>> receipts = new ConcurrentHashMap<>();

  void sent(long seq, String node) {
    unicasts.put(seq, new Unicast(seq, node, System.nanoTime()));
  }

  void outcome(long seq, String kind, String detail, long childMillis) {
    Result r = new Result(kind, detail, childMillis, System.nanoTime());
    Unicast u = unicasts.get(seq);
    if (u == null) {
      orphans.computeIfAbsent(seq, k -> new CopyOnWriteArrayList<>()).add(r);
    } else {
      u.results.add(r);
    }
  }

  void received(String subscriber, String key) {
    receipts.computeIfAbsent(subscriber, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How many distinct messages from {@code origin} this subscriber received. */
  int receivedFrom(String subscriber, String origin) {
    return (int) receipts.getOrDefault(subscriber, Map.of()).keySet().stream()
        .filter(k -> k.startsWith(origin + "#")).count();
  }

  boolean receivedBy(String subscriber, String key) {
    return receipts.getOrDefault(subscriber, Map.of()).containsKey(key);
  }

  /** "origin#id" keys any subscriber received more than once, per subscriber. */
  Map<String, List<String>> duplicates() {
    Map<String, List<String>> out = new TreeMap<>();
    receipts.forEach((sub, m) -> m.forEach((key, n) -> {
      if (n.get() > 1) {
        out.computeIfAbsent(sub, k -> new ArrayList<>()).add(key + " x" + n.get());
      }
    }));
    return out;
  }

  int totalReceipts(String subscriber) {
    return receipts.getOrDefault(subscriber, Map.of()).values().stream().mapToInt(AtomicInteger::get).sum();
  }

  List<Unicast> unicasts(Predicate<Unicast> filter) {
    return unicasts.values().stream().filter(filter).sorted((a, b) -> Long.compare(a.seq, b.seq)).toList();
  }

  boolean allAnswered() {
    return unicasts.values().stream().allMatch(u -> !u.results.isEmpty());
  }

  Map<Long, List<Result>> orphans() {
    return Map.copyOf(orphans);
  }

  /** Unicasts without exactly one outcome, or whose outcome came later than {@code deadline}: empty if all is well. */
  List<String> outcomeViolations(Duration deadline) {
    List<String> bad = new ArrayList<>();
    for (Unicast u : unicasts(u -> true)) {
      if (u.results.size() != 1) {
        bad.add("unicast " + u.seq + " to " + u.node + " got " + u.results.size() + " outcomes " + u.results);
      } else if (u.results.get(0).readNanos() - u.sentNanos > deadline.toNanos()) {
        bad.add("unicast " + u.seq + " to " + u.node + " answered after "
            + TimeUnit.NANOSECONDS.toMillis(u.results.get(0).readNanos() - u.sentNanos) + " ms: " + u.results);
      }
    }
    orphans.forEach((seq, r) -> bad.add("outcome for a unicast never sent: " + seq + " " + r));
    return bad;
  }

  /** Per node: count of outcome kinds, and the slowest outcome in ms (the test's report). */
  String summary() {
    Map<String, Map<String, Long>> byNode = new TreeMap<>();
    Map<String, Long> slowest = new TreeMap<>();
    for (Unicast u : unicasts(u -> !u.results.isEmpty())) {
      Result r = u.results.get(0);
      byNode.computeIfAbsent(u.node, k -> new TreeMap<>()).merge(r.kind(), 1L, Long::sum);
      slowest.merge(u.node, TimeUnit.NANOSECONDS.toMillis(r.readNanos() - u.sentNanos), Math::max);
    }
    String receiptText = receipts.keySet().stream().sorted()
        .map(s -> s + "=" + totalReceipts(s)).collect(Collectors.joining(" "));
    return "unicasts " + unicasts.size() + " " + byNode + " slowest ms " + slowest + "; subscriber receipts "
        + receiptText;
  }
}
