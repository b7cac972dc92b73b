package io.nowmesh.actors.link;

import java.util.Objects;

/** One config param and its value: an element of CONFIG_SET, and the result of CONFIG_GET. */
public record ConfigValue(ConfigParam param, int value) implements ReplyBody {
  public ConfigValue {
    Objects.requireNonNull(param, "param");
  }
}
