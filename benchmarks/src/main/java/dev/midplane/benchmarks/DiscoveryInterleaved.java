package dev.midplane.benchmarks;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The discovery-versus-lsscsi ratio measured A/B, round after round, so that load from other work
 * on a shared machine hits both sides alike (the JMH benchmark runs each side in its own
 * iterations). Each round times sequential discovery, parallel discovery and {@code lsscsi -k -s}
 * on the same tree, after warm-up rounds; it prints the medians and the median of the per-round
 * ratios.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.midplane.benchmarks.DiscoverySyscalls build /dev/shm/t 16384
 * java -cp benchmarks/target/benchmarks.jar dev.midplane.benchmarks.DiscoveryInterleaved /dev/shm/t 20
 * </pre>
 */
public final class DiscoveryInterleaved {
  private DiscoveryInterleaved() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Host host = Host.simulated("bench", root, new SimulatedRunner("bench"));
    LocalCommandRunner runner = new LocalCommandRunner();
    Command lsscsi = Command.builder("lsscsi", "--sysfsroot=" + root.resolve("sys"), "-k", "-s")
        .timeout(Duration.ofMinutes(5)).build();
    List<Double> seq = new ArrayList<>();
    List<Double> par = new ArrayList<>();
    List<Double> ls = new ArrayList<>();
    List<Double> ratioSeq = new ArrayList<>();
    List<Double> ratioPar = new ArrayList<>();
    int paths = 0;
    for (int i = 0; i < rounds + 5; i++) {
      long t0 = System.nanoTime();
      Topology a = Sysfs.on(host).discover().network(false).parallelism(1).call();
      long t1 = System.nanoTime();
      Topology b = Sysfs.on(host).discover().network(false).call();
      long t2 = System.nanoTime();
      CommandResult r = runner.run(lsscsi);
      long t3 = System.nanoTime();
      if (r.exitCode() != 0 || !a.equals(b)) {
        throw new IllegalStateException("lsscsi failed or discoveries differ: " + r.stderr());
      }
      paths = a.paths().size();
      if (System.getProperty("rounds.verbose") != null) {
        System.out.printf(Locale.ROOT, "round %d: sequential %.1f ms, parallel %.1f ms, lsscsi %.1f ms%n",
            i, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
      }
      if (i >= 5) {
        seq.add((t1 - t0) / 1e6);
        par.add((t2 - t1) / 1e6);
        ls.add((t3 - t2) / 1e6);
        ratioSeq.add((double) (t3 - t2) / (t1 - t0));
        ratioPar.add((double) (t3 - t2) / (t2 - t1));
      }
    }
    System.out.printf(Locale.ROOT, "%d paths, %d rounds (medians): sequential discovery %.1f ms (%.1f us/path), "
            + "parallel (%d threads) %.1f ms (%.1f us/path), lsscsi -k -s %.1f ms; lsscsi/sequential %.2f, lsscsi/parallel %.2f%n",
        paths, rounds, median(seq), median(seq) * 1000 / paths, Sysfs.DEFAULT_PARALLELISM, median(par),
        median(par) * 1000 / paths, median(ls), median(ratioSeq), median(ratioPar));
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
