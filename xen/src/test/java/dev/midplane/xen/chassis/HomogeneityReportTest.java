package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.Xen;
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
}
