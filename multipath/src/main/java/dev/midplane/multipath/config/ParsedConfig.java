package dev.midplane.multipath.config;

import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code multipath.conf} and what multipath-tools would warn about in it, with line
 * numbers.
 *
 * @param config the model; it keeps everything the file said, including what the warnings are about
 * @param warnings in file order; {@link ConfigWarning#fatal()} ones make multipath-tools refuse the file
 */
public record ParsedConfig(MultipathConfig config, List<ConfigWarning> warnings) {
  public ParsedConfig {
    Objects.requireNonNull(config, "config");
    warnings = List.copyOf(warnings);
  }

  /** True when some warning would make multipath-tools refuse the whole file. */
  public boolean hasFatal() {
    return warnings.stream().anyMatch(ConfigWarning::fatal);
  }
}
