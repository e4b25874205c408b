package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.xen.config.DomainConfig;
import java.util.Objects;

/**
 * A VM's profile: the domain config hosts start it from, and which version of the profile it is
 * (1 for the first saved, counting up with each change).
 *
 * @param name the VM
 * @param version the version number
 * @param config the domain config (xl dialect, every vif with a {@code vifname=})
 */
public record VmProfile(DomainName name, int version, DomainConfig config) {
  public VmProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    if (version < 1) {
      throw new IllegalArgumentException("versions count from 1: " + version);
    }
  }
}
