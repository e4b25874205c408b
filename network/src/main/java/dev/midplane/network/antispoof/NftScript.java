package dev.midplane.network.antispoof;

import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model of {@code nft -f} for the bridge family: one command per line, applied as one
 * transaction.
 *
 * <pre>
 * add|create table bridge T          delete table bridge T
 * add map bridge T M { type ifname : verdict; }
 * add chain bridge T C [{ type filter hook H priority P; policy accept|drop; }]
 * flush chain bridge T C             delete chain bridge T C
 * add|insert rule bridge T C EXPR…
 * add element bridge T M { "key" : VERDICT [, …] }
 * delete element bridge T M { "key" [, …] }
 * </pre>
 *
 * Rule expressions are those {@link Nft} lists; anything else is an error with the line, because a
 * script this SDK cannot read is a script it must not claim to understand.
 */
final class NftScript {
  private NftScript() {}

  static Ruleset apply(Ruleset current, String script) {
    String src = "nft script";
    Map<String, Nft.MTable> tables = Nft.mutable(current);
    int n = 0;
    for (String line : script.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        command(tables, tokens(l));
      } catch (NftExpressions.BadExpression | EbtablesRuleParser.BadRule e) {
        throw new ParseException(src, n, line, e.getMessage());
      }
    }
    // Every jump and verdict-map element must lead to a chain that exists at commit time.
    for (Nft.MTable t : tables.values()) {
      for (Nft.MChain c : t.chains.values()) {
        for (Rule r : c.rules) {
          checkTarget(t, r.action(), "rule in " + c.name);
        }
      }
      for (Map.Entry<String, Map<String, Action>> m : t.maps.entrySet()) {
        for (Action a : m.getValue().values()) {
          checkTarget(t, a, "element of @" + m.getKey());
        }
      }
    }
    return Nft.build(tables);
  }

  private static void checkTarget(Nft.MTable t, Action a, String where) {
    String target = a instanceof Action.Jump j ? j.chain() : a instanceof Action.Goto g ? g.chain() : null;
    if (target != null && !t.chains.containsKey(target)) {
      throw new ParseException("nft script", 0, "", where + " jumps to missing chain " + target
          + " (No such file or directory)");
    }
  }

  private static void command(Map<String, Nft.MTable> tables, List<String> t) {
    Cursor c = new Cursor(t);
    String verb = c.next();
    String object = c.next();
    if (!c.next().equals(Nft.FAMILY)) {
      throw new NftExpressions.BadExpression("only the bridge family is supported");
    }
    String tableName = c.next();
    switch (verb + " " + object) {
      case "add table", "create table" -> {
        if (verb.equals("create") && tables.containsKey(tableName)) {
          throw new NftExpressions.BadExpression("table " + tableName + " exists (File exists)");
        }
        tables.computeIfAbsent(tableName, Nft.MTable::new);
        c.end();
      }
      case "delete table" -> {
        table(tables, tableName);
        tables.remove(tableName);
        c.end();
      }
      case "add map" -> {
        Nft.MTable tb = table(tables, tableName);
        String name = c.next();
        c.expect("{");
        c.expect("type");
        c.expect("ifname");
        c.expect(":");
        c.expect("verdict;");
        c.expect("}");
        c.end();
        tb.maps.computeIfAbsent(name, k -> new LinkedHashMap<>());
      }
      case "add chain" -> {
        Nft.MTable tb = table(tables, tableName);
        String name = c.next();
        Optional<Hook> hook = Optional.empty();
        int prio = 0;
        Action policy = Action.RETURN;
        if (c.hasNext()) {
          c.expect("{");
          c.expect("type");
          c.expect("filter");
          c.expect("hook");
          hook = Optional.of(Hook.named(c.next())
              .orElseThrow(() -> new NftExpressions.BadExpression("unknown hook")));
          c.expect("priority");
          String p = c.next();
          prio = (int) parseSigned(p.endsWith(";") ? p.substring(0, p.length() - 1) : p);
          if (!p.endsWith(";")) {
            c.expect(";");
          }
          policy = Action.ACCEPT;
          if (c.peek().equals("policy")) {
            c.next();
            String pol = c.next();
            policy = switch (pol) {
              case "accept;" -> Action.ACCEPT;
              case "drop;" -> Action.DROP;
              default -> throw new NftExpressions.BadExpression("policy is accept; or drop;");
            };
          }
          c.expect("}");
        }
        c.end();
        Nft.MChain existing = tb.chains.get(name);
        if (existing == null) {
          tb.chains.put(name, new Nft.MChain(name, hook, prio, hook.isPresent() ? policy : Action.RETURN));
        } else if (hook.isPresent() && (!existing.hook.equals(hook) || existing.priority != prio)) {
          throw new NftExpressions.BadExpression("chain " + name + " exists with another hook or priority");
        } else if (hook.isPresent()) {
          existing.policy = policy;
        }
      }
      case "flush chain" -> {
        chain(table(tables, tableName), c.next()).rules.clear();
        c.end();
      }
      case "delete chain" -> {
        Nft.MTable tb = table(tables, tableName);
        String name = c.next();
        c.end();
        Nft.MChain ch = chain(tb, name);
        if (!ch.rules.isEmpty()) {
          throw new NftExpressions.BadExpression("chain " + name + " still has rules (Device or resource busy)");
        }
        for (Nft.MChain other : tb.chains.values()) {
          for (Rule r : other.rules) {
            if (targets(r.action(), name)) {
              throw new NftExpressions.BadExpression("chain " + name + " is jumped to from " + other.name
                  + " (Device or resource busy)");
            }
          }
        }
        for (Map<String, Action> m : tb.maps.values()) {
          for (Action a : m.values()) {
            if (targets(a, name)) {
              throw new NftExpressions.BadExpression("chain " + name + " is still in a verdict map (Device or resource busy)");
            }
          }
        }
        tb.chains.remove(name);
      }
      case "add rule", "insert rule" -> {
        Nft.MChain ch = chain(table(tables, tableName), c.next());
        Rule r = rule(c, String.join(" ", t));
        if (verb.equals("add")) {
          ch.rules.add(r);
        } else {
          ch.rules.add(0, r);
        }
      }
      case "add element", "delete element" -> {
        Nft.MTable tb = table(tables, tableName);
        String mapName = c.next();
        Map<String, Action> map = tb.maps.get(mapName);
        if (map == null) {
          throw new NftExpressions.BadExpression("no map " + mapName + " (No such file or directory)");
        }
        c.expect("{");
        while (true) {
          String key = unquote(c.next());
          if (verb.equals("add")) {
            c.expect(":");
            Action a = verdictWords(c);
            Action old = map.get(key);
            if (old != null && !old.equals(a)) {
              throw new NftExpressions.BadExpression("element \"" + key + "\" exists with another verdict (File exists)");
            }
            map.put(key, a);
          } else if (map.remove(key) == null) {
            throw new NftExpressions.BadExpression("no element \"" + key + "\" in " + mapName + " (No such file or directory)");
          }
          String sep = c.next();
          if (sep.equals("}")) {
            break;
          }
          if (!sep.equals(",")) {
            throw new NftExpressions.BadExpression("expected ',' or '}'");
          }
        }
        c.end();
      }
      default -> throw new NftExpressions.BadExpression("unsupported command '" + verb + " " + object + "'");
    }
  }

  private static boolean targets(Action a, String chain) {
    return (a instanceof Action.Jump j && j.chain().equals(chain)) || (a instanceof Action.Goto g && g.chain().equals(chain));
  }

  private static Nft.MTable table(Map<String, Nft.MTable> tables, String name) {
    Nft.MTable t = tables.get(name);
    if (t == null) {
      throw new NftExpressions.BadExpression("no table bridge " + name + " (No such file or directory)");
    }
    return t;
  }

  private static Nft.MChain chain(Nft.MTable t, String name) {
    Nft.MChain c = t.chains.get(name);
    if (c == null) {
      throw new NftExpressions.BadExpression("no chain " + name + " in table " + t.name + " (No such file or directory)");
    }
    return c;
  }

  /** The rule expression from the cursor to the end of the line. */
  static Rule rule(Cursor c, String text) {
    List<Match> matches = new ArrayList<>();
    Action action = Action.CONTINUE;
    Optional<Rule.Counters> counters = Optional.empty();
    boolean verdictSeen = false;
    while (c.hasNext()) {
      if (verdictSeen) {
        throw new NftExpressions.BadExpression("nothing may follow the verdict: '" + c.peek() + "'");
      }
      String w = c.next();
      switch (w) {
        case "iifname", "oifname" -> {
          if (c.peek().equals("vmap")) {
            c.next();
            String ref = c.next();
            if (!ref.startsWith("@")) {
              throw new NftExpressions.BadExpression("only named verdict maps (@name) are supported");
            }
            action = new Action.MapLookup(w.equals("iifname") ? Match.Direction.IN : Match.Direction.OUT, ref.substring(1));
            verdictSeen = true;
          } else {
            boolean neg = op(c);
            String v = unquote(c.next());
            matches.addAll(NftExpressions.match("meta", w, neg, Optional.empty(), List.of(v), w + " " + v));
          }
        }
        case "ether", "ip", "udp", "tcp", "arp" -> {
          String field = c.next();
          if (w.equals("arp") && (field.equals("saddr") || field.equals("daddr"))) {
            field = field + " " + c.next();
          }
          Optional<String> mask = Optional.empty();
          if (c.peek().equals("&")) {
            c.next();
            mask = Optional.of(c.next());
          }
          boolean neg = op(c);
          List<String> values = values(c);
          matches.addAll(NftExpressions.match(w, field, neg, mask, values, w + " " + field + " " + values));
        }
        case "counter" -> {
          long packets = 0;
          long bytes = 0;
          if (c.peek().equals("packets")) {
            c.next();
            packets = NftExpressions.num(c.next(), Long.MAX_VALUE, "packet count");
            c.expect("bytes");
            bytes = NftExpressions.num(c.next(), Long.MAX_VALUE, "byte count");
          }
          counters = Optional.of(new Rule.Counters(packets, bytes));
        }
        case "log" -> {
          if (c.peek().equals("prefix")) {
            c.next();
            c.next();
          }
        }
        case "accept", "drop", "return", "continue", "jump", "goto" -> {
          c.back();
          action = verdictWords(c);
          verdictSeen = true;
        }
        default -> throw new NftExpressions.BadExpression("unsupported expression '" + w + "'");
      }
    }
    return new Rule(Nft.dedupe(matches), action, counters, text);
  }

  private static Action verdictWords(Cursor c) {
    String v = c.next();
    return switch (v) {
      case "accept" -> Action.ACCEPT;
      case "drop" -> Action.DROP;
      case "return" -> Action.RETURN;
      case "continue" -> Action.CONTINUE;
      case "jump" -> new Action.Jump(c.next());
      case "goto" -> new Action.Goto(c.next());
      default -> throw new NftExpressions.BadExpression("not a verdict: '" + v + "'");
    };
  }

  /** Consumes an optional {@code ==} or {@code !=}; true for {@code !=}. */
  private static boolean op(Cursor c) {
    String p = c.peek();
    if (p.equals("!=") || p.equals("==")) {
      c.next();
      return p.equals("!=");
    }
    return false;
  }

  private static List<String> values(Cursor c) {
    List<String> out = new ArrayList<>();
    if (!c.peek().equals("{")) {
      out.add(unquote(c.next()));
      return out;
    }
    c.next();
    while (true) {
      out.add(unquote(c.next()));
      String sep = c.next();
      if (sep.equals("}")) {
        return out;
      }
      if (!sep.equals(",")) {
        throw new NftExpressions.BadExpression("expected ',' or '}' in a set");
      }
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static long parseSigned(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new NftExpressions.BadExpression("priority must be a number here: " + s);
    }
  }

  /** Words, quoted strings, and the punctuation {@code { } ,} as tokens of their own. */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quote = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quote) {
        cur.append(ch);
        if (ch == '"') {
          quote = false;
          out.add(cur.toString());
          cur.setLength(0);
        }
        continue;
      }
      if (ch == '"') {
        flush(cur, out);
        cur.append(ch);
        quote = true;
      } else if (ch == ' ' || ch == '\t') {
        flush(cur, out);
      } else if (ch == '{' || ch == '}' || ch == ',') {
        flush(cur, out);
        out.add(String.valueOf(ch));
      } else {
        cur.append(ch);
      }
    }
    if (quote) {
      throw new NftExpressions.BadExpression("unterminated quote");
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() > 0) {
      out.add(cur.toString());
      cur.setLength(0);
    }
  }

  /** Walks the tokens of one line. */
  static final class Cursor {
    private final List<String> t;
    private int i;

    Cursor(List<String> t) {
      this.t = t;
    }

    boolean hasNext() {
      return i < t.size();
    }

    String peek() {
      return i < t.size() ? t.get(i) : "";
    }

    String next() {
      if (i >= t.size()) {
        throw new NftExpressions.BadExpression("unexpected end of line");
      }
      return t.get(i++);
    }

    void back() {
      i--;
    }

    void expect(String word) {
      String w = next();
      if (!w.equals(word)) {
        throw new NftExpressions.BadExpression("expected '" + word + "', found '" + w + "'");
      }
    }

    void end() {
      if (hasNext()) {
        throw new NftExpressions.BadExpression("unexpected '" + peek() + "'");
      }
    }
  }
}
