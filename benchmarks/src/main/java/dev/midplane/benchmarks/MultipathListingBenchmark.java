package dev.midplane.benchmarks;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.topology.CheckerState;
import dev.midplane.multipath.topology.DeviceState;
import dev.midplane.multipath.topology.DisplayedSize;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.multipath.topology.PathGroupState;
import dev.midplane.multipath.topology.PathState;
import dev.midplane.multipath.topology.WriteProtect;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing {@code multipath -ll} of many maps with four paths each (two path groups of two, as a
 * dual-fabric FC LUN shows), the text written by the module's own writer of the 0.9 tree layout.
 *
 * <p>Reports, per map count: operations per second (one parse of the whole listing) and, as the
 * auxiliary counter {@code bytes}, the bytes parsed per second (MB/s). {@code lineScan} is the
 * baseline measured in the same run: splitting the same text into lines and summing their lengths,
 * the least any line parser must do. Linear scaling shows as a constant time per map across
 * 1,024, 4,096 and 16,384 maps.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MultipathListing</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MultipathListingBenchmark {
  @Param({"1024", "4096", "16384"})
  public int maps;

  String text;
  long bytes;

  /** Bytes parsed, reported by JMH as a rate next to the operations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void generate() {
    text = MultipathListing.format(listing(maps), MultipathListing.Layout.TREE);
    bytes = text.getBytes(StandardCharsets.UTF_8).length;
    MultipathListing check = MultipathListing.parse(text);
    if (check.maps().size() != maps || check.maps().get(maps - 1).paths().size() != 4) {
      throw new IllegalStateException("the generated listing does not read back");
    }
  }

  /** {@code n} maps like the lab's, with NAA WWIDs, VM aliases, 4 paths over 2 hosts and 2 targets. */
  static List<MapTopology> listing(int n) {
    List<MapTopology> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String wwid = String.format("3600a0b800026b282%015x", i);
      MapTopology.Builder m = MapTopology.builder()
          .name(MapName.of(MultipathAlias.of("vm-" + i)))
          .wwid(Wwid.of(wwid))
          .sysfsName("dm-" + i)
          .vendor("IBM").product("2145")
          .size(DisplayedSize.of((long) (i % 512 + 1) << 30))
          .features("1 queue_if_no_path").hardwareHandler("1 alua").writeProtect(WriteProtect.RW);
      for (int g = 0; g < 2; g++) {
        PathGroup.Builder pg = PathGroup.builder().number(g + 1).selector("service-time 0")
            .priority(g == 0 ? 50 : 10).state(g == 0 ? PathGroupState.ACTIVE : PathGroupState.ENABLED);
        for (int h = 0; h < 2; h++) {
          int index = i * 4 + g * 2 + h;
          pg.addPaths(MultipathPath.builder()
              .hctl(Hctl.of(h + 1, 0, g, i))
              .device(BlockDeviceName.of(deviceName(index)))
              .deviceNumber(new DevNumber(8 + (index / 16) % 4000, (index % 16) * 16))
              .dmState(PathState.ACTIVE).checkerState(CheckerState.READY).deviceState(DeviceState.RUNNING)
              .build());
        }
        m.addPathGroups(pg.build());
      }
      list.add(m.build());
    }
    return list;
  }

  /** sda … sdz, sdaa … as the kernel names SCSI disks. */
  static String deviceName(int index) {
    StringBuilder b = new StringBuilder();
    int n = index;
    do {
      b.insert(0, (char) ('a' + n % 26));
      n = n / 26 - 1;
    } while (n >= 0);
    return "sd" + b;
  }

  @Benchmark
  public MultipathListing parse(Volume volume) {
    volume.bytes += bytes;
    return MultipathListing.parse(text);
  }

  @Benchmark
  public long lineScan(Volume volume) {
    volume.bytes += bytes;
    return text.lines().mapToLong(String::length).sum();
  }
}
