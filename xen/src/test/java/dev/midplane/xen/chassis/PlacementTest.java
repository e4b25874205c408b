package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.xen.Xen;
import dev.midplane.xen.config.VifSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placement that survives reboots: each blade starts exactly its VMs, and never one that runs (or may run) elsewhere. */
class PlacementTest {
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");
  private static final HostName BLADE3 = HostName.of("blade3");

  @TempDir
  Path dir;
  private Blades b;
  private XenChassis xc;

  @BeforeEach
  void setUp() {
    b = Blades.of(dir, 3);
    for (int i = 1; i <= 4; i++) {
      b.sim.provisionLun(MultipathAlias.of("vm" + i), 4L << 30);
      b.xc().profiles().save(Blades.unlocked("vm" + i, i, i % 2 == 0 ? "xenbr0" : "xenbr1"));
    }
    xc = b.xc();
    xc.placement().place(vm(1), BLADE1);
    xc.placement().place(vm(2), BLADE1);
    xc.placement().place(vm(3), BLADE2);
    xc.placement().place(vm(4), BLADE3);
  }

  @AfterEach
  void tearDown() {
    b.close();
  }

  private static DomainName vm(int i) {
    return DomainName.of("vm" + i);
  }

  private List<DomainName> running(String blade) {
    return Xen.on(b.sim.host(blade)).domains().stream().map(d -> d.name()).toList();
  }

  @Test
  void aBladeStartsExactlyItsVmsAndAgainAfterAReboot() {
    StartReport r = xc.placement().startAllFor(BLADE1);
    assertThat(r.started()).containsExactly(vm(1), vm(2));
    assertThat(r.allRunning()).isTrue();
    assertThat(running("blade1")).containsExactly(vm(1), vm(2));
    assertThat(running("blade2")).isEmpty();

    // a second run starts nothing
    assertThat(xc.placement().startAllFor(BLADE1).with(StartReport.Outcome.ALREADY_RUNNING)).containsExactly(vm(1), vm(2));

    b.sim.reboot("blade1");
    assertThat(running("blade1")).isEmpty();
    assertThat(xc.placement().startAllFor(BLADE1).started()).containsExactly(vm(1), vm(2));
    assertThat(running("blade1")).containsExactly(vm(1), vm(2));
    // started from their profiles: the stable vif names and the profiles' MACs
    assertThat(b.sim.kernel("blade1").net().link(InterfaceName.of("vm1-0"))).isPresent();
  }

  @Test
  void aVmRunningElsewhereIsNeverStartedAgain() {
    xc.placement().startAllFor(BLADE2);
    // an operator moved vm3's entry to blade1 while it still runs on blade2
    xc.placement().place(vm(3), BLADE1);
    StartReport r = xc.placement().startAllFor(BLADE1);
    assertThat(r.started()).containsExactly(vm(1), vm(2));
    assertThat(r.refused()).singleElement().satisfies(v -> {
      assertThat(v.vm()).isEqualTo(vm(3));
      assertThat(v.detail()).isEqualTo("it is on blade2 (-b----)");
    });
    assertThat(running("blade1")).doesNotContain(vm(3));
    assertThat(b.sim.kernel("blade2").deviceMapper().device("vm3").orElseThrow().openCount()).isEqualTo(1);
    assertThat(b.sim.kernel("blade1").deviceMapper().device("vm3").orElseThrow().openCount()).isZero();
  }

  @Test
  void aBladeThatDoesNotAnswerMightRunTheVmUnlessTheCallerVouchesItIsDown() {
    RecordingRunner blade3 = RecordingRunner.wrapping(b.sim.kernel("blade3").runner());
    b.sim.decorate("blade3", r -> blade3);
    blade3.on("xl").fault(Fault.timeout());
    XenChassis now = b.xc();

    StartReport r = now.placement().startAllFor(BLADE1);
    assertThat(r.started()).isEmpty();
    assertThat(r.refused()).extracting(StartReport.VmStart::vm).containsExactly(vm(1), vm(2));
    assertThat(r.refused().get(0).detail()).startsWith("blade3 did not answer (").contains("vouch that blade3 is down");
    assertThat(running("blade1")).isEmpty();

    assertThat(now.placement().startAllFor(BLADE1, List.of(BLADE3)).started()).containsExactly(vm(1), vm(2));
  }

