package dev.midplane.examples;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.examples.demo.Demo;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.xen.chassis.MigrationOutcome;
import dev.midplane.xen.chassis.XenChassis;
import java.io.PrintStream;

/**
 * Live migration between the blades of the embedded chassis, where web01 and db01 run on blade1:
 * web01's preflight is clear and it moves to blade2 with its anti-spoofing rules and its
 * placement; db01's is blocked, every reason listed, and db01 stays where it is.
 *
 * <pre>
 * java -cp "$(./midplane classpath)" dev.midplane.examples.Migration
 * </pre>
 */
public final class Migration {
  private Migration() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) {
    try (DemoChassis chassis = Demo.prepared()) {
      XenChassis xen = chassis.xen();
      DomainName web01 = DomainName.of("web01");
      DomainName db01 = DomainName.of("db01");
      HostName blade2 = HostName.of("blade2");

      out.println(xen.preflight(web01, blade2));
      MigrationOutcome o = xen.migrate(web01, blade2).progress(e -> out.println("  xl: " + e.line())).call();
      out.print(o.report());
      out.println("web01 runs on " + xen.whereIs(web01).runningOn() + ", placed on " + xen.placement().hostOf(web01).orElseThrow());

      try {
        xen.migrate(db01, blade2).call();
      } catch (UnsafeOperationException e) {
        out.println("refused to " + e.operation() + ":");
        e.reasons().forEach(r -> out.println("  - " + r));
      }
      out.println("db01 runs on " + xen.whereIs(db01).runningOn());
    }
  }
}
