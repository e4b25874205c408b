package dev.midplane.network.sim;

import dev.midplane.core.ParseException;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.network.antispoof.Ebtables;
import dev.midplane.network.antispoof.Nft;
import dev.midplane.network.antispoof.Ruleset;
import dev.midplane.network.antispoof.Table;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bridge family of a simulated host's nf_tables, and the two tools that write it: ebtables-nft
 * 1.8.9 ({@code ebtables -V|-L|-A|-I|-D|-N|-X|-F|-P}, {@code ebtables-save [-c]}, {@code
 * ebtables-restore [--noflush]}) and nftables 1.0.6 ({@code nft --version}, {@code nft -f -|FILE},
 * {@code nft [-j] list ruleset}). Both act on one {@link Ruleset}, as both tools act on one kernel:
 * a frame meets the tables of both. Scripts are all or nothing, with the real tools' error lines
 * ({@code ebtables-restore: line N failed: …}, {@code /dev/stdin:N:…: Error: …}). Rule counters
 * stay at zero: no frame crosses a simulated bridge.
 */
final class FilterTools {
  private static final Set<String> EBTABLES_TABLES = Set.of("filter", "nat", "broute");
  private final Clock clock;
  private Ruleset ruleset = Ruleset.EMPTY;
  /** Tables ebtables made: nft lists their extension matches as xt expressions. */
  private final Set<String> ebtablesTables = new LinkedHashSet<>();

  FilterTools(Clock clock) {
    this.clock = clock;
  }

  synchronized Ruleset ruleset() {
    return ruleset;
  }

  private synchronized void commit(Ruleset next, Set<String> madeByEbtables) {
    ruleset = next;
    ebtablesTables.addAll(madeByEbtables);
    Set<String> present = new LinkedHashSet<>();
    next.tables().forEach(t -> present.add(t.name()));
    ebtablesTables.retainAll(present);
  }

  // ------------------------------------------------------------------ ebtables

  Reply ebtables(SimulatedRunner.Invocation inv) {
    List<String> a = inv.args();
    if (a.equals(List.of("-V")) || a.equals(List.of("--version"))) {
      return Reply.ok("ebtables 1.8.9 (nf_tables)\n");
    }
    String table = "filter";
    List<String> rest = new ArrayList<>(a);
    if (rest.size() >= 2 && rest.get(0).equals("-t")) {
      table = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (!EBTABLES_TABLES.contains(table)) {
      return Reply.fail(1, "ebtables: Table '" + table + "' does not exist");
    }
    if (!rest.isEmpty() && rest.get(0).equals("-L")) {
      boolean counters = rest.contains("--Lc");
      return Reply.ok(Ebtables.toList(ruleset(), table, counters));
    }
    if (rest.isEmpty()) {
      return Reply.fail(2, "ebtables: no command specified");
    }
    // one command is a one-line restore script: the same semantics, its own error text
    String script = "*" + table + "\n" + String.join(" ", rest) + "\nCOMMIT\n";
    synchronized (this) {
      try {
        commit(Ebtables.restoreNoflush(ruleset, script), Set.of(table));
        return Reply.ok();
      } catch (ParseException e) {
        return Reply.fail(1, "ebtables: " + restoreReason(e.problem()));
      }
    }
  }

  Reply ebtablesSave(SimulatedRunner.Invocation inv) {
    boolean counters = inv.args().contains("-c") || inv.args().contains("--counters");
    return Reply.ok(Ebtables.toSave(ruleset(), counters, ZonedDateTime.now(clock)));
  }

  Reply ebtablesRestore(SimulatedRunner.Invocation inv) {
    boolean noflush = inv.args().contains("--noflush") || inv.args().contains("-n");
    String script = inv.stdin().orElse("");
    synchronized (this) {
      Set<String> named = new LinkedHashSet<>();
      for (String line : script.split("\n")) {
        if (line.strip().startsWith("*")) {
          named.add(line.strip().substring(1).strip());
        }
      }
      Ruleset base = ruleset;
      if (!noflush) {
        List<Table> kept = base.tables().stream().filter(t -> !named.contains(t.name())).toList();
        base = new Ruleset(kept);
      }
      try {
        commit(Ebtables.restoreNoflush(base, script), named);
        return Reply.ok();
      } catch (ParseException e) {
        return Reply.fail(1, "ebtables-restore: line " + e.line() + " failed: " + restoreReason(e.problem()) + ".");
      }
    }
  }

  /** ebtables-nft's wording for why a line failed, from the model's reason. */
  private static String restoreReason(String reason) {
    String r = reason.toLowerCase(java.util.Locale.ROOT);
    if (r.contains("no such rule")) {
      return "Bad rule (does a matching rule exist in that chain?)";
    }
    if (r.contains("busy") || r.contains("still jumped") || r.contains("not empty")) {
      return "Device or resource busy";
    }
    if (r.contains("does not exist") || r.contains("missing chain") || r.contains("built-in")) {
      return "No chain/target/match by that name";
    }
    if (r.contains("already exists")) {
      return "File exists";
    }
    return reason;
  }

  // ------------------------------------------------------------------ nft

  Reply nft(SimulatedRunner.Invocation inv) {
    List<String> a = inv.args();
    if (a.equals(List.of("--version")) || a.equals(List.of("-v"))) {
      return Reply.ok("nftables v1.0.6 (Lester Gooch #5)\n");
    }
    boolean json = false;
    int i = 0;
    while (i < a.size() && (a.get(i).equals("-j") || a.get(i).equals("--json") || a.get(i).equals("-a"))) {
      json |= !a.get(i).equals("-a");
      i++;
    }
    List<String> rest = a.subList(i, a.size());
    if (rest.size() == 2 && rest.get(0).equals("-f")) {
      if (!rest.get(1).equals("-") && !rest.get(1).equals("/dev/stdin")) {
        return Reply.fail(1, "Error: the simulated nft reads scripts from stdin only (-f -)");
      }
      return script(inv.stdin().orElse(""));
    }
    if (rest.equals(List.of("list", "ruleset"))) {
      if (!json) {
        return Reply.fail(1, "Error: the simulated nft lists the ruleset as JSON only (nft -j list ruleset)");
      }
      return Reply.ok(Nft.toJson(ruleset(), Set.copyOf(ebtablesTables)) + "\n");
    }
    return Reply.fail(1, "Error: the simulated nft runs -f -, -j list ruleset and --version, not " + String.join(" ", rest));
  }

  private synchronized Reply script(String text) {
    try {
      commit(Nft.applyScript(ruleset, text), Set.of());
      return Reply.ok();
    } catch (ParseException e) {
      String[] lines = text.split("\n", -1);
      String line = e.line() > 0 && e.line() <= lines.length ? lines[e.line() - 1] : "";
      String reason = e.problem();
      String errno = reason.contains("No such file or directory") || reason.contains("missing") ? "No such file or directory"
          : reason.contains("busy") || reason.contains("still") ? "Device or resource busy"
          : reason.contains("File exists") ? "File exists" : null;
      String message = errno == null ? "syntax error, " + reason : "Could not process rule: " + errno;
      return Reply.fail(1, "/dev/stdin:" + Math.max(e.line(), 1) + ":1-" + Math.max(line.length(), 1) + ": Error: "
          + message + "\n" + line + "\n" + "^".repeat(Math.max(line.length(), 1)));
    }
  }
}
