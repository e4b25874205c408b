package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.network.antispoof.Frame;
import dev.midplane.network.sim.SimulatedNetworkTools;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locked VM on blades whose bridge filter is the network module's simulated nftables: what the
 * VM sends is judged by the rules of the blade it runs on, before and after a migration.
 */
class SimulatedLockdownTest {
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");
  private static final InterfaceName VIF = InterfaceName.of("vm1-0");
  private static final MacAddress MAC = MacAddress.of("00:16:3e:00:01:01");

  @TempDir
  Path dir;

  /** An IPv4 datagram the VM sends from {@code mac} and {@code source} (entering the bridge on its vif). */
  private static Frame sent(MacAddress mac, String source) {
    return Frame.ipv4(Optional.of(VIF), Optional.empty(), mac, MacAddress.of("00:16:3e:00:00:fe"),
        new Frame.Ipv4(Ipv4Address.of(source), Ipv4Address.of("192.0.2.1"), Frame.UDP, 40000, 53, false));
  }

  private static void assertLocked(SimulatedNetworkTools blade) {
    assertThat(blade.decide(sent(MAC, "192.0.2.11")).accepted()).as("its own address").isTrue();
    assertThat(blade.decide(sent(MAC, "192.0.2.99")).accepted()).as("a spoofed address").isFalse();
    assertThat(blade.decide(sent(MacAddress.of("00:16:3e:00:01:99"), "192.0.2.11")).accepted()).as("a spoofed MAC")
        .isFalse();
  }

  @Test
  void theVmIsLockedOnTheBladeItRunsOnAndNowhereElse() {
    Map<String, SimulatedNetworkTools> tools = new ConcurrentHashMap<>();
    try (Blades b = Blades.of(dir, 2, false,
        c -> c.onEachBlade(k -> tools.put(k.name().value(), SimulatedNetworkTools.install(k))))) {
      b.sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
      XenChassis xc = b.xc();
      xc.profiles().save(Blades.vm("vm1", 1, "xenbr1"));
      xc.placement().place(VM1, BLADE1);
      assertThat(xc.placement().startAllFor(BLADE1).started()).containsExactly(VM1);
      assertLocked(tools.get("blade1"));
      assertThat(tools.get("blade2").ruleset().toString()).doesNotContain("vm1-0");

      MigrationOutcome o = xc.migrate(VM1, BLADE2).call();
      assertThat(o.report().succeeded()).isTrue();
      assertThat(xc.whereIs(VM1).onlyHost()).contains(BLADE2);
      assertLocked(tools.get("blade2"));
      assertThat(tools.get("blade1").ruleset().toString()).doesNotContain("vm1-0");

      // a power cycle of blade2 takes the VM and its vif; starting it again locks it again
      b.sim.reboot("blade2");
      assertThat(xc.placement().startAllFor(BLADE2).started()).containsExactly(VM1);
      assertLocked(tools.get("blade2"));
    }
  }
}
