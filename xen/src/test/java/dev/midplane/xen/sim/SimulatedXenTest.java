package dev.midplane.xen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.sysfs.BridgeDevice;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.xen.BlockDevice;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainNotFoundException;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.NetworkDevice;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.ToolstackException;
import dev.midplane.xen.Xen;
import dev.midplane.xen.XenDomain;
import dev.midplane.xen.config.ConfigValue;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated xl on one blade, driven through the SDK's own toolstack: state, kernel effects, real errors. */
class SimulatedXenTest {
  @TempDir
  Path dir;
  private SimulatedChassis chassis;
  private SimulatedXen sim;
  private Host blade1;
  private Xen xen;

  @BeforeEach
  void setUp() {
    chassis = SimulatedChassis.builder().blades(1).build(dir);
    chassis.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    chassis.provisionLun(MultipathAlias.of("vm2"), 8L << 30);
    sim = chassis.xen("blade1");
    blade1 = chassis.host("blade1");
    xen = Xen.on(blade1);
  }

  private int openCount(String map) {
    return chassis.kernel("blade1").deviceMapper().device(map).orElseThrow().openCount();
  }

  private List<InterfaceName> portsOf(String bridge) {
    return Sysfs.on(blade1).topology().bridge(InterfaceName.of(bridge)).orElseThrow().ports().stream()
        .map(BridgeDevice.BridgePort::name).toList();
  }

  @Test
  void aCreatedDomainRunsWithItsDiskOpenAndItsVifOnTheBridge() {
    long free = xen.info().freeMemoryMib();
    XenDomain vm1 = xen.create(Vms.vm("vm1", 1, "xenbr1"));

    assertThat(xen.toolstack().kind()).isEqualTo(Toolstack.Kind.XL);
    assertThat(vm1.status().id()).hasValue(1);
    assertThat(vm1.status().state()).containsExactly(DomainState.BLOCKED);
    assertThat(xen.info().freeMemoryMib()).isEqualTo(free - 512);
    assertThat(openCount("vm1")).isEqualTo(1);
    assertThat(portsOf("xenbr1")).contains(InterfaceName.of("vm1-0"));
    DomainDetails d = vm1.details();
    assertThat(d.guestType()).contains("pvh");
    assertThat(d.disks()).extracting(DiskSpec::target).containsExactly(java.util.Optional.of("/dev/mapper/vm1"));
    assertThat(d.nics()).extracting(VifSpec::vifname).containsExactly(java.util.Optional.of(InterfaceName.of("vm1-0")));
    assertThat(vm1.disks()).extracting(BlockDevice::vdevName).containsExactly(java.util.Optional.of("xvda"));
    assertThat(vm1.interfaces()).extracting(NetworkDevice::mac).containsExactly(MacAddress.of("00:16:3e:00:01:01"));

    vm1.destroy();
    assertThat(vm1.exists()).isFalse();
    assertThat(openCount("vm1")).isZero();
    assertThat(portsOf("xenbr1")).doesNotContain(InterfaceName.of("vm1-0"));
    assertThat(xen.info().freeMemoryMib()).isEqualTo(free);
  }

  @Test
  void aVifWithoutVifnameIsVifDomidDotDevid() {
    DomainConfig c = Vms.vm("vm1", 1, "xenbr0").withVifs(List.of(VifSpec.of(MacAddress.of("00:16:3e:00:01:01"),
        InterfaceName.of("xenbr0"))));
    xen.create(c);
    xen.create(Vms.vm("vm2", 2, "xenbr0").withVifs(List.of(VifSpec.of(MacAddress.of("00:16:3e:00:01:02"),
        InterfaceName.of("xenbr0")))));
    assertThat(portsOf("xenbr0")).contains(InterfaceName.of("vif1.0"), InterfaceName.of("vif2.0"));
  }

  @Test
  void aMissingBridgeFailsAsVifBridgeFailsAndLeavesNothingBehind() {
    DomainConfig c = Vms.vm("vm1", 1, "xenbr9");
    assertThatThrownBy(() -> xen.create(c)).isInstanceOfSatisfying(ToolstackException.class, e -> {
      assertThat(e.exitCode()).hasValue(3);
      assertThat(e.errorLines()).contains("libxl: error: script: Could not find bridge device xenbr9",
          "libxl: error: Domain 1:unable to add vif devices");
    });
    assertThat(sim.domains()).hasSize(1); // Domain-0 only
    assertThat(openCount("vm1")).isZero(); // the disk plugged before the vif failed was closed again
    assertThat(chassis.kernel("blade1").net().link(InterfaceName.of("vm1-0"))).isEmpty();
  }

  @Test
  void aMissingDiskFailsToStat() {
    DomainConfig c = Vms.vm("vm9", 9, "xenbr0");
    assertThatThrownBy(() -> xen.create(c)).isInstanceOfSatisfying(ToolstackException.class, e -> assertThat(e.errorLines())
        .containsExactly("libxl: error: Disk vdev=xvda failed to stat: /dev/mapper/vm9: No such file or directory"));
  }

  @Test
  void memoryIsAccountedAgainstTheHost() {
    DomainConfig big = Vms.vm("vm1", 1, "xenbr0").withMemoryMib(16384);
    assertThatThrownBy(() -> xen.create(big)).isInstanceOfSatisfying(ToolstackException.class, e -> assertThat(e.getMessage())
        .contains("can't allocate low memory for domain: Out of memory"));
    xen.create(Vms.vm("vm1", 1, "xenbr0").withMemoryMib(15000));
    assertThat(xen.info().freeMemoryMib()).isEqualTo(16384 - 1024 - 15000);
    // the failed create used up domain id 1, as in Xen
    assertThat(xen.domain(DomainName.of("vm1")).status().id()).hasValue(2);
  }

