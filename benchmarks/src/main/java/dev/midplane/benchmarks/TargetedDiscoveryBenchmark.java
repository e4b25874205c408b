package dev.midplane.benchmarks;

import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.sim.SimulatedKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the multipath lifecycle reads at each wait and check, one LUN, against the full storage
 * discovery it used to run, on the same simulated blade of 1,024 paths (256 LUNs of 4 paths, a
 * map each) in the same run: report {@code discover / lunPaths}, {@code discover / mapOf} and
 * {@code discover / lun} (paths, map and the map's holders: what {@code MultipathDevice.status()}
 * reads from sysfs). Both read in one thread, as a discovery of a remote host does.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TargetedDiscovery
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TargetedDiscoveryBenchmark {
  @Param({"1024"})
  public int paths;

  private Path root;
  private Sysfs sysfs;
  private Wwid lun;
  private String name;

  @Setup(Level.Trial)
  public void build() throws IOException {
    Path shm = Path.of("/dev/shm");
    root = Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "midplane-targeted-bench") : Files.createTempDirectory("midplane-targeted-bench");
    SimulatedKernel kernel = DiscoveryTrees.build(root, paths);
    sysfs = Sysfs.on(kernel.host());
    Topology t = sysfs.discover().network(false).parallelism(1).call();
    MultipathMap middle = t.multipathMaps().get(t.multipathMaps().size() / 2);
    lun = middle.wwid();
    name = middle.name();
    if (!sysfs.pathsTo(lun).equals(t.pathsTo(lun)) || !sysfs.multipathMapOf(lun).equals(t.multipathMapOf(lun))
        || sysfs.pathsTo(lun).size() != 4) {
      throw new IllegalStateException("the targeted read disagrees with the discovery on " + lun);
    }
  }

  @TearDown(Level.Trial)
  public void delete() {
    DiscoveryTrees.delete(root);
  }

  /** The baseline: every device of the host, in one thread. */
  @Benchmark
  public Topology discover() {
    return sysfs.discover().network(false).parallelism(1).call();
  }

  /** The LUN's paths only (what the resize's size check and the removal's checks read). */
  @Benchmark
  public List<ScsiPath> lunPaths() {
    return sysfs.pathsTo(lun);
  }

  /** The LUN's map only (what the waits for a map poll). */
  @Benchmark
  public Optional<MultipathMap> mapOf() {
    return sysfs.multipathMapOf(lun);
  }

  /** Map by name, its holders and the LUN's paths: the sysfs half of {@code MultipathDevice.status()}. */
  @Benchmark
  public int lun() {
    MultipathMap m = sysfs.multipathMap(name).orElseThrow();
    return sysfs.dmHoldersOf(m.device()).size() + sysfs.pathsTo(m.wwid()).size();
  }
}
