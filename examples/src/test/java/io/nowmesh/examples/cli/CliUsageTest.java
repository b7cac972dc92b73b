package io.nowmesh.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand explains itself, and every bad argument gets one line naming the rule, exit 2. */
class CliUsageTest {

  @ParameterizedTest
  @ValueSource(strings = {"demo", "gateway", "ports", "send", "listen", "ping", "example"})
  void everySubcommandHasHelp(String sub) {
    CliRun run = CliRun.of(sub, "--help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Usage: nowmesh " + sub), run.out());
    assertEquals("", run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "help"})
  void rootHelpListsTheSubcommands(String arg) {
    CliRun run = CliRun.of(arg);
    assertEquals(0, run.exitCode());
    for (String sub : new String[] {"demo", "gateway", "ports", "send", "listen", "ping", "example"}) {
      assertTrue(run.out().contains("  " + sub + " "), sub + " in\n" + run.out());
    }
  }

  static Stream<Arguments> badArguments() {
    String big = "x".repeat(231);
    return Stream.of(
        Arguments.of(new String[] {"send", "--to", "aa:bb:cc", "hi"}, "ESP_ERR_ESPNOW_ARG (0x3066): a MAC address has the form"),
        Arguments.of(new String[] {"send", "--to", "zz:bb:cc:dd:ee:ff", "hi"}, "a MAC address has the form"),
        Arguments.of(new String[] {"send", "--to", "01:00:5e:00:00:01", "hi"}, "a node's MAC is unicast"),
        Arguments.of(new String[] {"send", "--to", "24:0a:c4:00:00:01", big},
            "ESP_ERR_ESPNOW_ARG (0x3066): a mesh message carries at most 230 bytes"),
        Arguments.of(new String[] {"send", "--raw", "--to", "24:0a:c4:00:00:01", "y".repeat(251)},
            "ESP_ERR_ESPNOW_ARG (0x3066): data is at most 250 bytes (MAX_DATA_LEN), got 251"),
        Arguments.of(new String[] {"send", "--to", "24:0a:c4:00:00:01", "--hex", "abc"}, "--hex data must be pairs"),
        Arguments.of(new String[] {"send", "--group", "kitchen", "hi"}, "unknown group 'kitchen'"),
        Arguments.of(new String[] {"send", "hi"}, "Error: Missing required argument"),
        Arguments.of(new String[] {"send", "--to", "24:0a:c4:00:00:01", "--group", "1", "hi"}, "mutually exclusive"),
        Arguments.of(new String[] {"send", "--seed", "localhost", "--to", "24:0a:c4:00:00:01", "hi"},
            "--seed is HOST:PORT"),
        Arguments.of(new String[] {"send", "--ack", "maybe", "--to", "24:0a:c4:00:00:01", "hi"}, "--ack is e2e or mac"),
        Arguments.of(new String[] {"listen", "--group", "nope"}, "unknown group 'nope'"),
        Arguments.of(new String[] {"listen"}, "Missing required argument"),
        Arguments.of(new String[] {"ping", "--to", "ff:ff:ff:ff:ff:ff"}, "a node's MAC is unicast"),
        Arguments.of(new String[] {"ping"}, "Missing required option: '--to=MAC'"),
        Arguments.of(new String[] {"ping", "--to", "24:0a:c4:00:00:01", "--count", "0"}, "--count must be 1..1000"),
        Arguments.of(new String[] {"demo", "--nodes", "100"}, "--nodes must be 4..60"),
        Arguments.of(new String[] {"demo", "--base-port", "80"}, "--base-port must be 0"),
        Arguments.of(new String[] {"demo", "--radios", "wifi"}, "--radios is serial or air"),
        Arguments.of(new String[] {"gateway", "--config", "/nonexistent/gateway.conf"}, "cannot read"),
        Arguments.of(new String[] {"example", "nope"}, "unknown example 'nope'"),
        Arguments.of(new String[] {"frobnicate"}, "Unmatched argument"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badArgumentsGetOneLineNamingTheRuleAndExitTwo(String[] args, String rule) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertEquals(1, run.errLines(), run.err());
    assertTrue(run.err().contains(rule), run.err());
    assertTrue(run.err().startsWith("nowmesh"), run.err());
  }
}
