package dev.midplane.network.persist;

import dev.midplane.core.plan.Plan;
import java.util.List;

/**
 * Where a host's network configuration survives a reboot: {@link IfcfgStore} ({@code ifcfg-*}
 * files) or {@link KeyfileStore} (NetworkManager keyfiles). Both read into and write from the same
 * {@link InterfaceConfig}s.
 */
public interface ConfigStore {
  /** What the store's files configure now. @throws dev.midplane.core.ParseException naming file and line */
  List<InterfaceConfig> interfaces();

  /** Writes the configuration of these devices, one verified atomic file replacement per device. */
  Plan plan(List<InterfaceConfig> configs);

  /** Writes the configuration of every device of {@code layout}. */
  default Plan plan(BladeLayout layout) {
    return plan(layout.interfaces());
  }
}
