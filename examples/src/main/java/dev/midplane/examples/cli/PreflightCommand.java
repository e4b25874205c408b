package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.examples.demo.MigrationPreflight;
import dev.midplane.examples.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code midplane preflight DOMAIN --to HOST}: whether a running domain can migrate there, every
 * check and every blocker. Exits 0 when nothing blocks, 1 when something does.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true,
    description = {
        "Check whether a running VM can migrate live to another blade; changes nothing.",
        "Every check runs and every blocker is listed: the VM runs at the source and not at the target, same",
        "toolstack, its bridges exist there, each disk's multipath map is there with the same WWID and size,",
        "the target has the memory. Without --host: the embedded chassis (web01 and db01 on blade1)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:nothing blocks the migration", "1:something does (listed), or a blade could not be read",
        "2:bad usage or bad input"})
final class PreflightCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print the checks as one JSON object.")
  private boolean json;

  @Mixin
  private MoveOptions move;

  /** The JSON of a preflight. */
  record View(String domain, String source, String target, boolean ok, java.util.List<MigrationPreflight.Check> checks) {}

  @Override
  public Integer call() {
    try (Blades.Connected c = move.connect()) {
      Host target = move.target(c);
      Host source = move.source(c);
      DomainName domain = move.domain;
      MigrationPreflight.Result r = MigrationPreflight.check(source, target, domain);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.line(new View(domain.value(), source.name().value(), target.name().value(), r.ok(), r.checks())));
      } else {
        r.checks().forEach(out::println);
        out.println(r.ok() ? "preflight passed: " + domain + " can migrate from " + source.name() + " to " + target.name()
            : "preflight refused: " + r.blockers().size() + " blocker" + (r.blockers().size() == 1 ? "" : "s"));
      }
      out.flush();
      return r.ok() ? Midplane.OK : Midplane.FAILED;
    }
  }
}
