package dev.midplane.network.antispoof;

import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for what ebtables prints, and a model of what {@code ebtables-restore --noflush} does
 * with a script. Pure functions; every error names the line.
 *
 * <p>Tables are read into the {@code bridge} family with ebtables' hooks and priorities: filter
 * (INPUT, FORWARD, OUTPUT at -200), nat (PREROUTING -300, OUTPUT 100, POSTROUTING 300); broute's
 * BROUTING chain is kept but attached to no filter hook.
 *
 * <p>Known quirk of ebtables 1.8.9 (nf_tables): {@code ebtables -L} prints {@code policy: RETURN}
 * for a user chain whose policy is DROP ({@code ebtables-save} prints it right). This SDK never
 * relies on user-chain policies: its chains end with an explicit {@code -j DROP}.
 */
public final class Ebtables {
  static final String FAMILY = "bridge";
  private static final Pattern LIST_CHAIN = Pattern.compile(
      "Bridge chain: (\\S+), entries: (\\d+), policy: (ACCEPT|DROP|RETURN)\\s*");
  private static final Pattern LIST_COUNTERS = Pattern.compile("(.*?)\\s*,\\s*pcnt = (\\d+) -- bcnt = (\\d+)\\s*");
  private static final Pattern SAVE_COUNTERS = Pattern.compile("\\[(\\d+):(\\d+)\\]\\s+(.*)");
  private static final Pattern LINE_NUMBER = Pattern.compile("^(\\d+)\\.?\\s+(.*)$");
  private static final Set<String> EXTENSION_TARGETS = Set.of("mark", "dnat", "snat", "redirect", "arpreply",
      "classify", "AUDIT", "NFLOG", "LOG");
  private static final Pattern CHAIN_NAME = Pattern.compile("[A-Za-z0-9_.+-]{1,31}");

  private Ebtables() {}

  /** The built-in chains of an ebtables table, in ebtables' order. */
  static List<String> builtins(String table) {
    return switch (table) {
      case "filter" -> List.of("INPUT", "FORWARD", "OUTPUT");
      case "nat" -> List.of("PREROUTING", "OUTPUT", "POSTROUTING");
      case "broute" -> List.of("BROUTING");
      default -> List.of();
    };
  }

  private static Optional<Hook> hookOf(String table, String chain) {
    if (table.equals("broute") || !builtins(table).contains(chain)) {
      return Optional.empty();
    }
    return Hook.named(chain);
  }

  private static int priorityOf(String table, String chain) {
    if (table.equals("nat")) {
      return switch (chain) {
        case "PREROUTING" -> -300;
        case "POSTROUTING" -> 300;
        default -> 100;
      };
    }
    return -200;
  }

  /**
   * Parses {@code ebtables-save} output (also {@code -c}, with {@code [packets:bytes]} before each
   * rule): {@code *table} lines,
   * {@code :CHAIN POLICY} declarations, {@code -A CHAIN spec} rules, comments and an optional
   * {@code COMMIT}.
   */
  public static Ruleset parseSave(String text) {
    String src = "ebtables-save output";
    Builder b = new Builder(src, false);
    eachTableLine(text, b, src, (table, l) -> {
      if (l.startsWith(":")) {
        String[] d = chainDeclaration(l);
        b.declare(table, d[0], policy(d[1]));
      } else if (l.startsWith("-A ") || l.startsWith("[")) {
        Optional<Rule.Counters> counters = Optional.empty();
        String rule = l;
        Matcher sc = SAVE_COUNTERS.matcher(l);
        if (sc.matches()) {
          counters = Optional.of(new Rule.Counters(Long.parseLong(sc.group(1)), Long.parseLong(sc.group(2))));
          rule = sc.group(3);
        }
        if (!rule.startsWith("-A ")) {
          throw new EbtablesRuleParser.BadRule("expected '-A CHAIN' after the counters");
        }
        String rest = rule.substring(3).strip();
        int sp = rest.indexOf(' ');
        String chain = sp < 0 ? rest : rest.substring(0, sp);
        b.append(table, chain, sp < 0 ? "" : rest.substring(sp + 1), counters);
      } else {
        throw new EbtablesRuleParser.BadRule("unexpected line");
      }
    });
    return b.build();
  }

  /** {@code :NAME POLICY} as its checked name and its policy word. */
  private static String[] chainDeclaration(String line) {
    String[] p = line.substring(1).split("\\s+");
    if (p.length != 2) {
      throw new EbtablesRuleParser.BadRule("a chain line is ':NAME POLICY'");
    }
    return new String[] {chainName(p[0]), p[1]};
  }

