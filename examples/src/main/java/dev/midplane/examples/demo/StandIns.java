package dev.midplane.examples.demo;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.dm.MultipathTable;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import java.util.List;
import java.util.Optional;

/**
 * What {@code multipathd} does to the kernel when it creates, resizes or flushes a map, done here
 * on the simulated kernel's device mapper with the multipath module's table model. These stand in
 * for the multipath module's simulated {@code multipath}/{@code multipathd}/{@code dmsetup} tools
 * and its {@code MultipathDevice} plans until they ship; the demo says so where it uses them.
 */
final class StandIns {
  private StandIns() {}

  /** The multipath table multipathd loads for these paths: one ALUA group, service-time. */
  static String table(List<ScsiPath> paths) {
    MultipathTable.Builder b = MultipathTable.builder().hardwareHandler("alua").initialGroup(1);
    b.addGroups(new MultipathTable.Group("service-time", List.of(), 2,
        paths.stream().map(p -> new MultipathTable.Path(p.dev(), List.of("1", "1"))).toList()));
    return b.build().render();
  }

  /** {@code multipath <wwid>}: the map {@code /dev/mapper/<alias>} over {@code paths}. */
  static void createMap(SimulatedKernel kernel, MultipathAlias alias, Wwid wwid, List<ScsiPath> paths) {
    long bytes = paths.get(0).sizeBytes();
    kernel.deviceMapper().create(alias.value(), Optional.of(wwid.dmUuid()),
        SimulatedDeviceMapper.Table.of(bytes / 512, "multipath", table(paths)));
  }

  /**
   * {@code multipathd resize map <alias>}: refuses when the paths disagree on the size (a path not
   * rescanned yet), then loads the table with the new size and swaps it in (suspend, resume).
   */
  static void resizeMap(SimulatedKernel kernel, String alias, List<ScsiPath> paths) {
    long bytes = paths.get(0).sizeBytes();
    List<String> disagree = paths.stream().filter(p -> p.sizeBytes() != bytes)
        .map(p -> p.device() + " reports " + Demo.size(p.sizeBytes()) + " but " + paths.get(0).device() + " "
            + Demo.size(bytes) + " (rescan every path first)").toList();
    if (!disagree.isEmpty()) {
      throw new UnsafeOperationException("resize map " + alias, disagree);
    }
    kernel.deviceMapper().load(alias, SimulatedDeviceMapper.Table.of(bytes / 512, "multipath", table(paths)));
    kernel.deviceMapper().suspend(alias);
    kernel.deviceMapper().resume(alias);
  }

  /** {@code multipath -f <alias>}: refuses while the map is open (a VM has it). */
  static void flushMap(SimulatedKernel kernel, String alias) {
    SimulatedDeviceMapper.Device d = kernel.deviceMapper().device(alias)
        .orElseThrow(() -> new dev.midplane.core.NotFoundException("multipath map", alias, "on " + kernel.name()));
    if (d.openCount() > 0) {
      throw new UnsafeOperationException("flush multipath map " + alias + " on " + kernel.name(),
          "the map is open (open count " + d.openCount() + "): a domain still uses /dev/mapper/" + alias);
    }
    kernel.deviceMapper().remove(alias);
  }
}
