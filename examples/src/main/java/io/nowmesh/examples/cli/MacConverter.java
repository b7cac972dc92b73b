package io.nowmesh.examples.cli;

import io.nowmesh.actors.espnow.EspNowException;
import io.nowmesh.actors.espnow.Mac;
import picocli.CommandLine;

/** Reads a node's MAC (aa:bb:cc:dd:ee:ff); the error names the rule, as the radio would. */
final class MacConverter implements CommandLine.ITypeConverter<Mac> {
  @Override
  public Mac convert(String value) {
    Mac mac;
    try {
      mac = Mac.parse(value);
    } catch (EspNowException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
    if (mac.isGroup()) {
      throw new CommandLine.TypeConversionException(EspNowException.arg(
          "a node's MAC is unicast (first byte even), got " + mac + "; use --group or --broadcast for groups")
          .getMessage());
    }
    return mac;
  }
}
