package dev.midplane.examples.demo;

import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.network.antispoof.Action;
import dev.midplane.network.antispoof.Chain;
import dev.midplane.network.antispoof.Ebtables;
import dev.midplane.network.antispoof.Rule;
import dev.midplane.network.antispoof.Ruleset;
import dev.midplane.network.antispoof.Table;
import java.util.List;
import java.util.Locale;

/**
 * {@code ebtables-save}, {@code ebtables-restore} and {@code ebtables -V} of one simulated host, enough for the
 * network module's ebtables backend: the bridge filter is a {@link Ruleset} that a restore script
 * changes exactly as the network module's model of {@code ebtables-restore --noflush} says, and
 * {@code ebtables-save -c} prints back in the real tool's layout. A stand-in until the network
 * module ships its simulated tools; it lives here so the demo's locks go through the real
 * {@code AntiSpoofing} code.
 */
final class SimulatedEbtables {
  private static final String EMPTY_FILTER = "*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n";

  private Ruleset rules = Ebtables.parseSave(EMPTY_FILTER);

  private SimulatedEbtables() {}

  /** Registers the tools on {@code runner}, starting with an empty filter table. */
  static SimulatedEbtables install(SimulatedRunner runner) {
    SimulatedEbtables e = new SimulatedEbtables();
    runner.register("ebtables-save", inv -> e.save(inv.args()));
    runner.register("ebtables-restore", inv -> e.restore(inv.args(), inv.stdin().orElse("")));
    runner.register("ebtables", inv -> inv.args().equals(List.of("-V")) ? Reply.ok("ebtables 1.8.9 (nf_tables)\n")
        : Reply.fail(2, "ebtables: only -V is simulated here; rules go through ebtables-restore"));
    return e;
  }

  /** The bridge filter as after a boot: an empty filter table. */
  synchronized void reset() {
    rules = Ebtables.parseSave(EMPTY_FILTER);
  }

  private synchronized Reply save(List<String> args) {
    if (!args.isEmpty() && !args.equals(List.of("-c"))) {
      return Reply.fail(2, "ebtables-save: unsupported arguments " + args);
    }
    return Reply.ok(render(rules, args.contains("-c")));
  }

  private synchronized Reply restore(List<String> args, String script) {
    if (!args.equals(List.of("--noflush"))) {
      return Reply.fail(2, "ebtables-restore: only --noflush is simulated, got " + args);
    }
    try {
      rules = Ebtables.restoreNoflush(rules, script);
      return Reply.ok();
    } catch (RuntimeException e) {
      return Reply.fail(1, "ebtables-restore: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The ruleset in {@code ebtables-save}'s layout. */
  static String render(Ruleset r, boolean counters) {
    StringBuilder b = new StringBuilder();
    for (Table t : r.tables()) {
      b.append('*').append(t.name()).append('\n');
      for (Chain c : t.chains()) {
        b.append(':').append(c.name()).append(' ').append(policy(c.policy())).append('\n');
      }
      for (Chain c : t.chains()) {
        for (Rule rule : c.rules()) {
          if (counters) {
            Rule.Counters n = rule.counters().orElse(new Rule.Counters(0, 0));
            b.append('[').append(n.packets()).append(':').append(n.bytes()).append("] ");
          }
          b.append("-A ").append(c.name()).append(rule.source().isEmpty() ? "" : " " + rule.source()).append('\n');
        }
      }
    }
    return b.toString();
  }

  private static String policy(Action a) {
    return a.toString().toUpperCase(Locale.ROOT);
  }
}
