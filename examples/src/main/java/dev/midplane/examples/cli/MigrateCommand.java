package dev.midplane.examples.cli;

import dev.midplane.core.names.HostName;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.chassis.ChassisMigration;
import dev.midplane.xen.chassis.MigrationOutcome;
import dev.midplane.xen.chassis.XenChassis;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code midplane migrate DOMAIN --to HOST}: the xen module's chassis migration — preflight, then
 * a plan that locks the VM's vifs on the target before it runs there, migrates it, removes its
 * rules from the source and moves its placement.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {
        "Migrate a running VM live to another blade, with its anti-spoofing rules and its placement.",
        "Refused with every blocker unless the preflight is clear. The plan: lock its vifs on the target,",
        "migrate, check it runs there only, remove its rules from the source, move its placement.",
        "Without --host: the embedded chassis (web01 and db01 on blade1)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:migrated", "1:refused by the preflight, or the migration failed (the message says where the VM runs)",
        "2:bad usage or bad input"})
final class MigrateCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--dry-run", description = "Print the preflight and the plan; change nothing.")
  private boolean dryRun;

  @Mixin
  private MoveOptions move;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Blades.Connected c = move.connect()) {
      XenChassis xc = c.xen();
      HostName target = move.target(c);
      ChassisMigration m = xc.migrate(move.domain, target).progress(e -> {
        out.println("  " + e.line());
        out.flush();
      });
      if (dryRun) {
        out.print(m.dryRun());
        out.flush();
        return m.preflight().isClear() ? Midplane.OK : Midplane.FAILED;
      }
      out.println("migrating " + move.domain + " to " + target + ":");
      out.flush();
      MigrationOutcome o = m.call();
      out.print(o.report());
      o.notes().forEach(n -> out.println("note: " + n));
      out.println(target + " runs it now:");
      out.print(ToolstackOutputs.renderList(List.of(xc.xen(target).domain(move.domain).status())).replaceAll("(?m)^", "  "));
      out.flush();
      return Midplane.OK;
    }
  }
}
