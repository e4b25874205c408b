package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.config.Blacklist;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.Xen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The homogeneity report names what differs between blades and which VMs that keeps from which blades. */
class HomogeneityReportTest {
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");
  private static final HostName BLADE3 = HostName.of("blade3");
  private static final HostName BLADE4 = HostName.of("blade4");
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final DomainName VM2 = DomainName.of("vm2");

  @TempDir
  Path dir;

  @Test
  void identicalBladesAreHomogeneousAndEveryVmCanGoAnywhere() {
    try (Blades b = Blades.of(dir, 3)) {
      b.sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      HomogeneityReport r = b.xc().homogeneity();
      assertThat(r.differences()).isEmpty();
      assertThat(r.isHomogeneous()).isTrue();
      assertThat(r.vms()).singleElement().satisfies(v -> {
        assertThat(v.vm()).isEqualTo(DomainName.of("vm1"));
        assertThat(v.runsOn()).isEqualTo(BLADE1);
        assertThat(v.blocked()).isEmpty();
      });
      assertThat(r.constrained()).isEmpty();
      // the blades made their maps through the multipath module: each config admits the inventory
      HomogeneityReport withLuns = b.xc().withInventory(b.sim.host("blade1").path(Multipath.DEFAULT_INVENTORY)).homogeneity();
      assertThat(withLuns.inventoryGaps()).isEmpty();
      assertThat(withLuns.isHomogeneous()).isTrue();
      assertThat(withLuns.facts().get(BLADE3).multipathConfig().orElseThrow().multipath(
          withLuns.facts().get(BLADE3).maps().get("vm1").wwid().value())).isPresent();
      assertThat(r.facts().get(BLADE2).bridges()).containsEntry(InterfaceName.of("xenbr1"), List.of(InterfaceName.of("bond1")));
      assertThat(r.facts().get(BLADE1).bridges()).containsEntry(InterfaceName.of("xenbr1"), List.of(InterfaceName.of("bond1")));
    }
  }

