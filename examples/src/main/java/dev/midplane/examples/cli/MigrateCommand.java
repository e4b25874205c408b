package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.examples.demo.LockedMigration;
import dev.midplane.examples.demo.MigrationPreflight;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.Xen;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code midplane migrate DOMAIN --to HOST}: preflight, live migration (the domain arrives paused),
 * its vifs' anti-spoofing locks moved to the target before it runs, the old ones removed.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {
        "Migrate a running VM live to another blade, keeping its anti-spoofing.",
        "Runs the preflight first and refuses with every blocker; the VM arrives paused, its locked vifs are",
        "locked on the target with the same policy, then it is unpaused and the source's rules are removed.",
        "Without --host: the embedded chassis (web01 and db01 on blade1)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:migrated", "1:refused by the preflight, or the migration failed (the message says where it stopped)",
        "2:bad usage or bad input"})
final class MigrateCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--dry-run", description = "Run the preflight and print the migration command; change nothing.")
  private boolean dryRun;

  @Mixin
  private MoveOptions move;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Blades.Connected c = move.connect()) {
      Host target = move.target(c);
      Host source = move.source(c);
      DomainName domain = move.domain;
      LockedMigration m = LockedMigration.of(source, target, domain).progress(e -> {
        out.println("  " + e.line());
        out.flush();
      });
      if (dryRun) {
        MigrationPreflight.Result r = MigrationPreflight.check(source, target, domain);
        r.checks().forEach(out::println);
        out.println("would run on " + source.name() + ": $ " + m.command().command());
        out.flush();
        return r.ok() ? Midplane.OK : Midplane.FAILED;
      }
      out.println("migrating " + domain + " from " + source.name() + " to " + target.name() + ":");
      LockedMigration.Done done = m.call();
      out.println("locked on " + target.name() + " before it ran: " + done.lockedOnTarget()
          + "; removed from " + source.name() + ": " + done.unlockedOnSource());
      out.println(target.name() + " now runs it:");
      out.print(ToolstackOutputs.renderList(List.of(Xen.on(target).domain(domain).status())).replaceAll("(?m)^", "  "));
      out.println("done in " + done.migration().duration().toMillis() + " ms");
      out.flush();
      return Midplane.OK;
    }
  }
}
