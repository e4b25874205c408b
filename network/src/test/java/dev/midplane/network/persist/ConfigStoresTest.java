package dev.midplane.network.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.Step;
import dev.midplane.core.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing the blade's files under a host root in a temporary directory, as plans. */
class ConfigStoresTest {
  @TempDir
  Path root;
  private Host host;
  private final BladeLayout layout = BladeLayout.builder().from(BladeLayout.standard())
      .management(new BladeLayout.Management(InterfaceName.of("xenbr0"), new InterfaceConfig.Ipv4(
          Ipv4Address.of("192.0.2.10"), 24, Optional.of(Ipv4Address.of("192.0.2.1")))))
      .addVlans(new BladeLayout.VlanBridge(InterfaceName.of("bond1"), 200, InterfaceName.of("xenbr200")))
      .build();

  @BeforeEach
  void setUp() {
    host = Host.simulated("blade1", root, new SimulatedRunner("blade1"));
  }

  private Path ifcfg(String name) {
    return host.path(IfcfgStore.DIRECTORY + "/" + name);
  }

  @Test
  void theWholeBladeIsWrittenAsIfcfgFilesAndReadsBack() throws IOException {
    Files.createDirectories(ifcfg("x").getParent());
    Files.writeString(ifcfg("ifcfg-eth0"), Fixtures.text(ConfigStoresTest.class, "ifcfg-eth0"));
    Files.writeString(ifcfg("ifcfg-lo"), "DEVICE=lo\nIPADDR=127.0.0.1\nNETMASK=255.0.0.0\nONBOOT=yes\n");
    IfcfgStore store = IfcfgStore.on(host);
    Plan plan = store.plan(layout);
    assertThat(plan.dryRun()).contains("write /etc/sysconfig/network-scripts/ifcfg-bond0 (", "ifcfg-xenbr200");
    plan.apply();

    assertThat(new HashSet<>(store.interfaces())).containsAll(layout.interfaces());
    String eth0 = Files.readString(ifcfg("ifcfg-eth0"));
    assertThat(eth0).contains("HWADDR=00:1a:64:7e:10:20", "# Slave of bond0 on the first midplane.", "MASTER=bond0");
    assertThat(Files.readString(ifcfg("ifcfg-bond0"))).contains("BONDING_OPTS=\"mode=active-backup miimon=100\"",
        "BRIDGE=xenbr0", "TYPE=Bond", "NM_CONTROLLED=no");
    assertThat(Files.readString(ifcfg("ifcfg-xenbr0"))).contains("TYPE=Bridge", "IPADDR=192.0.2.10", "PREFIX=24",
        "GATEWAY=192.0.2.1", "BOOTPROTO=static");
    assertThat(Files.readString(ifcfg("ifcfg-bond1.200"))).contains("VLAN=yes", "PHYSDEV=bond1", "BRIDGE=xenbr200");
    assertThat(Files.readString(ifcfg("ifcfg-eth0.bak"))).as("the previous version is kept")
        .isEqualTo(Fixtures.text(ConfigStoresTest.class, "ifcfg-eth0"));
    assertThat(store.files()).doesNotContainKey("ifcfg-eth0.bak").containsKey("ifcfg-lo");
    assertThat(plan.verify()).isEmpty();

    // Writing the same layout again changes no file.
    String before = Files.readString(ifcfg("ifcfg-bond0"));
    store.plan(layout).apply();
    assertThat(Files.readString(ifcfg("ifcfg-bond0"))).isEqualTo(before);
  }

  @Test
  void keyfilesAreWrittenWithMode0600AndReadBack() throws IOException {
    KeyfileStore store = KeyfileStore.on(host);
    store.plan(layout).apply();
    Path bond0 = host.path(KeyfileStore.DIRECTORY + "/bond0.nmconnection");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bond0))).isEqualTo("rw-------");
    assertThat(Files.readString(bond0)).contains("[bond]\nmode=active-backup\nmiimon=100\n", "slave-type=bridge",
        "master=xenbr0");
    assertThat(new HashSet<>(store.interfaces())).isEqualTo(new HashSet<>(layout.interfaces()));
    assertThat(Files.readString(host.path(KeyfileStore.DIRECTORY + "/xenbr0.nmconnection")))
        .contains("address1=192.0.2.10/24,192.0.2.1", "method=manual");
  }

  @Test
  void aFailureLaterInThePlanPutsEveryFileBack() throws IOException {
    Files.createDirectories(ifcfg("x").getParent());
    String original = Fixtures.text(ConfigStoresTest.class, "ifcfg-eth0");
    Files.writeString(ifcfg("ifcfg-eth0"), original);
    Step boom = Step.builder("restart the network").apply(() -> {
      throw new IllegalStateException("network restart failed");
    }).build();
    Plan plan = Plan.builder("persist and restart").then(IfcfgStore.on(host).plan(layout)).step(boom).build();
    assertThatThrownBy(plan::apply).isInstanceOf(PlanFailedException.class)
        .satisfies(e -> assertThat(((PlanFailedException) e).report().rolledBackCleanly()).isTrue());
    assertThat(Files.readString(ifcfg("ifcfg-eth0"))).isEqualTo(original);
    assertThat(ifcfg("ifcfg-bond0")).doesNotExist();
    assertThat(ifcfg("ifcfg-xenbr0")).doesNotExist();
  }

  @Test
  void aFileChangedBehindThePlansBackIsDrift() throws IOException {
    Plan plan = KeyfileStore.on(host).plan(layout);
    plan.apply();
    Path br = host.path(KeyfileStore.DIRECTORY + "/xenbr1.nmconnection");
    Files.writeString(br, Files.readString(br).replace("stp=false", "stp=true"));
    assertThat(plan.verify()).singleElement().satisfies(p -> assertThat(p).contains("xenbr1.nmconnection"));
    Files.setPosixFilePermissions(br, PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(br, KeyfileStore.on(host).render(layout.interfaces()).get("xenbr1.nmconnection"));
    assertThat(plan.verify()).singleElement().satisfies(p -> assertThat(p).contains("mode rw-r--r--"));
  }

  @Test
  void aBrokenExistingFileIsReportedWithItsLine() throws IOException {
    Files.createDirectories(ifcfg("x").getParent());
    Files.writeString(ifcfg("ifcfg-eth5"), "DEVICE=eth5\nIPADDR=$(hostname -i)\n");
    assertThatThrownBy(() -> IfcfgStore.on(host).interfaces())
        .hasMessageContaining("ifcfg-eth5, line 2");
  }
}
