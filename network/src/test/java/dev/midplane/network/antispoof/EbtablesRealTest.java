package dev.midplane.network.antispoof;

import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;

@RequiresReal(tools = {"ip", "ebtables", "ebtables-save", "ebtables-restore", "nft", "ping", "arping", "sysctl"},
    root = true, features = {RealPrerequisites.Feature.NETNS, RealPrerequisites.Feature.BRIDGE})
class EbtablesRealTest extends AntiSpoofingRealContract {
  @Override
  AntiSpoofing.Backend backend() {
    return AntiSpoofing.Backend.EBTABLES;
  }

  @Override
  void addAdminRule(VifLab lab) {
    lab.dom0.execute("ebtables", "-A", "FORWARD", "-p", "ARP", "-i", "eth9", "-j", "ACCEPT");
    lab.dom0.execute("ebtables", "-A", "OUTPUT", "-d", "Broadcast", "-j", "CONTINUE");
  }
}
