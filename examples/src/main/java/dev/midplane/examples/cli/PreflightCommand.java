package dev.midplane.examples.cli;

import dev.midplane.core.names.HostName;
import dev.midplane.examples.json.Json;
import dev.midplane.xen.chassis.MigrationPreflight;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code midplane preflight DOMAIN --to HOST}: whether a running domain can migrate there now,
 * with every blocker (the xen module's {@link MigrationPreflight}). Exits 0 when clear, 1 when
 * blocked.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true,
    description = {
        "Check whether a running VM can migrate live to another blade now; changes nothing.",
        "Every blocker is listed: where it runs, toolstack and Xen version, bridges, each disk's multipath map",
        "(same LUN, same size), memory, dirty-page tracking, the ssh or xend handover, name clashes, and what",
        "its anti-spoofing locks need. Without --host: the embedded chassis (web01 and db01 on blade1)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:clear: nothing blocks the migration", "1:blocked (every blocker listed), or a blade failed",
        "2:bad usage or bad input"})
final class PreflightCommand implements Callable<Integer> {
  /** A blocker in the JSON. */
  record BlockerView(String kind, String detail) {}

  /** The JSON of a preflight. */
  record View(String vm, String source, String target, boolean clear, List<BlockerView> blockers, List<String> warnings) {}

  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print the preflight as one JSON object.")
  private boolean json;

  @Mixin
  private MoveOptions move;

  @Override
  public Integer call() {
    try (Blades.Connected c = move.connect()) {
      MigrationPreflight p = c.xen().preflight(move.domain, move.target(c));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.line(new View(p.vm().value(), p.source().map(HostName::value).orElse(null), p.target().value(),
            p.isClear(), p.blockers().stream().map(b -> new BlockerView(b.kind().name(), b.detail())).toList(),
            p.warnings())));
      } else {
        out.println(p);
      }
      out.flush();
      return p.isClear() ? Midplane.OK : Midplane.FAILED;
    }
  }
}
