package dev.midplane.multipath;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the lifecycle tests start from: a fresh simulated array and the path of the shared LUN
 * inventory in a scratch directory, for blades made with {@link Blades}.
 */
abstract class OnASimulatedArray {
  static final long GIB = 1L << 30;
  static final MultipathAlias WEB = MultipathAlias.of("vm-web01");

  @TempDir
  Path dir;

  SimulatedSan san;
  Path inventory;

  @BeforeEach
  void array() {
    san = SimulatedSan.create();
    inventory = dir.resolve("shared/luns");
  }
}
