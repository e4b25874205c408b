package dev.midplane.benchmarks;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.sysfs.DiscoveryStats;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.sim.SimulatedKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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
 * Storage discovery of a simulated blade with 1,024 and 16,384 SCSI paths (4 per LUN, a multipath
 * map per LUN), against {@code lsscsi -k -s} reading the same tree in the same run — the baseline
 * the SDK is measured against ({@code -k} prints kernel names instead of searching the real
 * {@code /dev} for each device, work discovery does not do): report {@code lsscsi / discover} per
 * size, and {@code discover / paths} to show the time per path is flat. The setup prints the
 * file-system operations per path. Trees are built on {@code /dev/shm} when there is one: sysfs is
 * in memory too.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Discovery
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DiscoveryBenchmark {
  @Param({"1024", "16384"})
  public int paths;

  private Path root;
  private SimulatedKernel kernel;
  private Command lsscsi;
  private final LocalCommandRunner runner = new LocalCommandRunner();

  @Setup(Level.Trial)
  public void build() throws IOException {
    // sysfs lives in memory; so does the simulated one here, when the machine has a tmpfs
    Path shm = Path.of("/dev/shm");
    root = Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "midplane-discovery-bench") : Files.createTempDirectory("midplane-discovery-bench");
    long t0 = System.nanoTime();
    kernel = DiscoveryTrees.build(root, paths);
    long built = System.nanoTime() - t0;
    Topology t = Sysfs.on(kernel.host()).discover().network(false).trackDuplicateReads(true).call();
    if (t.paths().size() != paths || t.stats().duplicateReads() != 0 || !t.skipped().isEmpty()) {
      throw new IllegalStateException("unexpected discovery: " + t.paths().size() + " paths, " + t.stats());
    }
    DiscoveryStats s = t.stats();
    System.out.printf(Locale.ROOT, "%n[discovery] %d paths, %d maps, tree built in %.1f s: per path %.2f file reads, "
            + "%.2f link reads, %.3f listings, %.2f absent files, %.2f operations in all; duplicates %d%n",
        paths, t.multipathMaps().size(), built / 1e9, s.fileReads() / (double) paths, s.linkReads() / (double) paths,
        s.directoryListings() / (double) paths, s.absentFiles() / (double) paths, s.operations() / (double) paths,
        s.duplicateReads());
    lsscsi = Command.builder("lsscsi", "--sysfsroot=" + root.resolve("sys"), "-k", "-s")
        .timeout(Duration.ofMinutes(5)).build();
  }

  @TearDown(Level.Trial)
  public void remove() {
    DiscoveryTrees.delete(root);
  }

  /** Warm in-process discovery of every path, map and host, with the default threads. */
  @Benchmark
  public Topology discover() {
    return Sysfs.on(kernel.host()).discover().network(false).call();
  }

  /** The same on one thread. */
  @Benchmark
  public Topology discoverSequential() {
    return Sysfs.on(kernel.host()).discover().network(false).parallelism(1).call();
  }

  /** {@code lsscsi -k -s} on the same tree: a whole process, as a tool would run it. */
  @Benchmark
  public int lsscsi() {
    CommandResult r = runner.run(lsscsi);
    if (r.exitCode() != 0 || r.stdout().isEmpty()) {
      throw new IllegalStateException("lsscsi failed: " + r.stderr());
    }
    return r.stdout().length();
  }
}
