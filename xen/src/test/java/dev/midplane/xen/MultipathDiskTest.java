package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.MultipathDevice;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.sim.SimulatedXen;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multipath map made by the multipath module's handles, given to a guest by its handle: on
 * simulated blades with both the simulated multipath-tools and the simulated xl, which share the
 * kernel's device-mapper — so the guest's hold on the map shows in {@code dmsetup info}.
 */
class MultipathDiskTest {
  private static final long GIB = 1L << 30;

  @TempDir
  Path dir;
  private SimulatedSan san;
  private Blade blade1;
  private Blade blade2;

  /** A blade with multipath-tools and xl, and the multipath module over it. */
  private record Blade(SimulatedKernel kernel, RecordingRunner runner, Multipath multipath, Xen xen) {}

  private Blade blade(String name) {
    SimulatedKernel k = SimulatedKernel.blade(dir.resolve(name), HostName.of(name), san);
    SimulatedMultipathTools.install(k);
    SimulatedXen.install(k);
    RecordingRunner r = RecordingRunner.wrapping(k.runner());
    dev.midplane.core.Host host = k.host().withRunner(r);
    Multipath mp = Multipath.on(host).withInventory(dir.resolve("shared/luns")).withDeadline(Duration.ofMillis(300))
        .withSettleTime(Duration.ZERO);
    return new Blade(k, r, mp, Xen.on(host));
  }

  /** A LUN presented to both blades, made a map named {@code alias} on each. */
  private MultipathDevice lun(String alias) {
    Wwid w = san.createLun(4 * GIB);
    san.present(w, blade1.kernel().scsi().initiatorPorts());
    san.present(w, blade2.kernel().scsi().initiatorPorts());
    blade2.multipath().scan().call();
    blade2.multipath().create(MultipathAlias.of(alias), w).call();
    blade1.multipath().scan().call();
    return blade1.multipath().create(MultipathAlias.of(alias), w).call();
  }

  private static DomainConfig guest(String name) {
    return DomainConfig.parse("""
        name = "%s"
        type = "pvh"
        kernel = "/boot/vmlinuz-guest"
        memory = 512
        disk = [ 'phy:/dev/mapper/%s,xvda,w' ]
        vif = [ 'mac=00:16:3e:00:02:01, bridge=xenbr1' ]
        """.formatted(name, name), Dialect.XL, name + ".cfg");
  }

  @BeforeEach
  void blades() {
    san = SimulatedSan.create();
    blade1 = blade("blade1");
    blade2 = blade("blade2");
  }

  @Test
  void aFreeMapOfTheDomainsHostIsAttachedByItsAliasAndThenHeldByTheGuest() {
    lun("vm1");
    MultipathDevice data = lun("vm1-data");
    XenDomain vm1 = blade1.xen().create(guest("vm1"));
    assertThat(data.status().isOpen()).isFalse();

    vm1.attachDisk(data, "xvdb", DiskSpec.Access.READ_WRITE);
    assertThat(blade1.runner().commands()).anySatisfy(c -> {
      assertThat(c.argv()).hasSize(4).startsWith("xl", "block-attach", "vm1");
      assertThat(DiskSpec.parse(c.argv().get(3))).isEqualTo(DiskSpec.multipath(MultipathAlias.of("vm1-data"), "xvdb",
          DiskSpec.Access.READ_WRITE));
    });
    assertThat(vm1.disks()).extracting(d -> d.vdevName().orElseThrow()).containsExactly("xvda", "xvdb");
    assertThat(data.status().openCount()).isEqualTo(1);
  }

  @Test
  void aMapInUseOrOnAnotherHostIsRefusedWithEveryReasonBeforeXlRuns() {
    lun("vm1");
    lun("vm2");
    MultipathDevice shared = lun("shared");
    XenDomain vm1 = blade1.xen().create(guest("vm1"));
    XenDomain vm2 = blade1.xen().create(guest("vm2"));
    vm1.attachDisk(shared, "xvdb", DiskSpec.Access.READ_WRITE);
    int before = blade1.runner().commandCount();

    assertThatThrownBy(() -> vm2.attachDisk(shared, "xvdb", DiskSpec.Access.READ_WRITE))
        .isInstanceOfSatisfying(UnsafeOperationException.class, e -> assertThat(e.reasons()).singleElement()
            .asString().startsWith("the map is in use on blade1 (open count 1"));
    MultipathDevice onBlade2 = blade2.multipath().device(MultipathAlias.of("shared"));
    assertThatThrownBy(() -> vm2.attachDisk(onBlade2, "xvdc", DiskSpec.Access.READ_WRITE))
        .isInstanceOfSatisfying(UnsafeOperationException.class, e -> assertThat(e.reasons())
            .containsExactly("the map is on blade2, the domain on blade1"));
    assertThat(blade1.runner().commands().subList(before, blade1.runner().commandCount()))
        .noneMatch(c -> c.argv().contains("block-attach"));
    assertThat(vm2.disks()).extracting(d -> d.vdevName().orElseThrow()).containsExactly("xvda");

    assertThatThrownBy(() -> vm2.attachDisk(blade1.multipath().device(MultipathAlias.of("gone")), "xvdb",
        DiskSpec.Access.READ_WRITE)).isInstanceOf(NotFoundException.class).hasMessageContaining("gone");
    assertThat(blade1.xen().domain(DomainName.of("vm2")).exists()).isTrue();

    // a cluster file system's disk is shared on purpose
    vm2.attachDisk(shared, "xvdb", DiskSpec.Access.SHARED_WRITE);
    assertThat(shared.status().openCount()).isEqualTo(2);
  }
}