  @Test
  void aVmWithoutProfileIsRefusedAndAFailedStartIsRolledBack() throws Exception {
    xc.placement().place(DomainName.of("ghost"), BLADE2);
    // vm3's bridge is gone on blade2: its start fails after the domain was created paused
    b.sim.kernel("blade2").net().delete(InterfaceName.of("xenbr1"));
    StartReport r = xc.placement().startAllFor(BLADE2);
    assertThat(r.refused()).extracting(StartReport.VmStart::vm).containsExactly(DomainName.of("ghost"));
    assertThat(r.refused().get(0).detail()).startsWith("it has no profile in ");
    assertThat(r.failed()).singleElement().satisfies(v -> {
      assertThat(v.vm()).isEqualTo(vm(3));
      assertThat(v.detail()).contains("Could not find bridge device xenbr1");
    });
    assertThat(running("blade2")).isEmpty();
    assertThat(b.sim.kernel("blade2").deviceMapper().device("vm3").orElseThrow().openCount()).isZero();
    assertThat(r.allRunning()).isFalse();
  }

  @Test
  void thePlacementFileIsReadableAndKeepsItsPreviousVersion() throws Exception {
    Path file = xc.placement().file();
    assertThat(Files.readString(file)).isEqualTo("""
        # midplane placement: <vm> <host>, one per line; the host starts the VM at boot
        vm1 blade1
        vm2 blade1
        vm3 blade2
        vm4 blade3
        """);
    assertThat(Files.readString(file.resolveSibling("placement.bak"))).doesNotContain("vm4");
    assertThat(xc.placement().move(vm(4), BLADE1, BLADE2)).isFalse();
    assertThat(xc.placement().move(vm(4), BLADE3, BLADE2)).isTrue();
    assertThat(xc.placement().vmsOn(BLADE2)).containsExactly(vm(3), vm(4));
    xc.placement().unplace(vm(4));
    assertThat(xc.placement().hostOf(vm(4))).isEmpty();
    assertThatThrownBy(() -> xc.placement().place(vm(4), HostName.of("blade9"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void profilesAreVersionedAndTheirVifNamesBelongToOneVm() {
    Profiles p = xc.profiles();
    VmProfile v1 = p.require(vm(1));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.config().vifs()).extracting(VifSpec::vifname).containsExactly(Optional.of(InterfaceName.of("vm1-0")));
    assertThat(p.save(Blades.unlocked("vm1", 1, "xenbr1"))).isEqualTo(v1);

    VmProfile v2 = p.save(Blades.unlocked("vm1", 1, "xenbr1").withMemoryMib(1024));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(p.versions(vm(1))).containsExactly(1);
    assertThat(p.version(vm(1), 1).memoryMib()).hasValue(512);
    assertThat(p.version(vm(1), 2).memoryMib()).hasValue(1024);
    assertThatThrownBy(() -> p.version(vm(1), 7)).isInstanceOf(NotFoundException.class).hasMessageContaining("versions kept: [1]");

    assertThatThrownBy(() -> p.save(Blades.unlocked("vm5", 5, "xenbr0").withVifs(List.of(VifSpec.parse(
        "mac=00:16:3e:00:01:05, bridge=xenbr0, vifname=vm2-0"))))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vifname vm2-0 of vm5 is already used by the profile of vm2");
    assertThat(p.get(vm(5))).isEmpty();

    p.remove(vm(1));
    assertThat(p.get(vm(1))).isEmpty();
    assertThat(p.versions(vm(1))).containsExactly(1, 2);
    assertThat(p.save(Blades.unlocked("vm1", 1, "xenbr1")).version()).isEqualTo(3);
    assertThat(p.names()).containsExactly(vm(1), vm(2), vm(3), vm(4));
  }
}
