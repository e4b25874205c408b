package dev.midplane.network;

/** The backend contract for the BRIDGE_UTILS backend on the simulated kernel. */
class SimulatedBridgeUtilsContractTest extends SimulatedKernelContract {
  @Override
  Network.Backend backend() {
    return Network.Backend.BRIDGE_UTILS;
  }
}
