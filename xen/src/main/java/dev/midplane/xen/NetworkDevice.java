package dev.midplane.xen;

import dev.midplane.core.names.MacAddress;

/**
 * One row of {@code xl network-list} / {@code xm network-list}: a virtual interface of a domain.
 *
 * @param index the device id ({@code vif<domid>.<index>} in dom0)
 * @param backendDomid the domain serving it (0 for dom0)
 * @param mac the guest's MAC address
 * @param handle the device handle
 * @param state the XenBus state (4 = connected)
 * @param eventChannel the event channel, -1 when not set
 * @param txRingRef the transmit ring's grant reference
 * @param rxRingRef the receive ring's grant reference
 * @param backendPath the backend's XenStore path
 */
public record NetworkDevice(int index, int backendDomid, MacAddress mac, int handle, int state, int eventChannel,
    int txRingRef, int rxRingRef, String backendPath) {
  public boolean isConnected() {
    return state == BlockDevice.CONNECTED;
  }
}
