package io.nowmesh.actors.device;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Everything under {@code nowmesh.device} in reference.conf, read once. Behaviors take this record
 * and never read the config themselves.
 */
public record DeviceSettings(
    String blockingDispatcher,
    Duration commandTimeout,
    Duration syncSendTimeout,
    int maxQueuedCommands,
    int retryMaxAttempts,
    Duration retryMinBackoff,
    Duration retryMaxBackoff,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff,
    int reconnectQueueBound,
    Duration reconnectQueueTimeout,
    Duration childMinBackoff,
    Duration childMaxBackoff,
    double childRandomFactor,
    Duration helloTimeout,
    boolean virtualPeers,
    int receiveBuffer,
    int rssiTableSize,
    int expectedChannel,
    List<String> managerPorts,
    boolean managerScan,
    List<String> managerUsbIds,
    Duration managerRescanInterval,
    int managerBaudRate) {

  public static final String PATH = "nowmesh.device";
  public static final String DISPATCHER_PATH = PATH + ".blocking-io-dispatcher";

  public DeviceSettings {
    managerPorts = List.copyOf(managerPorts);
    managerUsbIds = List.copyOf(managerUsbIds);
    if (maxQueuedCommands < 1 || retryMaxAttempts < 1 || reconnectQueueBound < 0 || receiveBuffer < 1
        || rssiTableSize < 1 || expectedChannel < 0 || expectedChannel > 14) {
      throw new IllegalArgumentException("invalid " + PATH + " settings");
    }
  }

  /** Reads {@code nowmesh.device} from a full config (e.g. {@code system.settings().config()}). */
  public static DeviceSettings from(Config root) {
    Config c = root.getConfig(PATH);
    Config m = c.getConfig("manager");
    return new DeviceSettings(
        DISPATCHER_PATH,
        c.getDuration("command-timeout"),
        c.getDuration("sync-send-timeout"),
        c.getInt("max-queued-commands"),
        c.getInt("retry.max-attempts"),
        c.getDuration("retry.min-backoff"),
        c.getDuration("retry.max-backoff"),
        c.getDuration("reconnect.min-backoff"),
        c.getDuration("reconnect.max-backoff"),
        c.getInt("reconnect.queue-bound"),
        c.getDuration("reconnect.queue-timeout"),
        c.getDuration("child-restart.min-backoff"),
        c.getDuration("child-restart.max-backoff"),
        c.getDouble("child-restart.random-factor"),
        c.getDuration("hello-timeout"),
        c.getBoolean("virtual-peers"),
        c.getInt("receive-buffer"),
        c.getInt("rssi-table-size"),
        c.getInt("expected-channel"),
        m.getStringList("ports"),
        m.getBoolean("scan"),
        m.getStringList("usb-ids"),
        m.getDuration("rescan-interval"),
        m.getInt("baud-rate"));
  }

  /** Exponential backoff: min * 2^(attempt-1), capped at max. {@code attempt} starts at 1. */
  static Duration backoff(Duration min, Duration max, int attempt) {
    long ms = min.toMillis();
    for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }

  public Duration retryBackoff(int attempt) {
    return backoff(retryMinBackoff, retryMaxBackoff, attempt);
  }

  public Duration reconnectBackoff(int attempt) {
    return backoff(reconnectMinBackoff, reconnectMaxBackoff, attempt);
  }

  public DeviceSettings withVirtualPeers(boolean on) {
    return new DeviceSettings(blockingDispatcher, commandTimeout, syncSendTimeout,
        maxQueuedCommands, retryMaxAttempts, retryMinBackoff, retryMaxBackoff, reconnectMinBackoff,
        reconnectMaxBackoff, reconnectQueueBound, reconnectQueueTimeout, childMinBackoff,
        childMaxBackoff, childRandomFactor, helloTimeout, on, receiveBuffer, rssiTableSize,
        expectedChannel, managerPorts, managerScan, managerUsbIds, managerRescanInterval,
        managerBaudRate);
  }
}
