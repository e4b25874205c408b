package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.Xen;
import dev.midplane.xen.config.ConfigValue;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.sxp.RelocationAllowList;
import dev.midplane.xen.sxp.XendConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight finds every obstacle at once, from the hosts' facts and live probes, and a refused migration runs nothing. */
class MigrationPreflightTest {
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");
  private static final MultipathAlias ALIAS = MultipathAlias.of("vm1");

  @TempDir
  Path dir;

  @Test
  void aClearPreflightStillWarnsOfWhatCannotBeLocked() {
    try (Blades b = Blades.of(dir, 2)) {
      b.sim.provisionLun(ALIAS, 8L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));

      MigrationPreflight p = b.xc().preflight(VM1, BLADE2);
      assertThat(p.blockers()).isEmpty();
      assertThat(p.isClear()).isTrue();
      assertThat(p.source()).contains(BLADE1);
      assertThat(p.warnings()).anyMatch(w -> w.contains("vif 0 of vm1 has no ip="));
      assertThat(p.requireClear()).isSameAs(p);
    }
  }

  @Test
  void everyBlockerIsReportedTogetherAndARefusedMigrationRunsNothing() {
    try (Blades b = Blades.of(dir, 2, false, c -> c.blade("blade2", x -> x.totalMemoryMib(1500).withoutShadowPaging()
        .xenVersion("4.16.2")))) {
      b.sim.provisionLun(ALIAS, 8L << 30, List.of(BLADE1));
      b.sim.kernel("blade2").net().delete(InterfaceName.of("xenbr1"));
      // vif 0 is to be locked but has no stable name; vif 1's name is taken on blade2
      DomainConfig pv = Blades.vm("vm1", 1, "xenbr1").with("type", ConfigValue.string("pv"))
          .with("vif", ConfigValue.strings(List.of("mac=00:16:3e:00:01:01, bridge=xenbr1, ip=192.0.2.11",
              "mac=00:16:3e:00:01:02, bridge=xenbr0, vifname=vm1-1")));
      Xen.on(b.sim.host("blade1")).create(pv);
      b.sim.kernel("blade2").net().createDummy(InterfaceName.of("vm1-1"));
      b.sim.disconnect("blade2");

      MigrationPreflight p = b.xc().preflight(VM1, BLADE2);
      assertThat(p.blockers()).extracting(Blocker::kind).containsExactlyInAnyOrder(Blocker.Kind.XEN_VERSION,
          Blocker.Kind.MEMORY, Blocker.Kind.LIVE_MIGRATION, Blocker.Kind.BRIDGE, Blocker.Kind.DISK, Blocker.Kind.NAME_TAKEN,
          Blocker.Kind.NO_VIFNAME, Blocker.Kind.FILTER_TOOLS, Blocker.Kind.RELOCATION);
      assertThat(p.blockers(Blocker.Kind.BRIDGE)).extracting(Blocker::detail)
          .containsExactly("blade2 has no bridge xenbr1 (vif 0 of vm1)");
      assertThat(p.blockers(Blocker.Kind.DISK).get(0).detail()).startsWith("blade2 has no multipath map vm1 (xvda of vm1, LUN ");
      assertThat(p.blockers(Blocker.Kind.MEMORY)).extracting(Blocker::detail)
          .containsExactly("blade2 has 476 MiB free, vm1 needs 512 MiB");
      assertThat(p.blockers(Blocker.Kind.LIVE_MIGRATION).get(0).detail()).contains("no shadow paging");
      assertThat(p.blockers(Blocker.Kind.RELOCATION).get(0).detail()).contains("blade1 cannot reach blade2 over ssh")
          .contains("Connection timed out");
      assertThat(p.isClear()).isFalse();

      RecordingRunner blade1 = RecordingRunner.wrapping(b.sim.kernel("blade1").runner());
      b.sim.decorate("blade1", r -> blade1);
      assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).call()).isInstanceOfSatisfying(UnsafeOperationException.class, e -> {
        assertThat(e.operation()).isEqualTo("migrate vm1 from blade1 to blade2");
        assertThat(e.reasons()).hasSize(9).contains("blade2 has no bridge xenbr1 (vif 0 of vm1)");
      });
      assertThat(blade1.commands()).extracting(Command::argv).noneMatch(a -> a.contains("migrate"));
      assertThat(b.sim.xen("blade1").domain(VM1)).isPresent();
    }
  }

  @Test
  void withTheInventoryTheTargetsMultipathConfMustAdmitTheVmsLunUnderItsAlias() throws Exception {
    try (Blades b = Blades.of(dir, 2)) {
      Wwid w = b.sim.provisionLun(ALIAS, 8L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      Path luns = dir.resolve("luns");
      LunInventory.of(List.of(Lun.diskOf(VM1, w))).write(luns);
      XenChassis xc = b.xc().withInventory(luns);
      assertThat(xc.preflight(VM1, BLADE2).blockers()).as("blade2's file, written by its own create(), admits it").isEmpty();

      // blade2's file now blacklists every WWID and names vm1's map otherwise: the map is still there, a reload would lose it
      Path conf = b.sim.host("blade2").path("/etc/multipath.conf");
      String admitting = Files.readString(conf);
      MultipathConfig.parse("blacklist {\n\twwid \".*\"\n}\nmultipaths {\n\tmultipath {\n\t\twwid \"" + w
          + "\"\n\t\talias \"vm1-old\"\n\t}\n}\n").writeTo(conf);
      b.sim.kernel("blade2").net().delete(InterfaceName.of("xenbr1"));

      MigrationPreflight p = xc.preflight(VM1, BLADE2);
      assertThat(p.blockers()).extracting(Blocker::kind).containsExactly(Blocker.Kind.BRIDGE, Blocker.Kind.MULTIPATH_CONFIG,
          Blocker.Kind.MULTIPATH_CONFIG);
      assertThat(p.blockers(Blocker.Kind.MULTIPATH_CONFIG)).extracting(Blocker::detail).containsExactly(
          "blade2 blacklists LUN " + w + " (vm1) (wwid \".*\") and no blacklist_exceptions wwid admits it",
          "blade2 names the map of LUN " + w + " (vm1) vm1-old, the inventory vm1");
      assertThat(b.xc().preflight(VM1, BLADE2).blockers()).as("without the inventory the file is not held against it")
          .extracting(Blocker::kind).containsExactly(Blocker.Kind.BRIDGE);
      HomogeneityReport.VmMobility vm1 = xc.homogeneity().vms().stream().filter(v -> v.vm().equals(VM1)).findFirst().orElseThrow();
      assertThat(vm1.blocked().get(BLADE2)).as("the homogeneity report says the same").isEqualTo(p.blockers());
      assertThatThrownBy(() -> xc.migrate(VM1, BLADE2).call()).isInstanceOfSatisfying(UnsafeOperationException.class,
          e -> assertThat(e.reasons()).hasSize(3).contains(p.blockers(Blocker.Kind.MULTIPATH_CONFIG).get(0).detail()));
      assertThat(b.sim.xen("blade1").domain(VM1)).isPresent();

      Files.writeString(conf, admitting);
      b.sim.kernel("blade2").net().createBridge(InterfaceName.of("xenbr1"));
      assertThat(xc.preflight(VM1, BLADE2).blockers()).as("an admitting file again").isEmpty();

      LunInventory.of(List.of(Lun.of(MultipathAlias.of("other"), b.sim.san().createLun(1L << 30)))).write(luns);
      MigrationPreflight unlisted = xc.preflight(VM1, BLADE2);
      assertThat(unlisted.blockers()).isEmpty();
      assertThat(unlisted.warnings()).contains("xvda of vm1 is on map vm1, which the LUN inventory does not list: nothing shows "
          + "blade2's /etc/multipath.conf keeps it after a reload");
    }
  }

  @Test
  void theSameNameMustBeTheSameLunOfTheSameSize() {
    try (Blades b = Blades.of(dir, 3)) {
      Wwid lun = b.sim.provisionLun(ALIAS, 8L << 30, List.of(BLADE1, BLADE2));
      b.sim.provisionLun(ALIAS, 8L << 30, List.of(HostName.of("blade3")));
      shrinkMap(b.sim.kernel("blade2"));
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      XenChassis xc = b.xc();

      assertThat(xc.preflight(VM1, BLADE2).blockers()).extracting(Blocker::detail).containsExactly("blade2 sees LUN " + lun
          + " (vm1) with 4294967296 bytes, blade1 with 8589934592 (xvda of vm1; rescan the paths and resize the map)");
      assertThat(xc.preflight(VM1, HostName.of("blade3")).blockers()).singleElement().satisfies(x -> {
        assertThat(x.kind()).isEqualTo(Blocker.Kind.DISK);
        assertThat(x.detail()).startsWith("blade3's map vm1 is LUN ").endsWith(", blade1's is " + lun + " (xvda of vm1)");
      });
    }
  }

  /** The map vm1 of this blade, for half the LUN: as if the LUN had grown and this blade's map had not. */
  private static void shrinkMap(SimulatedKernel k) {
    SimulatedDeviceMapper.Device d = k.deviceMapper().device("vm1").orElseThrow();
    SimulatedDeviceMapper.Target t = d.table().orElseThrow().targets().get(0);
    k.deviceMapper().remove("vm1");
    k.deviceMapper().create("vm1", d.uuid(), SimulatedDeviceMapper.Table.of(t.length() / 2, t.type(), t.params()));
  }

  @Test
  void everyOtherHostIsCheckedAtOnce() {
    try (Blades b = Blades.of(dir, 3)) {
      b.sim.provisionLun(ALIAS, 8L << 30, List.of(BLADE1, BLADE2));
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));

      Map<HostName, MigrationPreflight> all = b.xc().preflightEverywhere(VM1);
      assertThat(all).containsOnlyKeys(BLADE2, HostName.of("blade3"));
      assertThat(all.get(BLADE2).isClear()).isTrue();
      assertThat(all.get(BLADE2).source()).contains(BLADE1);
      assertThat(all.get(HostName.of("blade3")).blockers()).singleElement()
          .satisfies(x -> assertThat(x.kind()).isEqualTo(Blocker.Kind.DISK));
      assertThat(all.get(HostName.of("blade3")).blockers()).extracting(Blocker::detail)
          .isEqualTo(b.xc().preflight(VM1, HostName.of("blade3")).blockers().stream().map(Blocker::detail).toList());
    }
  }

  @Test
  void aVmRunningOnTwoHostsOrLeavingACopyIsBlocked() {
    try (Blades b = Blades.of(dir, 3)) {
      b.sim.provisionLun(ALIAS, 8L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      Xen.on(b.sim.host("blade2")).create(DomainConfig.parse("name = 'vm1'\nmemory = 64\n", dev.midplane.xen.config.Dialect.XL));
      assertThat(b.xc().preflight(VM1, HostName.of("blade3")).blockers()).extracting(Blocker::detail)
          .containsExactly("vm1 runs on [blade1, blade2] at once");
      Xen.on(b.sim.host("blade2")).domain(VM1).destroy();

      b.sim.xen("blade1").injectMigrationFault(dev.midplane.xen.sim.SimulatedXen.MigrationFault.FINAL_HANDSHAKE_LOST);
      assertThatThrownBy(() -> Xen.on(b.sim.host("blade1")).domain(VM1).migrate(BLADE2).call())
          .isInstanceOf(dev.midplane.xen.MigrationFailedException.class);
      assertThat(b.xc().preflight(VM1, HostName.of("blade3")).blockers()).extracting(Blocker::detail).containsExactly(
          "a copy vm1--migratedaway (---s--) is on blade1: settle it first (XenChassis.reconcile)");
    }
  }

  @Test
  void theVmMustRunOnExactlyOneHost() {
    try (Blades b = Blades.of(dir, 2)) {
      b.sim.provisionLun(ALIAS, 8L << 30);
      assertThat(b.xc().preflight(VM1, BLADE2).blockers()).extracting(Blocker::detail)
          .containsExactly("vm1 runs on no host that answered");
      assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).call()).isInstanceOf(UnsafeOperationException.class);

      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      assertThat(b.xc().preflight(VM1, BLADE1).blockers()).extracting(Blocker::kind).containsExactly(Blocker.Kind.SAME_HOST);
    }
  }

  @Test
  void xendsRelocationServerMustAdmitTheSource() {
    try (Blades b = Blades.of(dir, 3, false, c -> c.toolstack(Toolstack.Kind.XM))) {
      b.sim.provisionLun(ALIAS, 8L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      assertThat(b.xc().preflight(VM1, BLADE2).isClear()).isTrue();

      Path sxp = b.sim.host("blade2").path("/etc/xen/xend-config.sxp");
      XendConfig.read(sxp).withRelocationHostsAllow(RelocationAllowList.exactHosts(List.of(HostName.of("blade3")))).write(sxp);
      assertThat(b.xc().preflight(VM1, BLADE2).blockers()).extracting(Blocker::detail).containsExactly(
          "blade2's xend-relocation-hosts-allow (^blade3$) does not admit blade1");
    }
  }

  @Test
  void differentToolstacksCannotMigrateToEachOther() {
    try (Blades b = Blades.of(dir, 2, false, c -> c.blade("blade2", x -> x.kind(Toolstack.Kind.XM)))) {
      b.sim.provisionLun(ALIAS, 8L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      assertThat(b.xc().preflight(VM1, BLADE2).blockers()).extracting(Blocker::detail).containsExactlyInAnyOrder(
          "blade1 runs xl, blade2 runs xm: neither can receive what the other sends",
          "blade2 runs Xen 3.4.3, older than blade1's 4.17.5: a migration stream only goes to the same or a newer Xen");
    }
  }
}
