package dev.midplane.network;

import dev.midplane.core.names.HostName;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract on the simulated kernel, through the simulated tools: every command the
 * backend runs is parsed and answered by the simulated {@code ip} or {@code brctl}, every sysfs
 * write goes to the simulated kernel. One subclass per backend.
 */
abstract class SimulatedKernelContract extends LinkBackendContract {
  @TempDir
  Path root;
  SimulatedKernel kernel;
  Network network;

  abstract Network.Backend backend();

  @BeforeEach
  void kernel() {
    start(root);
  }

  /** A fresh simulated kernel under {@code root} with the simulated tools, and the network on it. */
  final void start(Path root) {
    kernel = SimulatedKernel.create(root, HostName.of("contract"), SimulatedSan.create());
    SimulatedNetworkTools.install(kernel);
    network = Network.on(kernel.host(), backend());
  }

  @Override
  protected Network network() {
    return network;
  }

  @Override
  protected void addVethPair(String a, String b) {
    kernel.net().createVethPair(n(a), n(b));
  }

  @Override
  protected void setUp(String device, boolean up) {
    kernel.net().setUp(n(device), up);
  }

  @Override
  protected void deleteQuietly(String device) {
    if (kernel.net().link(n(device)).isPresent()) {
      kernel.net().delete(n(device));
    }
  }

  @Override
  protected void tick() {
    kernel.advance(Duration.ofMillis(100));
  }
}
