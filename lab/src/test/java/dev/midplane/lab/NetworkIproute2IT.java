package dev.midplane.lab;

import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.network.Network;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network module's link backend contract on the real kernel of the lab guest, through
 * iproute2 ({@code ip link add … type bond|vlan}, a plan's changes in one {@code ip -batch -}):
 * bonds over veths with their options read back, failover, carrier loss, MII and ARP monitoring,
 * the refusals, a VLAN on a bond in a bridge, and rollback when the kernel refuses a step. Each test
 * runs on a simulated twin too and is compared step by step ({@link KernelsComparedContract}).
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkIproute2IT extends KernelsComparedContract {
  NetworkIproute2IT() {
    super("network iproute2", Network.Backend.IPROUTE2);
  }
}
