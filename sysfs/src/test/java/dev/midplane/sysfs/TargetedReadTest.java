package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.sysfs.sim.SimulatedScsiDebug;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Sysfs#pathsTo}, {@link Sysfs#multipathMapOf} and {@link Sysfs#multipathMap} give, for
 * every LUN and every map name of a simulated host, exactly what a full discovery's
 * {@link Topology} gives for it: with and without udev, with maps missing, paths deleted under a
 * map, devices that are not multipath maps, and names no device has.
 */
class TargetedReadTest {
  @TempDir
  Path dir;

  private static final Wwid ABSENT = Wwid.of("36001405ffffffffffffffffffffffff0");

  /** Every WWID and name of {@code k} (and some absent), read both ways; the number of comparisons. */
  private static int assertSameAsTopology(SimulatedKernel k) {
    Sysfs sysfs = Sysfs.on(k.host());
    Topology t = sysfs.discover().network(false).call();
    Set<Wwid> wwids = new LinkedHashSet<>();
    t.paths().forEach(p -> p.wwid().ifPresent(wwids::add));
    t.multipathMaps().forEach(m -> wwids.add(m.wwid()));
    wwids.add(ABSENT);
    Set<String> names = new LinkedHashSet<>();
    t.dmDevices().forEach(d -> names.add(d.name()));
    names.add("vm-nowhere");
    int compared = 0;
    for (Wwid w : wwids) {
      assertThat(sysfs.pathsTo(w)).as("paths to " + w).isEqualTo(holdersSorted(t.pathsTo(w)));
      assertThat(sysfs.multipathMapOf(w)).as("map of " + w).isEqualTo(t.multipathMapOf(w));
      compared += 2;
    }
    for (String n : names) {
      assertThat(sysfs.multipathMap(n)).as("map named " + n).isEqualTo(t.multipathMap(n));
      assertThat(sysfs.dmDevice(n)).as("device named " + n)
          .isEqualTo(t.dmDevices().stream().filter(d -> d.name().equals(n)).findFirst());
      compared += 2;
    }
    for (BlockDevice b : t.blockDevices()) {
      assertThat(sysfs.dmHoldersOf(b.name())).as("holders of " + b.name()).isEqualTo(t.dmDevices().stream()
          .filter(d -> d.slaves().contains(b.name())).map(DmDevice::device).toList());
      compared++;
    }
    return compared;
  }

  /**
   * Discovery lists a path's holders in the order it met the devices in {@code /sys/dev/block}
   * (the directory's order); the targeted read sorts them. The same set either way.
   */
  private static List<ScsiPath> holdersSorted(List<ScsiPath> paths) {
    return paths.stream().map(p -> ScsiPath.builder().from(p)
        .holders(p.holders().stream().sorted(Discoverer::naturalOrder).toList()).build()).toList();
  }

  @Test
  void aBladeWithMapsReadsTheSameLunByLun() {
    SimulatedKernel k = DiscoveryTest.bladeWithMaps(dir, 3);
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    Wwid first = t.multipathMaps().get(0).wwid();
    assertThat(Sysfs.on(k.host()).pathsTo(first)).hasSize(4)
        .allSatisfy(p -> assertThat(p.holders()).containsExactly(t.multipathMaps().get(0).device()));
    assertThat(Sysfs.on(k.host()).multipathMap("vm-0")).get().extracting(MultipathMap::wwid).isEqualTo(first);
    assertThat(Sysfs.on(k.host()).pathsTo(ABSENT)).isEmpty();
    assertThat(assertSameAsTopology(k)).as("LUNs, names, block devices").isEqualTo(4 * 2 + 4 * 2 + (12 + 3));
  }