  @Test
  void aDiskOneGuestWritesCannotBeGivenToAnother() {
    xen.create(Vms.vm("vm1", 1, "xenbr0"));
    DomainConfig thief = Vms.vm("vm2", 2, "xenbr0").with("disk", ConfigValue.strings(List.of(
        "phy:/dev/mapper/vm1,xvda,w")));
    assertThatThrownBy(() -> xen.create(thief)).isInstanceOfSatisfying(ToolstackException.class, e -> assertThat(
        e.getMessage()).contains("is mounted in a guest domain,").contains("and so cannot be mounted now."));
    assertThat(openCount("vm1")).isEqualTo(1);
  }

  @Test
  void aNameIsTakenOnce() {
    xen.create(Vms.vm("vm1", 1, "xenbr0"));
    assertThatThrownBy(() -> xen.create(Vms.vm("vm1", 1, "xenbr0"))).isInstanceOfSatisfying(ToolstackException.class,
        e -> assertThat(e.errorLines()).contains("libxl: error: Domain with name \"vm1\" already exists."));
  }

  @Test
  void aVifnameInUseIsRefusedAsVifCommonRefusesIt() {
    xen.create(Vms.vm("vm1", 1, "xenbr0"));
    DomainConfig c = Vms.vm("vm2", 2, "xenbr0").withVifs(List.of(VifSpec.parse(
        "mac=00:16:3e:00:01:02, bridge=xenbr0, vifname=vm1-0")));
    assertThatThrownBy(() -> xen.create(c)).isInstanceOfSatisfying(ToolstackException.class, e -> assertThat(e.errorLines())
        .contains("libxl: error: script: Cannot rename interface vif2.0. An interface with name vm1-0 already exists."));
  }

  @Test
  void devicesAreHotPluggedAndUnplugged() {
    XenDomain vm1 = xen.create(Vms.vm("vm1", 1, "xenbr0"));
    vm1.attachDisk(DiskSpec.multipath(MultipathAlias.of("vm2"), "xvdb", DiskSpec.Access.READ_WRITE));
    assertThat(openCount("vm2")).isEqualTo(1);
    assertThat(vm1.disks()).extracting(BlockDevice::vdev).containsExactly(51712, 51728);
    vm1.detachDisk("xvdb");
    assertThat(openCount("vm2")).isZero();
    assertThatThrownBy(() -> vm1.detachDisk("xvdc")).isInstanceOfSatisfying(ToolstackException.class,
        e -> assertThat(e.errorLines()).containsExactly("Error: Device xvdc not connected."));

    vm1.attachInterface(InterfaceName.of("xenbr1"), MacAddress.of("00:16:3e:00:02:01"));
    assertThat(portsOf("xenbr1")).contains(InterfaceName.of("vif1.1"));
    assertThat(vm1.interfaces()).extracting(NetworkDevice::index).containsExactly(0, 1);
    vm1.detachInterface(MacAddress.of("00:16:3e:00:02:01"));
    assertThat(portsOf("xenbr1")).doesNotContain(InterfaceName.of("vif1.1"));
  }

  @Test
  void pauseSaveAndRestore() {
    XenDomain vm1 = xen.create(Vms.vm("vm1", 1, "xenbr0"));
    vm1.pause();
    assertThat(vm1.status().state()).containsExactly(DomainState.PAUSED);
    vm1.unpause();
    vm1.save("/var/lib/xen/save/vm1.save", false);
    assertThat(vm1.exists()).isFalse();
    assertThat(openCount("vm1")).isZero();
    xen.toolstack().restore("/var/lib/xen/save/vm1.save", false);
    assertThat(vm1.status().id()).hasValue(2);
    assertThat(vm1.details().nics()).extracting(VifSpec::ips).containsExactly(
        List.of(dev.midplane.core.names.Ipv4Address.of("192.0.2.11")));
    assertThat(openCount("vm1")).isEqualTo(1);
  }

  @Test
  void unknownDomainsAreNotFound() {
    XenDomain ghost = xen.domain(DomainName.of("ghost"));
    assertThat(ghost.exists()).isFalse();
    assertThatThrownBy(ghost::destroy).isInstanceOf(DomainNotFoundException.class).hasMessageContaining(
        "ghost is an invalid domain identifier (rc=-6)");
  }

  @Test
  void aGuestThatIgnoresShutdownOutlivesTheWait() {
    XenDomain vm1 = xen.create(Vms.vm("vm1", 1, "xenbr0"));
    sim.guestIgnoresShutdown(DomainName.of("vm1"), true);
    assertThatThrownBy(() -> vm1.shutdown(Duration.ofMillis(300))).isInstanceOf(ToolstackException.class)
        .hasCauseInstanceOf(CommandTimeoutException.class).hasMessageContaining("did not shut down within");
    assertThat(vm1.exists()).isTrue();
    sim.guestIgnoresShutdown(DomainName.of("vm1"), false);
    vm1.shutdown(Duration.ofSeconds(10));
    assertThat(vm1.exists()).isFalse();
  }

  @Test
  void aPowerCycleTakesEveryGuestAndRestartsDomainIds() {
    xen.create(Vms.vm("vm1", 1, "xenbr0"));
    xen.create(Vms.vm("vm2", 2, "xenbr1"));
    chassis.reboot("blade1");
    assertThat(xen.domains()).isEmpty();
    assertThat(openCount("vm1")).isZero();
    assertThat(portsOf("xenbr0")).containsExactly(InterfaceName.of("bond0"));
    assertThat(xen.create(Vms.vm("vm2", 2, "xenbr1")).status().id()).hasValue(1);
  }
}