  /** What one line inside a {@code *table} section does. */
  private interface TableLine {
    void accept(String table, String line);
  }

  /**
   * The lines of a save file or restore script: blank lines and comments skipped, {@code *table}
   * and {@code COMMIT} handled, every other line given to {@code body} with its table; errors
   * carry the line.
   */
  private static void eachTableLine(String text, Builder b, String src, TableLine body) {
    String table = null;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      b.at(n, line);
      try {
        if (l.startsWith("*")) {
          table = l.substring(1).strip();
          b.table(table);
        } else if (l.equals("COMMIT")) {
          table = null;
        } else if (table == null) {
          throw new EbtablesRuleParser.BadRule("outside a *table section");
        } else {
          body.accept(table, l);
        }
      } catch (EbtablesRuleParser.BadRule | NumberFormatException e) {
        throw new ParseException(src, n, line, e.getMessage());
      }
    }
  }

  /**
   * Parses {@code ebtables -L} output, with or without {@code --Lc} counters and {@code --Ln}
   * line numbers, for one or several tables ({@code Bridge table: filter}). The entry count each
   * chain header announces is checked against the rules that follow, so truncated output is an
   * error.
   */
  public static Ruleset parseList(String text) {
    String src = "ebtables -L output";
    Builder b = new Builder(src, false);
    String table = null;
    String chain = null;
    int expected = 0;
    int seen = 0;
    int chainLine = 0;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      b.at(n, line);
      try {
        if (l.startsWith("Bridge table: ")) {
          checkCount(src, chain, expected, seen, chainLine);
          chain = null;
          table = l.substring("Bridge table: ".length()).strip();
          b.table(table);
        } else if (l.startsWith("Bridge chain: ")) {
          checkCount(src, chain, expected, seen, chainLine);
          if (table == null) {
            throw new EbtablesRuleParser.BadRule("chain before any 'Bridge table:' line");
          }
          Matcher m = LIST_CHAIN.matcher(l);
          if (!m.matches()) {
            throw new EbtablesRuleParser.BadRule("malformed chain header");
          }
          chain = chainName(m.group(1));
          expected = Integer.parseInt(m.group(2));
          seen = 0;
          chainLine = n;
          b.declare(table, chain, policy(m.group(3)));
        } else {
          if (chain == null) {
            throw new EbtablesRuleParser.BadRule("rule outside a chain");
          }
          String spec = l;
          Optional<Rule.Counters> counters = Optional.empty();
          Matcher c = LIST_COUNTERS.matcher(spec);
          if (c.matches()) {
            spec = c.group(1);
            counters = Optional.of(new Rule.Counters(Long.parseLong(c.group(2)), Long.parseLong(c.group(3))));
          }
          Matcher num = LINE_NUMBER.matcher(spec);
          if (num.matches()) {
            if (Integer.parseInt(num.group(1)) != seen + 1) {
              throw new EbtablesRuleParser.BadRule("rule number " + num.group(1) + " out of sequence");
            }
            spec = num.group(2);
          }
          b.append(table, chain, spec, counters);
          seen++;
        }
      } catch (EbtablesRuleParser.BadRule | NumberFormatException e) {
        throw new ParseException(src, n, line, e.getMessage());
      }
    }
    checkCount(src, chain, expected, seen, chainLine);
    return b.build();
  }

  /**
   * What {@code ebtables-save} (with {@code counters}, {@code ebtables-save -c}) prints for the
   * ebtables tables of {@code ruleset} (filter, nat, broute): per table {@code *table}, each chain
   * with its policy, then each rule as {@code -A CHAIN spec}, in its original spelling. The header
   * and footer comments carry {@code when}. {@link #parseSave} reads it back.
   */
  public static String toSave(Ruleset ruleset, boolean counters, java.time.ZonedDateTime when) {
    String date = when.format(java.time.format.DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.ROOT));
    StringBuilder b = new StringBuilder();
    for (Table t : ebtablesTables(ruleset)) {
      if (b.length() == 0) {
        b.append("# Generated by ebtables-save v1.8.9 (nf_tables) on ").append(date).append('\n');
      }
      b.append('*').append(t.name()).append('\n');
      for (Chain c : t.chains()) {
        b.append(':').append(c.name()).append(' ').append(policyWord(c.policy())).append('\n');
      }
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          if (counters) {
            Rule.Counters k = r.counters().orElse(new Rule.Counters(0, 0));
            b.append('[').append(k.packets()).append(':').append(k.bytes()).append("] ");
          }
          b.append("-A ").append(c.name()).append(r.source().isEmpty() ? "" : " " + r.source()).append('\n');
        }
      }
    }
    if (b.length() > 0) {
      b.append("# Completed on ").append(date).append('\n');
    }
    return b.toString();
  }

  /**
   * What {@code ebtables -t TABLE -L} prints (with {@code counters}, {@code --Lc}), which
   * {@link #parseList} reads back: a table line, then per chain a header with its entry count and
   * policy and one line per rule.
   */
  public static String toList(Ruleset ruleset, String table, boolean counters) {
    Table t = ruleset.table(FAMILY, table).orElse(new Table(FAMILY, table,
        builtins(table).stream().map(c -> new Chain(c, hookOf(table, c), priorityOf(table, c), Action.ACCEPT, List.of()))
            .toList(), Map.of()));
    StringBuilder b = new StringBuilder("Bridge table: ").append(table).append('\n');
    for (Chain c : t.chains()) {
      b.append("\nBridge chain: ").append(c.name()).append(", entries: ").append(c.rules().size()).append(", policy: ")
          .append(policyWord(c.policy())).append('\n');
      for (Rule r : c.rules()) {
        b.append(r.source());
        if (counters) {
          Rule.Counters k = r.counters().orElse(new Rule.Counters(0, 0));
          b.append(" , pcnt = ").append(k.packets()).append(" -- bcnt = ").append(k.bytes());
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static List<Table> ebtablesTables(Ruleset ruleset) {
    return ruleset.tables().stream().filter(t -> t.family().equals(FAMILY) && builtins(t.name()).size() > 0).toList();
  }

  private static String policyWord(Action a) {
    return a instanceof Action.Drop ? "DROP" : a instanceof Action.Return ? "RETURN" : "ACCEPT";
  }

  private static void checkCount(String src, String chain, int expected, int seen, int line) {
    if (chain != null && expected != seen) {
      throw new ParseException(src, line, "Bridge chain: " + chain,
          "the header announces " + expected + " entries but " + seen + " followed (truncated output?)");
    }
  }

  /**
   * What {@code ebtables-restore --noflush} makes of {@code script} on top of {@code current}:
   * {@code *table} selects (and creates) a table; {@code :CHAIN POLICY} creates a user chain or
   * flushes an existing one and sets its policy (for a built-in chain it only sets the policy);
   * {@code -A}, {@code -I CHAIN [n]}, {@code -D CHAIN spec|n}, {@code -F [CHAIN]}, {@code -X
   * CHAIN}, {@code -N CHAIN}, {@code -P CHAIN POLICY} act as the command would; {@code COMMIT}
   * ends a table. Like the real tool it is all or nothing: the first error (deleting a rule that
   * is not there, removing a chain that still has rules or is still jumped to, a rule for a
   * missing chain) throws with the line, and {@code current} is untouched.
   */
  public static Ruleset restoreNoflush(Ruleset current, String script) {
    String src = "ebtables-restore script";
    Builder b = Builder.from(current, src);
    eachTableLine(script, b, src, (table, l) -> {
      if (l.startsWith(":")) {
        String[] d = chainDeclaration(l);
        b.declareFlushing(table, d[0], policy(d[1]));
        return;
      }
      List<String> t = EbtablesRuleParser.tokenize(l);
      String cmd = t.get(0);
      String chain = t.size() > 1 ? t.get(1) : null;
      switch (cmd) {
        case "-A", "--append" -> b.append(table, need(chain, cmd), rest(l, 2), Optional.empty());
        case "-I", "--insert" -> {
          int pos = 1;
          int from = 2;
          if (t.size() > 2 && t.get(2).matches("\\d+")) {
            pos = Integer.parseInt(t.get(2));
            from = 3;
          }
          b.insert(table, need(chain, cmd), pos, rest(l, from));
        }
        case "-D", "--delete" -> {
          if (t.size() == 3 && t.get(2).matches("\\d+")) {
            b.deleteAt(table, need(chain, cmd), Integer.parseInt(t.get(2)));
          } else {
            b.delete(table, need(chain, cmd), rest(l, 2));
          }
        }
        case "-F", "--flush" -> b.flush(table, chain);
        case "-X", "--delete-chain" -> b.deleteChain(table, need(chain, cmd));
        case "-N", "--new-chain" -> b.newChain(table, chainName(need(chain, cmd)));
        case "-P", "--policy" -> {
          if (t.size() != 3) {
            throw new EbtablesRuleParser.BadRule("-P CHAIN POLICY");
          }
          b.setPolicy(table, chain, policy(t.get(2)));
        }
        default -> throw new EbtablesRuleParser.BadRule("unknown command " + cmd);
      }
    });
    return b.build();
  }

  private static String need(String chain, String cmd) {
    if (chain == null) {
      throw new EbtablesRuleParser.BadRule(cmd + " needs a chain");
    }
    return chain;
  }

  /** The line without its first {@code words} words. */
  private static String rest(String line, int words) {
    String s = line.strip();
    for (int k = 0; k < words; k++) {
      int sp = s.indexOf(' ');
      s = sp < 0 ? "" : s.substring(sp + 1).strip();
    }
    return s;
  }

  private static String chainName(String name) {
    if (!CHAIN_NAME.matcher(name).matches()) {
      throw new EbtablesRuleParser.BadRule("not a chain name: '" + name + "'");
    }
    return name;
  }

  private static Action policy(String p) {
    return switch (p) {
      case "ACCEPT" -> Action.ACCEPT;
      case "DROP" -> Action.DROP;
      case "RETURN" -> Action.RETURN;
      default -> throw new EbtablesRuleParser.BadRule("not a policy: '" + p + "'");
    };
  }

  /** Mutable tables while a text is read; rule specs are parsed once all chains are known. */
  private static final class Builder {
    private static final class MChain {
      final String name;
      Action policy;
      final List<Object> rules = new ArrayList<>(); // Rule, or PendingRule until build()

      MChain(String name, Action policy) {
        this.name = name;
        this.policy = policy;
      }
    }

    private record PendingRule(String spec, Optional<Rule.Counters> counters, int line, String lineText) {}

    private final Map<String, Map<String, MChain>> tables = new LinkedHashMap<>();
    private final String source;
    private final boolean eager;
    private int line;
    private String lineText = "";

    Builder(String source, boolean eager) {
      this.source = source;
      this.eager = eager;
    }

    /** Where the next call comes from, for errors found only when the whole text is read. */
    void at(int n, String text) {
      line = n;
      lineText = text;
    }

    static Builder from(Ruleset r, String source) {
      Builder b = new Builder(source, true);
      for (Table t : r.tables()) {
        if (!t.family().equals(FAMILY)) {
          continue;
        }
        Map<String, MChain> chains = new LinkedHashMap<>();
        for (Chain c : t.chains()) {
          MChain m = new MChain(c.name(), c.policy());
          m.rules.addAll(c.rules());
          chains.put(c.name(), m);
        }
        b.tables.put(t.name(), chains);
      }
      return b;
    }

    void table(String name) {
      if (!name.matches("filter|nat|broute")) {
        throw new EbtablesRuleParser.BadRule("not an ebtables table: '" + name + "'");
      }
      tables.computeIfAbsent(name, k -> {
        Map<String, MChain> m = new LinkedHashMap<>();
        for (String c : builtins(k)) {
          m.put(c, new MChain(c, Action.ACCEPT));
        }
        return m;
      });
    }

    private Map<String, MChain> t(String table) {
      table(table);
      return tables.get(table);
    }

    private MChain chain(String table, String chain) {
      MChain c = t(table).get(chain);
      if (c == null) {
        throw new EbtablesRuleParser.BadRule("chain '" + chain + "' does not exist");
      }
      return c;
    }

    void declare(String table, String chain, Action policy) {
      MChain c = t(table).computeIfAbsent(chain, k -> new MChain(k, policy));
      c.policy = policy;
    }

    void declareFlushing(String table, String chain, Action policy) {
      boolean builtin = builtins(table).contains(chain);
      if (builtin && policy instanceof Action.Return) {
        throw new EbtablesRuleParser.BadRule("a built-in chain's policy is ACCEPT or DROP");
      }
      MChain c = t(table).computeIfAbsent(chain, k -> new MChain(k, policy));
      if (!builtin) {
        c.rules.clear();
      }
      c.policy = policy;
    }

    void newChain(String table, String chain) {
      if (t(table).containsKey(chain)) {
        throw new EbtablesRuleParser.BadRule("chain '" + chain + "' already exists");
      }
      t(table).put(chain, new MChain(chain, Action.ACCEPT));
    }

    void setPolicy(String table, String chain, Action policy) {
      MChain c = chain(table, chain);
      if (builtins(table).contains(chain) && policy instanceof Action.Return) {
        throw new EbtablesRuleParser.BadRule("a built-in chain's policy is ACCEPT or DROP");
      }
      c.policy = policy;
    }

    void append(String table, String chain, String spec, Optional<Rule.Counters> counters) {
      MChain c = chain(table, chain);
      c.rules.add(eager ? parse(table, spec, counters) : new PendingRule(spec, counters, line, lineText));
    }

    void insert(String table, String chain, int pos, String spec) {
      MChain c = chain(table, chain);
      if (pos < 1 || pos > c.rules.size() + 1) {
        throw new EbtablesRuleParser.BadRule("insert position " + pos + " out of range 1.." + (c.rules.size() + 1));
      }
      c.rules.add(pos - 1, parse(table, spec, Optional.empty()));
    }

    void delete(String table, String chain, String spec) {
      MChain c = chain(table, chain);
      Rule target = parse(table, spec, Optional.empty());
      for (int k = 0; k < c.rules.size(); k++) {
        if (resolve(table, c.rules.get(k)).equals(target)) {
          c.rules.remove(k);
          return;
        }
      }
      throw new EbtablesRuleParser.BadRule("no such rule in chain " + chain + ": " + spec);
    }

    void deleteAt(String table, String chain, int pos) {
      MChain c = chain(table, chain);
      if (pos < 1 || pos > c.rules.size()) {
        throw new EbtablesRuleParser.BadRule("rule number " + pos + " out of range in chain " + chain);
      }
      c.rules.remove(pos - 1);
    }

    void flush(String table, String chain) {
      if (chain == null) {
        t(table).values().forEach(c -> c.rules.clear());
      } else {
        chain(table, chain).rules.clear();
      }
    }

    void deleteChain(String table, String chain) {
      if (builtins(table).contains(chain)) {
        throw new EbtablesRuleParser.BadRule("cannot delete built-in chain " + chain);
      }
      MChain c = chain(table, chain);
      if (!c.rules.isEmpty()) {
        throw new EbtablesRuleParser.BadRule("chain " + chain + " is not empty (Device or resource busy)");
      }
      for (MChain other : t(table).values()) {
        for (Object r : other.rules) {
          Action a = resolve(table, r).action();
          if (a instanceof Action.Jump j && j.chain().equals(chain)) {
            throw new EbtablesRuleParser.BadRule("chain " + chain + " is still jumped to from " + other.name);
          }
        }
      }
      t(table).remove(chain);
    }

    private Set<String> userChains(String table) {
      Set<String> s = new LinkedHashSet<>(t(table).keySet());
      builtins(table).forEach(s::remove);
      return s;
    }

    private Rule parse(String table, String spec, Optional<Rule.Counters> counters) {
      Rule r = EbtablesRuleParser.parse(spec, userChains(table), counters);
      if (eager && r.action() instanceof Action.Opaque o && o.text().matches("[A-Za-z0-9_.+-]+")
          && !EXTENSION_TARGETS.contains(o.text())) {
        throw new EbtablesRuleParser.BadRule("chain '" + o.text() + "' does not exist");
      }
      return r;
    }

    private Rule resolve(String table, Object r) {
      if (r instanceof PendingRule p) {
        try {
          return parse(table, p.spec(), p.counters());
        } catch (EbtablesRuleParser.BadRule e) {
          throw new ParseException(source, p.line(), p.lineText(), e.getMessage());
        }
      }
      return (Rule) r;
    }

    Ruleset build() {
      List<Table> out = new ArrayList<>();
      for (Map.Entry<String, Map<String, MChain>> te : tables.entrySet()) {
        String table = te.getKey();
        List<Chain> chains = new ArrayList<>();
        for (MChain c : te.getValue().values()) {
          List<Rule> rules = new ArrayList<>();
          for (Object r : c.rules) {
            Rule rule = resolve(table, r);
            if (rule.action() instanceof Action.Jump j && !te.getValue().containsKey(j.chain())) {
              throw new ParseException(source, line, lineText, "jump to missing chain " + j.chain());
            }
            rules.add(rule);
          }
          Optional<Hook> hook = hookOf(table, c.name);
          chains.add(new Chain(c.name, hook, priorityOf(table, c.name), c.policy, rules));
        }
        out.add(new Table(FAMILY, table, chains, Map.of()));
      }
      return new Ruleset(out);
    }
  }
}
