package dev.midplane.network;

/** The backend contract for the IPROUTE2 backend on the simulated kernel. */
class SimulatedIproute2ContractTest extends SimulatedKernelContract {
  @Override
  Network.Backend backend() {
    return Network.Backend.IPROUTE2;
  }
}
