package dev.midplane.examples;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.multipath.MultipathDevice;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import java.io.PrintStream;
import java.util.List;

/**
 * Growing a VM's LUN live, on the embedded chassis: the array grows the LUN, then on each blade
 * the multipath module's resize plan rescans every path of the map and resizes the map only when
 * every path reports the size the array gave it — a wrong size is refused, so a map never claims
 * more than every path can serve.
 *
 * <pre>
 * java -cp "$(./midplane classpath)" dev.midplane.examples.LunGrow
 * </pre>
 */
public final class LunGrow {
  private static final long GIB = 1L << 30;

  private LunGrow() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) {
    try (DemoChassis chassis = DemoChassis.create()) {
      MultipathAlias web01 = MultipathAlias.of("web01");
      Wwid wwid = chassis.provisionLun(web01, 20 * GIB);
      out.println("provisioned: " + describe(chassis, web01));

      chassis.san().grow(wwid, 30 * GIB);
      out.println("array grew the LUN to 30 GiB: " + describe(chassis, web01));

      MultipathDevice onBlade1 = chassis.multipath("blade1").device(web01);
      out.print(onBlade1.resize().toSize(30 * GIB).plan().dryRun());
      for (String blade : List.of("blade1", "blade2")) {
        MultipathDevice map = chassis.multipath(blade).device(web01);
        try {
          map.resize().toSize(32 * GIB).call();
        } catch (PlanFailedException e) {
          out.println(blade + ": refused to grow to 32 GiB, rolled back: "
              + (e.getCause() instanceof UnsafeOperationException u ? u.reasons() : e.getMessage()));
        }
        out.println(blade + ": resized to " + map.resize().toSize(30 * GIB).call().sizeBytes() / GIB + " GiB");
      }
      out.println("rescanned and resized: " + describe(chassis, web01));
    }
  }

  /** {@code blade1 20 GiB over 4 paths (paths 20 GiB), blade2 …}. */
  static String describe(DemoChassis chassis, MultipathAlias alias) {
    StringBuilder b = new StringBuilder();
    for (String blade : List.of("blade1", "blade2")) {
      Topology t = Sysfs.on(chassis.host(blade)).topology();
      var map = t.multipathMap(alias.value()).orElseThrow();
      List<Long> pathSizes = t.pathsTo(map.wwid()).stream().map(ScsiPath::sizeBytes).distinct().toList();
      b.append(b.length() == 0 ? "" : ", ").append(blade).append(" /dev/mapper/").append(alias).append(' ')
          .append(map.sizeBytes() / GIB).append(" GiB over ").append(map.paths().size()).append(" paths (paths ")
          .append(pathSizes.stream().map(s -> s / GIB + " GiB").toList()).append(')');
    }
    return b.toString();
  }
}
