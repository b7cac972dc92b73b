package io.nowmesh.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nowmesh example NAME}: runs one of the bundled examples. */
@Command(name = "example", mixinStandardHelpOptions = true,
    header = "Run one of the bundled examples.",
    description = {"Runs one of the examples in examples/src/main/java (each is also a plain main class).",
        "Names: sender-receiver, echo, heartbeat (the espnow-api.rst examples on the device actor API);",
        "chat, telemetry, handover (applications on a mesh of gateways in this process)."},
    footer = {"", "Example:", "  nowmesh example handover",
        "  java -cp examples/target/nowmesh.jar io.nowmesh.examples.telemetry.TelemetryCollector"})
public final class ExampleCommand implements Callable<Integer> {
  static final Map<String, String> EXAMPLES = new LinkedHashMap<>();

  static {
    EXAMPLES.put("sender-receiver", "io.nowmesh.examples.espnow.SenderReceiver");
    EXAMPLES.put("echo", "io.nowmesh.examples.espnow.EchoServer");
    EXAMPLES.put("heartbeat", "io.nowmesh.examples.espnow.Heartbeat");
    EXAMPLES.put("chat", "io.nowmesh.examples.chat.MeshChat");
    EXAMPLES.put("telemetry", "io.nowmesh.examples.telemetry.TelemetryCollector");
    EXAMPLES.put("handover", "io.nowmesh.examples.handover.NodeFollower");
  }

  @Parameters(paramLabel = "NAME", description = "One of: ${COMPLETION-CANDIDATES}", completionCandidates = Names.class)
  String name;

  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return EXAMPLES.keySet().iterator();
    }
  }

  @Override
  public Integer call() throws Exception {
    String main = EXAMPLES.get(name);
    if (main == null) {
      throw new NowMeshCli.UsageError("unknown example '" + name + "': one of " + String.join(", ", EXAMPLES.keySet()));
    }
    Quiet.logsAtLeast(ch.qos.logback.classic.Level.WARN);
    Class.forName(main).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    return 0;
  }
}
