package dev.midplane.network.antispoof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsers for nftables: the JSON that {@code nft -j list ruleset} prints, and a model of what
 * {@code nft -f} does with a script in nft's text syntax. Only the {@code bridge} family is kept
 * (the only one on a bridge's path). Pure functions; every error names where.
 *
 * <p>Understood: {@code iifname}/{@code oifname} (with {@code *} wildcards), {@code ether
 * saddr|daddr} (also under a mask), {@code ether type}, {@code ip saddr|daddr} (addresses,
 * prefixes, anonymous sets), {@code ip protocol}, {@code udp|tcp sport|dport}, {@code arp
 * htype|ptype|hlen|plen|operation}, {@code arp saddr|daddr ether|ip}, counters, {@code log},
 * verdicts, jumps, gotos and verdict maps keyed by interface name. Anything else is kept as an
 * opaque condition, never dropped.
 */
public final class Nft {
  static final String FAMILY = "bridge";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Nft() {}

  /** Parses {@code nft -j list ruleset} (or {@code list table}) output. */
  public static Ruleset parseJson(String json) {
    String src = "nft -j output";
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ParseException(src, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "", "not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.path("nftables").isArray()) {
      throw new ParseException(src, 0, "", "no \"nftables\" array");
    }
    Map<String, MTable> tables = new LinkedHashMap<>();
    int anon = 0;
    int index = 0;
    for (JsonNode item : root.get("nftables")) {
      index++;
      String where = "object " + index;
      try {
        if (item.has("table")) {
          JsonNode t = item.get("table");
          if (FAMILY.equals(t.path("family").asText())) {
            tables.computeIfAbsent(text(t, "name"), MTable::new);
          }
        } else if (item.has("chain")) {
          JsonNode c = item.get("chain");
          if (!FAMILY.equals(c.path("family").asText())) {
            continue;
          }
          MTable t = tables.computeIfAbsent(text(c, "table"), MTable::new);
          Optional<Hook> hook = c.has("hook") ? Optional.of(Hook.named(text(c, "hook"))
              .orElseThrow(() -> new NftExpressions.BadExpression("unknown hook " + c.get("hook")))) : Optional.empty();
          Action policy = hook.isEmpty() ? Action.RETURN
              : "drop".equals(c.path("policy").asText("accept")) ? Action.DROP : Action.ACCEPT;
          t.chains.put(text(c, "name"), new MChain(text(c, "name"), hook, c.path("prio").asInt(0), policy));
        } else if (item.has("map")) {
          JsonNode m = item.get("map");
          if (!FAMILY.equals(m.path("family").asText()) || !"verdict".equals(m.path("map").asText())) {
            continue;
          }
          MTable t = tables.computeIfAbsent(text(m, "table"), MTable::new);
          Map<String, Action> elems = new LinkedHashMap<>();
          for (JsonNode e : m.path("elem")) {
            elems.put(elementKey(e.get(0)), verdict(e.get(1)));
          }
          t.maps.put(text(m, "name"), elems);
        } else if (item.has("rule")) {
          JsonNode r = item.get("rule");
          if (!FAMILY.equals(r.path("family").asText())) {
            continue;
          }
          MTable t = tables.computeIfAbsent(text(r, "table"), MTable::new);
          MChain chain = t.chains.get(text(r, "chain"));
          if (chain == null) {
            throw new NftExpressions.BadExpression("rule for undeclared chain " + text(r, "chain"));
          }
          List<Match> matches = new ArrayList<>();
          Action action = Action.CONTINUE;
          Optional<Rule.Counters> counters = Optional.empty();
          for (JsonNode e : r.path("expr")) {
            String kind = e.fieldNames().hasNext() ? e.fieldNames().next() : "";
            JsonNode v = e.get(kind);
            switch (kind) {
              case "match" -> matches.addAll(jsonMatch(v));
              case "counter" -> counters = Optional.of(new Rule.Counters(v.path("packets").asLong(), v.path("bytes").asLong()));
              case "log" -> {
                // logs, never changes the verdict
              }
              case "accept", "drop", "return", "continue", "jump", "goto" -> action = verdict(e);
              case "vmap" -> {
                Match.Direction d = direction(v.path("key"));
                JsonNode data = v.get("data");
                if (d == null) {
                  matches.add(new Match.Opaque(e.toString()));
                } else if (data.isTextual() && data.asText().startsWith("@")) {
                  action = new Action.MapLookup(d, data.asText().substring(1));
                } else {
                  String name = "(anonymous " + (++anon) + ")";
                  Map<String, Action> elems = new LinkedHashMap<>();
                  for (JsonNode pair : data.path("set")) {
                    elems.put(elementKey(pair.get(0)), verdict(pair.get(1)));
                  }
                  t.maps.put(name, elems);
                  action = new Action.MapLookup(d, name);
                }
              }
              default -> matches.add(new Match.Opaque(e.toString()));
            }
          }
          chain.rules.add(new Rule(dedupe(matches), action, counters, describe(r)));
        }
      } catch (NftExpressions.BadExpression | NullPointerException e) {
        throw new ParseException(src, 0, item.toString(), where + ": " + e.getMessage());
      }
    }
    return build(tables);
  }

  private static String describe(JsonNode rule) {
    return "handle " + rule.path("handle").asText("?") + " " + rule.path("expr");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isValueNode()) {
      throw new NftExpressions.BadExpression("missing \"" + field + "\"");
    }
    return v.asText();
  }

  private static String elementKey(JsonNode k) {
    if (k != null && k.isObject() && k.has("elem")) {
      return k.get("elem").path("val").asText();
    }
    if (k == null || !k.isValueNode()) {
      throw new NftExpressions.BadExpression("unsupported map key " + k);
    }
    return k.asText();
  }

  private static Match.Direction direction(JsonNode key) {
    String k = key.path("meta").path("key").asText("");
    return k.equals("iifname") ? Match.Direction.IN : k.equals("oifname") ? Match.Direction.OUT : null;
  }

  private static Action verdict(JsonNode v) {
    if (v == null || !v.isObject() || !v.fieldNames().hasNext()) {
      throw new NftExpressions.BadExpression("not a verdict: " + v);
    }
    String k = v.fieldNames().next();
    return switch (k) {
      case "accept" -> Action.ACCEPT;
      case "drop" -> Action.DROP;
      case "return" -> Action.RETURN;
      case "continue" -> Action.CONTINUE;
      case "jump" -> new Action.Jump(text(v.get(k), "target"));
      case "goto" -> new Action.Goto(text(v.get(k), "target"));
      default -> new Action.Opaque(v.toString());
    };
  }

  private static List<Match> jsonMatch(JsonNode m) {
    String op = m.path("op").asText("==");
    JsonNode left = m.get("left");
    JsonNode right = m.get("right");
    String text = m.toString();
    if (!op.equals("==") && !op.equals("!=") && !op.equals("in")) {
      return List.of(new Match.Opaque(text));
    }
    boolean neg = op.equals("!=");
    Optional<String> mask = Optional.empty();
    if (left.has("&")) {
      JsonNode and = left.get("&");
      mask = Optional.of(and.get(1).asText());
      left = and.get(0);
    }
    String protocol;
    String field;
    if (left.has("meta")) {
      protocol = "meta";
      field = left.get("meta").path("key").asText();
    } else if (left.has("payload") && left.get("payload").has("protocol")) {
      protocol = left.get("payload").path("protocol").asText();
      field = left.get("payload").path("field").asText();
    } else {
      return List.of(new Match.Opaque(text));
    }
    List<String> values = new ArrayList<>();
    if (right.has("set")) {
      for (JsonNode v : right.get("set")) {
        if (!value(v, values)) {
          return List.of(new Match.Opaque(text));
        }
      }
    } else if (!value(right, values)) {
      return List.of(new Match.Opaque(text));
    }
    return NftExpressions.match(protocol, field, neg, mask, values, text);
  }

  /** Appends a scalar, prefix or range as text; false for anything else. */
  private static boolean value(JsonNode v, List<String> out) {
    if (v.isValueNode()) {
      out.add(v.asText());
      return true;
    }
    if (v.has("prefix")) {
      out.add(v.get("prefix").path("addr").asText() + "/" + v.get("prefix").path("len").asInt());
      return true;
    }
    if (v.has("range") && v.get("range").size() == 2) {
      out.add(v.get("range").get(0).asText() + "-" + v.get("range").get(1).asText());
      return true;
    }
    return false;
  }

  static List<Match> dedupe(List<Match> matches) {
    List<Match> out = new ArrayList<>(matches.size());
    for (Match m : matches) {
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * What {@code nft -f} makes of {@code script} on top of {@code current}: one transaction, all or
   * nothing, with the kernel's refusals — flushing, deleting or adding a rule to a missing chain,
   * deleting a chain that still has rules or is still jumped to, deleting a missing element,
   * jumping to a missing chain. See {@link NftScript} for the commands understood.
   */
  public static Ruleset applyScript(Ruleset current, String script) {
    return NftScript.apply(current, script);
  }

  /**
   * What {@code nft -j list ruleset} prints for {@code ruleset}, which {@link #parseJson} reads
   * back to the same tables (see {@link NftJson} for the layout). Tables named in {@code
   * ebtablesTables} were made by ebtables-nft: their extension matches are listed as {@code xt}
   * expressions, as nftables 1.0.6 lists them, and read back as opaque conditions.
   */
  public static String toJson(Ruleset ruleset, java.util.Set<String> ebtablesTables) {
    return NftJson.render(ruleset, ebtablesTables);
  }

  // Mutable building blocks shared with NftScript.

  static final class MChain {
    final String name;
    Optional<Hook> hook;
    int priority;
    Action policy;
    final List<Rule> rules = new ArrayList<>();

    MChain(String name, Optional<Hook> hook, int priority, Action policy) {
      this.name = name;
      this.hook = hook;
      this.priority = priority;
      this.policy = policy;
    }
  }

  static final class MTable {
    final String name;
    final Map<String, MChain> chains = new LinkedHashMap<>();
    final Map<String, Map<String, Action>> maps = new LinkedHashMap<>();

    MTable(String name) {
      this.name = name;
    }
  }

  static Map<String, MTable> mutable(Ruleset r) {
    Map<String, MTable> tables = new LinkedHashMap<>();
    for (Table t : r.tables()) {
      if (!t.family().equals(FAMILY)) {
        continue;
      }
      MTable m = new MTable(t.name());
      for (Chain c : t.chains()) {
        MChain mc = new MChain(c.name(), c.hook(), c.priority(), c.policy());
        mc.rules.addAll(c.rules());
        m.chains.put(c.name(), mc);
      }
      t.verdictMaps().forEach((k, v) -> m.maps.put(k, new LinkedHashMap<>(v)));
      tables.put(t.name(), m);
    }
    return tables;
  }

  static Ruleset build(Map<String, MTable> tables) {
    List<Table> out = new ArrayList<>();
    for (MTable t : tables.values()) {
      List<Chain> chains = new ArrayList<>();
      for (MChain c : t.chains.values()) {
        chains.add(new Chain(c.name, c.hook, c.priority, c.policy, c.rules));
      }
      out.add(new Table(FAMILY, t.name, chains, t.maps));
    }
    return new Ruleset(out);
  }
}
