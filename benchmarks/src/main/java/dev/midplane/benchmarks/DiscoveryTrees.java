package dev.midplane.benchmarks;

import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the simulated trees the discovery benchmarks read: a blade with two FC HBA ports, each
 * seeing two array ports, so every LUN has 4 paths, and one multipath map per LUN built on them —
 * {@code paths / 4} LUNs in all.
 */
final class DiscoveryTrees {
  private DiscoveryTrees() {}

  static SimulatedKernel build(Path root, int paths) {
    if (paths % 4 != 0) {
      throw new IllegalArgumentException("4 paths per LUN: " + paths);
    }
    SimulatedSan san = SimulatedSan.create();
    List<Wwid> luns = new ArrayList<>();
    for (int i = 0; i < paths / 4; i++) {
      luns.add(san.createLun(10L << 30));
    }
    SimulatedKernel k = SimulatedKernel.create(root, HostName.of("bench"), san);
    int a = k.scsi().addFcHba("A");
    int b = k.scsi().addFcHba("B");
    for (Wwid w : luns) {
      san.present(w, k.scsi().initiatorPorts());
    }
    Sysfs.on(k.host()).scan(a);
    Sysfs.on(k.host()).scan(b);
    Map<Wwid, StringBuilder> tables = new HashMap<>();
    for (SimulatedScsiDisk d : disks(k)) {
      tables.computeIfAbsent(d.wwid(), w -> new StringBuilder("0 1 alua 2 1 service-time 0 2 1"))
          .append(' ').append(d.dev()).append(" 1");
    }
    int i = 0;
    for (Wwid w : luns) {
      k.deviceMapper().create("vm-" + (i++), Optional.of(w.dmUuid()),
          SimulatedDeviceMapper.Table.of((10L << 30) / 512, "multipath", tables.get(w).toString()));
    }
    return k;
  }

  private record SimulatedScsiDisk(Wwid wwid, String dev) {}

  private static List<SimulatedScsiDisk> disks(SimulatedKernel k) {
    return k.scsi().disks().stream().map(d -> new SimulatedScsiDisk(d.wwid(), d.dev().toString())).toList();
  }

  static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