  @Test
  void aDeviceThatIsNotAMultipathMapIsNoMapByName() {
    SimulatedKernel k = DiscoveryTest.bladeWithMaps(dir, 1);
    k.deviceMapper().create("vg0-root", Optional.of("LVM-abcdef"),
        SimulatedDeviceMapper.Table.of(2048, "linear", "8:0 0"));
    k.deviceMapper().create("plain", Optional.empty(), SimulatedDeviceMapper.Table.of(2048, "zero", ""));
    assertThat(Sysfs.on(k.host()).multipathMap("vg0-root")).isEmpty();
    assertThat(Sysfs.on(k.host()).multipathMap("plain")).isEmpty();
    assertThat(Sysfs.on(k.host()).pathsTo(Sysfs.on(k.host()).multipathMap("vm-0").orElseThrow().wwid()).get(0).holders())
        .as("a path held by the map and by a linear device").hasSize(2);
    assertSameAsTopology(k);
  }

  @Test
  void pathsDeletedUnderTheMapAndLunsWithoutMaps() {
    SimulatedKernel k = DiscoveryTest.bladeWithMaps(dir, 2);
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    ScsiPath gone = t.pathsTo(t.multipathMaps().get(1).wwid()).get(0);
    Sysfs.on(k.host()).deleteEvenIfHeld(gone.device());
    k.deviceMapper().remove("vm-0");
    assertThat(Sysfs.on(k.host()).multipathMap("vm-0")).isEmpty();
    assertThat(Sysfs.on(k.host()).pathsTo(t.multipathMaps().get(0).wwid())).hasSize(4)
        .allSatisfy(p -> assertThat(p.holders()).isEmpty());
    assertThat(Sysfs.on(k.host()).pathsTo(gone.wwid().orElseThrow())).hasSize(3)
        .noneMatch(p -> p.device().equals(gone.device()));
    assertSameAsTopology(k);
  }

  @Test
  void withoutUdevTheSysfsWwidDecidesAsInDiscovery() {
    SimulatedSan san = SimulatedSan.create();
    Wwid w = san.createLun(Wwid.of("1Linux_scsi_debug_2000"), "naa.33333330000007d0", 64L << 20);
    SimulatedKernel k = SimulatedKernel.withoutUdev(dir, HostName.of("blade2"), san);
    int a = k.scsi().addFcHba("A");
    san.present(w, k.scsi().initiatorPorts());
    Sysfs.on(k.host()).scan(a);
    assertThat(Sysfs.on(k.host()).pathsTo(Wwid.of("333333330000007d0"))).hasSize(2);
    assertThat(Sysfs.on(k.host()).pathsTo(w)).as("the udev spelling is not what this host shows").isEmpty();
    assertSameAsTopology(k);
  }

  @Test
  void theLabsScsiDebugPreset() {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    assertThat(Sysfs.on(k.host()).pathsTo(SimulatedScsiDebug.wwid(0, 0))).hasSize(2);
    assertSameAsTopology(k);
  }

  /**
   * Any number of LUNs, some with maps, some paths deleted (held or not): every LUN and name reads
   * the same targeted as discovered.
   */
  @Property(tries = 25)
  void anyMixOfLunsMapsAndDeletedPaths(@ForAll @IntRange(min = 1, max = 5) int luns,
      @ForAll @IntRange(min = 0, max = 31) int unmappedBits, @ForAll @IntRange(min = 0, max = 1023) int deletedBits)
      throws IOException {
    Path root = Files.createTempDirectory("targeted");
    try {
      SimulatedKernel k = DiscoveryTest.bladeWithMaps(root, luns);
      for (int i = 0; i < luns; i++) {
        if ((unmappedBits & (1 << i)) != 0) {
          k.deviceMapper().remove("vm-" + i);
        }
      }
      List<ScsiPath> paths = Sysfs.on(k.host()).discover().network(false).call().paths();
      for (int i = 0; i < Math.min(10, paths.size()); i++) {
        if ((deletedBits & (1 << i)) != 0) {
          Sysfs.on(k.host()).deleteEvenIfHeld(paths.get(i).device());
        }
      }
      assertThat(assertSameAsTopology(k)).as("at least the absent LUN and name").isGreaterThanOrEqualTo(3);
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        List<Path> all = new ArrayList<>(s.toList());
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
