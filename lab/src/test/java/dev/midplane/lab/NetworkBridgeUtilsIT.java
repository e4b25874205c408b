package dev.midplane.lab;

import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.network.Network;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network module's link backend contract on the real kernel of the lab guest, through
 * bridge-utils as hosts without iproute2's bridge support use it: bridges and their ports with
 * {@code brctl} (read back with {@code brctl show}), bonds through the bonding driver's sysfs files,
 * the rest with {@code ip}. Each test runs on a simulated twin with the simulated {@code brctl} too
 * and is compared step by step ({@link KernelsComparedContract}).
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkBridgeUtilsIT extends KernelsComparedContract {
  NetworkBridgeUtilsIT() {
    super("network bridge-utils", Network.Backend.BRIDGE_UTILS);
  }
}
