package dev.midplane.network.antispoof;

import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;

@RequiresReal(tools = {"ip", "nft", "ping", "arping", "sysctl"},
    root = true, features = {RealPrerequisites.Feature.NETNS, RealPrerequisites.Feature.BRIDGE})
class NftablesRealTest extends AntiSpoofingRealContract {
  @Override
  AntiSpoofing.Backend backend() {
    return AntiSpoofing.Backend.NFTABLES;
  }

  @Override
  void addAdminRule(VifLab lab) {
    lab.dom0.execute("nft", "add", "table", "bridge", "admin");
    lab.dom0.execute("nft", "add", "chain", "bridge", "admin", "early", "{", "type", "filter", "hook", "forward",
        "priority", "0", ";", "policy", "accept", ";", "}");
    lab.dom0.execute("nft", "add", "rule", "bridge", "admin", "early", "ether", "type", "arp", "counter", "accept");
  }
}
