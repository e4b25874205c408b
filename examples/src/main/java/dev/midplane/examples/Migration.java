package dev.midplane.examples;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.examples.demo.Demo;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.examples.demo.LockedMigration;
import dev.midplane.examples.demo.MigrationPreflight;
import dev.midplane.xen.Xen;
import java.io.PrintStream;

/**
 * Live migration between the blades of the embedded chassis, where web01 and db01 run on blade1:
 * web01's preflight passes and it moves to blade2 with its anti-spoofing lock; db01's preflight
 * is refused with every blocker, and db01 stays where it is.
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
      Host blade1 = chassis.host("blade1");
      Host blade2 = chassis.host("blade2");
      DomainName web01 = DomainName.of("web01");
      DomainName db01 = DomainName.of("db01");

      LockedMigration.Done done = LockedMigration.of(blade1, blade2, web01)
          .progress(e -> out.println("  xl: " + e.line()))
          .call();
      out.println("web01 on blade2: " + Xen.on(blade2).domain(web01).exists()
          + ", on blade1: " + Xen.on(blade1).domain(web01).exists());
      out.println("locked on blade2 before it ran: " + done.lockedOnTarget() + " " + done.lockedBeforeRunning());

      MigrationPreflight.Result pre = MigrationPreflight.check(blade1, blade2, db01);
      try {
        pre.requireOk();
      } catch (UnsafeOperationException e) {
        out.println("refused to " + e.operation() + ":");
        e.reasons().forEach(r -> out.println("  - " + r));
      }
      out.println("db01 on blade1: " + Xen.on(blade1).domain(db01).exists());
    }
  }
}