  @Test
  void differencesAreNamedWithEachBladesValueAndTheVmsTheyBlock() {
    try (Blades b = Blades.of(dir, 3, false, c -> c.blade("blade3", x -> x.kind(Toolstack.Kind.XM)))) {
      b.sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30, List.of(BLADE1, BLADE3));
      b.sim.provisionLun(MultipathAlias.of("vm2"), 4L << 30);
      b.sim.kernel("blade2").net().delete(InterfaceName.of("xenbr1"));
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      Xen.on(b.sim.host("blade2")).create(VifNames.assign(Blades.unlocked("vm2", 2, "xenbr0")));

      HomogeneityReport r = b.xc().homogeneity();
      assertThat(r.isHomogeneous()).isFalse();
      Map<String, Map<HostName, String>> diffs = r.differences().stream()
          .collect(java.util.stream.Collectors.toMap(HomogeneityReport.Difference::subject, HomogeneityReport.Difference::values));
      assertThat(diffs).containsOnlyKeys("toolstack", "paging modes (virt_caps)", "bridge xenbr1", "map vm1");
      assertThat(diffs.get("bridge xenbr1")).containsEntry(BLADE1, "uplinks [bond1]").containsEntry(BLADE2, "(none)")
          .containsEntry(BLADE3, "uplinks [bond1]");
      assertThat(diffs.get("map vm1").get(BLADE2)).isEqualTo("(none)");
      assertThat(diffs.get("toolstack")).containsEntry(BLADE1, "xl (Xen 4.17.5)").containsEntry(BLADE3, "xm (Xen 3.4.3)");

      HomogeneityReport.VmMobility vm1 = r.vms().stream().filter(v -> v.vm().value().equals("vm1")).findFirst().orElseThrow();
      assertThat(vm1.blocked().keySet()).containsExactly(BLADE2, BLADE3);
      assertThat(vm1.blocked().get(BLADE2)).extracting(Blocker::kind).containsExactlyInAnyOrder(Blocker.Kind.BRIDGE,
          Blocker.Kind.DISK);
      assertThat(vm1.blocked().get(BLADE3)).extracting(Blocker::kind).contains(Blocker.Kind.TOOLSTACK);
      HomogeneityReport.VmMobility vm2 = r.vms().stream().filter(v -> v.vm().value().equals("vm2")).findFirst().orElseThrow();
      assertThat(vm2.blocked().keySet()).containsExactly(BLADE3);
      assertThat(r.toString()).contains("bridge xenbr1:").contains("blade2: (none)").contains("not to blade2:");
    }
  }

  @Test
  void aBladeWithoutToolstackIsADifference() {
    try (Blades b = Blades.of(dir, 2)) {
      RecordingRunner blade2 = RecordingRunner.wrapping(b.sim.kernel("blade2").runner());
      b.sim.decorate("blade2", r -> blade2);
      blade2.on("xl").fault(Fault.notInstalled());
      blade2.on("xm").fault(Fault.notInstalled());
      HomogeneityReport r = b.xc().homogeneity();
      assertThat(r.differences()).extracting(HomogeneityReport.Difference::subject).contains("toolstack");
      assertThat(r.differences().get(0).values()).containsEntry(BLADE2, "(none)");
      assertThat(r.facts().get(BLADE2).problems()).anyMatch(p -> p.startsWith("no toolstack"));
      // its bridges and maps were still read
      assertThat(r.facts().get(BLADE2).bridges()).containsKey(InterfaceName.of("xenbr0"));
    }
  }

  @Test
  void aBladeThatDoesNotAnswerIsNamedNotComparedAsEmpty() {
    try (Blades b = Blades.of(dir, 2)) {
      b.sim.decorate("blade2", r -> command -> {
        try {
          Thread.sleep(30_000); // a hung host: only the chassis's timeout ends this
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new dev.midplane.core.CommandFailedException("blade2", command.argv(), java.util.OptionalInt.empty(), "",
              "was interrupted", e);
        }
        return r.run(command);
      });
      HomogeneityReport r = b.xc().withTimeout(java.time.Duration.ofMillis(800)).homogeneity();
      assertThat(r.unreadable()).containsOnlyKeys(BLADE2);
      assertThat(r.unreadable().get(BLADE2)).contains("did not finish within 800 ms");
      assertThat(r.facts()).containsOnlyKeys(BLADE1);
      assertThat(r.isHomogeneous()).isFalse();
    }
  }

  /** Writes the multipath.conf that {@code luns} generate onto a blade. */
  private static void configure(Blades b, String blade, Lun... luns) {
    LunInventory.of(List.of(luns)).toConfig(MultipathConfig.empty()).writeTo(b.sim.host(blade).path("/etc/multipath.conf"));
  }

  @Test
  void eachBladesMultipathConfIsHeldAgainstTheInventoryAndNamesTheVmsItBlocks() throws Exception {
    try (Blades b = Blades.of(dir, 4)) {
      Wwid w1 = b.sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
      Wwid w2 = b.sim.provisionLun(MultipathAlias.of("vm2"), 4L << 30);
      Wwid other = b.sim.san().createLun(1L << 30);
      Lun lun1 = Lun.diskOf(VM1, w1);                         // the inventory names vm1's VM
      Lun lun2 = Lun.of(MultipathAlias.of("vm2"), w2);        // vm2's VM is known only from what runs
      LunInventory inventory = LunInventory.of(List.of(lun1, lun2));
      Path file = dir.resolve("luns");
      inventory.write(file);
      configure(b, "blade1", lun1, lun2);                    // as the inventory says
      configure(b, "blade2", lun1);                          // vm2's WWID blacklisted, no alias
      configure(b, "blade3", Lun.of(MultipathAlias.of("vm1b"), w1), Lun.of(MultipathAlias.of("vm1"), other), lun2);
      Files.delete(b.sim.host("blade4").path("/etc/multipath.conf")); // the maps stay, nothing would bring them back
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm1", 1, "xenbr1")));
      Xen.on(b.sim.host("blade1")).create(VifNames.assign(Blades.unlocked("vm2", 2, "xenbr0")));

      assertThat(b.xc().homogeneity().inventoryGaps()).as("no inventory given: not compared").isEmpty();
      HomogeneityReport r = b.xc().withInventory(file).homogeneity();

      assertThat(r.differences()).isEmpty();
      assertThat(r.isHomogeneous()).isFalse();
      assertThat(r.inventoryGaps()).extracting(InventoryGap::host, g -> g.lun().alias().value(), InventoryGap::kind,
          InventoryGap::blocks).containsExactly(
              org.assertj.core.groups.Tuple.tuple(BLADE2, "vm2", InventoryGap.Kind.BLACKLISTED, List.of(VM2)),
              org.assertj.core.groups.Tuple.tuple(BLADE2, "vm2", InventoryGap.Kind.NO_ALIAS, List.of(VM2)),
              org.assertj.core.groups.Tuple.tuple(BLADE3, "vm1", InventoryGap.Kind.OTHER_ALIAS, List.of(VM1)),
              org.assertj.core.groups.Tuple.tuple(BLADE3, "vm1", InventoryGap.Kind.ALIAS_TAKEN, List.of(VM1)),
              org.assertj.core.groups.Tuple.tuple(BLADE4, "vm1", InventoryGap.Kind.NO_CONFIG, List.of(VM1)),
              org.assertj.core.groups.Tuple.tuple(BLADE4, "vm2", InventoryGap.Kind.NO_CONFIG, List.of(VM2)));
      assertThat(r.inventoryGaps().get(0).detail()).isEqualTo("blade2 blacklists LUN " + w2 + " (vm2) (wwid \".*\") and no "
          + "blacklist_exceptions wwid admits it");
      assertThat(r.inventoryGaps().get(2).detail()).isEqualTo("blade3 names the map of LUN " + w1 + " (vm1) vm1b, the inventory vm1");
      assertThat(r.inventoryGaps().get(3).detail()).isEqualTo("blade3 gives the alias vm1 to WWID " + other + ", the inventory to "
          + w1);

      HomogeneityReport.VmMobility vm1 = r.vms().stream().filter(v -> v.vm().equals(VM1)).findFirst().orElseThrow();
      assertThat(vm1.blocked().keySet()).containsExactly(BLADE3, BLADE4);
      assertThat(vm1.blocked().get(BLADE3)).extracting(Blocker::kind)
          .containsExactly(Blocker.Kind.MULTIPATH_CONFIG, Blocker.Kind.MULTIPATH_CONFIG);
      assertThat(vm1.blocked().get(BLADE4)).extracting(Blocker::detail)
          .containsExactly("blade4 has no /etc/multipath.conf: nothing admits LUN " + w1 + " (vm1) or names its map");
      HomogeneityReport.VmMobility vm2 = r.vms().stream().filter(v -> v.vm().equals(VM2)).findFirst().orElseThrow();
      assertThat(vm2.blocked().keySet()).containsExactly(BLADE2, BLADE4);
      assertThat(r.toString()).contains("6 gap(s) against the LUN inventory")
          .contains("(blocks [vm2] there)");
    }
  }

  /**
   * The report on two blades with vm1's LUN inventoried: blade1's file generated from the
   * inventory, blade2's the text {@code blade2} gives for the LUN.
   */
  private HomogeneityReport withBlade2Saying(Blades b, java.util.function.Function<Lun, String> blade2) {
    Wwid w1 = b.sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
    Lun lun1 = Lun.diskOf(VM1, w1);
    Path file = dir.resolve("luns");
    LunInventory.of(List.of(lun1)).write(file);
    configure(b, "blade1", lun1);
    dev.midplane.core.files.AtomicFiles.write(b.sim.host("blade2").path("/etc/multipath.conf"), blade2.apply(lun1));
    return b.xc().withInventory(file).homogeneity();
  }

  @Test
  void aConfigThatCannotBeParsedIsAGapForEveryLunNotAnEmptyConfig() {
    try (Blades b = Blades.of(dir, 2)) {
      HomogeneityReport r = withBlade2Saying(b, lun -> "defaults {\n  user_friendly_names no\n");
      assertThat(r.inventoryGaps()).singleElement().satisfies(g -> {
        assertThat(g.host()).isEqualTo(BLADE2);
        assertThat(g.kind()).isEqualTo(InventoryGap.Kind.UNREADABLE_CONFIG);
        assertThat(g.blocks()).containsExactly(VM1);
        assertThat(g.detail()).startsWith("blade2's /etc/multipath.conf cannot be read (");
      });
      assertThat(r.facts().get(BLADE2).multipathConfig()).isEmpty();
      assertThat(r.facts().get(BLADE2).problems()).anyMatch(p -> p.startsWith("/etc/multipath.conf: "));
      assertThat(r.facts().get(BLADE1).multipathConfig()).isPresent();
    }
  }

  @Test
  void anInventoryFileThatIsNotThereIsAnErrorNotAnEmptyInventory() {
    try (Blades b = Blades.of(dir, 2)) {
      Path missing = dir.resolve("no-such-luns");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.xc().withInventory(missing).homogeneity())
          .isInstanceOf(dev.midplane.core.NotFoundException.class).hasMessageContaining(missing.toString());
    }
  }

  @Test
  void blacklistExpressionsAreMatchedAsMultipathReadsThem() {
    // the multipath module decides (MultipathConfig.admission); these are the cases the report relies on
    assertThat(Blacklist.matches(".*", "3600a0b800026b2820000004d4d2f6b4b")).isTrue();
    assertThat(Blacklist.matches("^3600a0b8[[:xdigit:]]+$", "3600a0b800026b2820000004d4d2f6b4b")).isTrue();
    assertThat(Blacklist.matches("^3600a0b8[[:digit:]]+$", "3600a0b800026b2820000004d4d2f6b4b")).isFalse();
    assertThat(Blacklist.matches("^36005", "3600a0b800026b2820000004d4d2f6b4b")).isFalse();
  }

  @Test
  void aFileMultipathToolsWouldRefuseWholeIsAGapForEveryLun() {
    try (Blades b = Blades.of(dir, 2)) {
      HomogeneityReport r = withBlade2Saying(b, lun -> LunInventory.of(List.of(lun)).toConfig(MultipathConfig.empty()).write()
          + "blacklist {\n\twwid \"(\"\n}\n");
      assertThat(r.inventoryGaps()).singleElement().satisfies(g -> {
        assertThat(g.host()).isEqualTo(BLADE2);
        assertThat(g.kind()).isEqualTo(InventoryGap.Kind.UNREADABLE_CONFIG);
        assertThat(g.detail()).startsWith("blade2's /etc/multipath.conf is refused by multipath-tools (")
            .contains("unmatched '('").endsWith("): it admits no LUN, not LUN " + g.lun().wwid() + " (vm1)");
      });
    }
  }
}
