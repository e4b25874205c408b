package dev.midplane.benchmarks;

import dev.midplane.core.Host;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import java.nio.file.Path;

/**
 * A small driver for counting system calls per path with {@code strace -c -f}: {@code build DIR
 * PATHS} writes a simulated tree (once, outside the measurement); {@code discover DIR N} discovers
 * it N times. The calls of one discovery are the difference between runs with N and N+k, over k.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.midplane.benchmarks.DiscoverySyscalls build /tmp/t 16384
 * strace -f -c -o n1.txt java -cp benchmarks.jar dev.midplane.benchmarks.DiscoverySyscalls discover /tmp/t 1
 * strace -f -c -o n3.txt java -cp benchmarks.jar dev.midplane.benchmarks.DiscoverySyscalls discover /tmp/t 3
 * </pre>
 */
public final class DiscoverySyscalls {
  private DiscoverySyscalls() {}

  public static void main(String[] args) {
    if (args.length != 3 || !(args[0].equals("build") || args[0].equals("discover"))) {
      System.err.println("usage: DiscoverySyscalls build DIR PATHS | discover DIR N");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    if (args[0].equals("build")) {
      DiscoveryTrees.build(dir, n);
      return;
    }
    Host host = Host.simulated("bench", dir, new SimulatedRunner("bench"));
    int paths = 0;
    for (int i = 0; i < n; i++) {
      Topology t = Sysfs.on(host).discover().network(false).call();
      paths = t.paths().size();
    }
    System.out.println(paths + " paths discovered " + n + " times");
  }
}
