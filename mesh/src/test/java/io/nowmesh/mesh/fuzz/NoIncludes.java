package io.nowmesh.mesh.fuzz;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.net.URL;

/**
 * HOCON parse options for fuzzed text: every {@code include} (file, URL, classpath) yields an empty
 * object, so the fuzzer cannot make the parser read /dev/zero or open network connections.
 */
final class NoIncludes
    implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
  static final ConfigParseOptions OPTIONS = ConfigParseOptions.defaults()
      .setSyntax(ConfigSyntax.CONF).setIncluder(new NoIncludes());

  private NoIncludes() {}

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this;
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    return ConfigFactory.empty().root();
  }
}
