package dev.midplane.network.antispoof;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory model of the Linux bridge filter: it answers what a {@link Ruleset} does to a
 * {@link Frame}, with the kernel's chain semantics.
 *
 * <ul>
 *   <li>At each hook the frame passes ({@link Frame#hooks()}), every base chain attached to it —
 *       from every table — runs in priority order. A drop anywhere ends it; an accept ends only
 *       that base chain (the next base chain still runs, as in nftables with several tables).
 *   <li>In a chain, the first rule whose matches all hold applies its action: accept and drop are
 *       final for the base chain and every chain that jumped into it, so an accept deep in a user
 *       chain skips whatever the calling chains would still have checked; return goes back to the
 *       rule after the jump; a jump runs the target and continues after it when it returns; goto
 *       runs the target and returns from the current chain when it does.
 *   <li>A user chain that runs out of rules applies its policy (return, or ebtables' accept or
 *       drop); a base chain that runs out, or returns, applies its policy.
 *   <li>A verdict map ({@code iifname vmap @m}) performs the element's verdict when the port name
 *       is a key, and continues when it is not.
 * </ul>
 *
 * Conditions and targets outside this model ({@link Match.Opaque}, {@link Action.Opaque}) throw
 * {@link UnsupportedRuleException} when a frame reaches them, rather than guessing.
 */
public final class BridgeFilter {
  private static final int MAX_DEPTH = 64;
  private final Ruleset ruleset;
  /** Base chains per hook, in priority order (stable: listing order within a priority). */
  private final Map<Hook, List<Map.Entry<Table, Chain>>> bases = new java.util.EnumMap<>(Hook.class);
  /** Chains by name, per table, for jumps. */
  private final Map<Table, Map<String, Chain>> chains = new java.util.IdentityHashMap<>();

  private BridgeFilter(Ruleset ruleset) {
    this.ruleset = Objects.requireNonNull(ruleset, "ruleset");
    for (Hook h : Hook.values()) {
      bases.put(h, new ArrayList<>());
    }
    for (Table t : ruleset.tables()) {
      Map<String, Chain> byName = new java.util.HashMap<>();
      for (Chain c : t.chains()) {
        byName.put(c.name(), c);
        c.hook().ifPresent(h -> bases.get(h).add(Map.entry(t, c)));
      }
      chains.put(t, byName);
    }
    bases.values().forEach(l -> l.sort(Comparator.comparingInt(e -> e.getValue().priority())));
  }

  public static BridgeFilter of(Ruleset ruleset) {
    return new BridgeFilter(ruleset);
  }

  /** What the whole bridge filter does to {@code frame}, with the rules that decided it. */
  public Decision decide(Frame frame) {
    List<String> trace = new ArrayList<>();
    for (Hook hook : frame.hooks()) {
      for (Map.Entry<Table, Chain> base : bases.get(hook)) {
        Outcome o = run(base.getKey(), base.getValue(), frame, 0, trace);
        if (o == Outcome.RETURN) {
          o = base.getValue().policy() instanceof Action.Drop ? Outcome.DROP : Outcome.ACCEPT;
          trace.add(where(base.getKey(), base.getValue()) + ": policy " + base.getValue().policy());
        }
        if (o == Outcome.DROP) {
          return new Decision(false, trace);
        }
      }
    }
    return new Decision(true, trace);
  }

  /**
   * What one chain does to {@code frame} on its own: {@link Outcome#RETURN} when the frame comes
   * back to the caller (falls off a returning chain, or meets a return), otherwise the final
   * verdict. Lets a caller check a user chain without the rest of the ruleset.
   */
  public Outcome evaluate(String family, String table, String chain, Frame frame) {
    Table t = ruleset.table(family, table)
        .orElseThrow(() -> new UnsupportedRuleException("no table " + family + " " + table));
    Chain c = t.chain(chain).orElseThrow(() -> new UnsupportedRuleException("no chain " + chain + " in " + table));
    return run(t, c, frame, 0, new ArrayList<>());
  }

  private Outcome run(Table table, Chain chain, Frame frame, int depth, List<String> trace) {
    if (depth > MAX_DEPTH) {
      throw new UnsupportedRuleException("jumps nest deeper than " + MAX_DEPTH + " at chain " + chain.name() + " (a loop?)");
    }
    List<Rule> rules = chain.rules();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (!rule.matches(frame)) {
        continue;
      }
      String at = where(table, chain) + " rule " + (i + 1) + " [" + rule.source() + "]";
      Optional<Outcome> o = perform(table, rule.action(), frame, depth, trace, at);
      if (o.isPresent()) {
        return o.get();
      }
    }
    if (chain.isBase() || chain.policy() instanceof Action.Return) {
      return Outcome.RETURN;
    }
    trace.add(where(table, chain) + ": end of chain, policy " + chain.policy());
    return chain.policy() instanceof Action.Accept ? Outcome.ACCEPT : Outcome.DROP;
  }

  /** Empty: go on with the next rule. */
  private Optional<Outcome> perform(Table table, Action action, Frame frame, int depth, List<String> trace, String at) {
    if (action instanceof Action.Accept) {
      trace.add(at + ": accept");
      return Optional.of(Outcome.ACCEPT);
    }
    if (action instanceof Action.Drop) {
      trace.add(at + ": drop");
      return Optional.of(Outcome.DROP);
    }
    if (action instanceof Action.Return) {
      trace.add(at + ": return");
      return Optional.of(Outcome.RETURN);
    }
    if (action instanceof Action.Continue) {
      return Optional.empty();
    }
    if (action instanceof Action.Jump j) {
      trace.add(at + ": jump " + j.chain());
      Outcome o = run(table, target(table, j.chain(), at), frame, depth + 1, trace);
      return o == Outcome.RETURN ? Optional.empty() : Optional.of(o);
    }
    if (action instanceof Action.Goto g) {
      trace.add(at + ": goto " + g.chain());
      return Optional.of(run(table, target(table, g.chain(), at), frame, depth + 1, trace));
    }
    if (action instanceof Action.MapLookup m) {
      Map<String, Action> map = table.verdictMaps().get(m.map());
      if (map == null) {
        throw new UnsupportedRuleException(at + ": no verdict map @" + m.map());
      }
      String key = (m.key() == Match.Direction.IN ? frame.inPort() : frame.outPort())
          .map(n -> n.value()).orElse("");
      Action hit = map.get(key);
      if (hit == null) {
        return Optional.empty();
      }
      return perform(table, hit, frame, depth, trace, at + " @" + m.map() + "[" + key + "]");
    }
    throw new UnsupportedRuleException(at + ": cannot evaluate the target '" + action + "'");
  }

  private Chain target(Table table, String name, String at) {
    Chain c = chains.get(table).get(name);
    if (c == null) {
      throw new UnsupportedRuleException(at + ": jump to missing chain " + name);
    }
    return c;
  }

  private static String where(Table t, Chain c) {
    return t.family() + " " + t.name() + " " + c.name();
  }

  /** How a chain ended for a frame. */
  public enum Outcome {
    ACCEPT,
    DROP,
    /** Back to the caller: the chain returned or ran out of rules with a return policy. */
    RETURN
  }

  /**
   * The answer for one frame.
   *
   * @param accepted true when the frame passes every hook
   * @param trace the rules that acted, in order, for people
   */
  public record Decision(boolean accepted, List<String> trace) {
    public Decision {
      trace = List.copyOf(trace);
    }
  }
}
