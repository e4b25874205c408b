package dev.midplane.network;

/** The backend contract for the SYSFS backend on the simulated kernel. */
class SimulatedSysfsContractTest extends SimulatedKernelContract {
  @Override
  Network.Backend backend() {
    return Network.Backend.SYSFS;
  }
}
