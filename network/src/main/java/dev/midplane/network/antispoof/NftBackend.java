package dev.midplane.network.antispoof;

import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Anti-spoofing through an nftables table of its own, {@code bridge midplane}, applied with
 * {@code nft -f -} (one process, one transaction).
 *
 * <p>Base chains {@code forward}, {@code input} and {@code output} (priority -210, just before
 * ebtables' filter table) look the frame's ports up in two verdict maps, {@code vif-in} keyed by
 * ingress port and {@code vif-out} by egress port, whose elements jump to the vif's chains
 * {@code midplane-<vif>-in} and {@code midplane-<vif>-out}. A lookup is a hash, so the cost per
 * frame does not grow with the number of VMs. Because an accept in another table's base chain
 * never skips this table's base chains, no rule elsewhere can let a frame around the checks.
 *
 * <p>A lock needs no read first: {@code add} is idempotent for tables, maps and chains, a flush
 * empties whatever an earlier vif of the same name left, and a map element is added, deleted and
 * added again so a stale element of any verdict is replaced.
 */
final class NftBackend implements FilterBackend {
  static final String TABLE = "midplane";
  static final String IN_MAP = "vif-in";
  static final String OUT_MAP = "vif-out";
  /** filter (-200) minus 10: before ebtables' filter table. */
  static final int PRIORITY = -210;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String T = "bridge " + TABLE;

  @Override
  public AntiSpoofing.Backend kind() {
    return AntiSpoofing.Backend.NFTABLES;
  }

  @Override
  public Command readCommand() {
    return Command.builder("nft", "-j", "list", "ruleset").timeout(TIMEOUT).build();
  }

  @Override
  public Ruleset parse(String output) {
    return Nft.parseJson(output);
  }

  @Override
  public boolean lockNeedsCurrentState() {
    return false;
  }

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Command applyCommand(String script) {
    return Command.builder("nft", "-f", "-").stdin(script).timeout(TIMEOUT).build();
  }

  @Override
  public Ruleset simulate(Ruleset current, String script) {
    return Nft.applyScript(current, script);
  }

  /** The table, maps and base chains every lock (re)establishes. */
  static String skeleton() {
    StringBuilder b = new StringBuilder();
    b.append("add table ").append(T).append('\n');
    b.append("add map ").append(T).append(' ').append(IN_MAP).append(" { type ifname : verdict; }\n");
    b.append("add map ").append(T).append(' ').append(OUT_MAP).append(" { type ifname : verdict; }\n");
    for (Hook h : List.of(Hook.FORWARD, Hook.INPUT, Hook.OUTPUT)) {
      b.append("add chain ").append(T).append(' ').append(h.nftName()).append(" { type filter hook ").append(h.nftName())
          .append(" priority ").append(PRIORITY).append("; policy accept; }\n");
    }
    for (Hook h : List.of(Hook.FORWARD, Hook.INPUT, Hook.OUTPUT)) {
      b.append("flush chain ").append(T).append(' ').append(h.nftName()).append('\n');
    }
    baseRules().forEach((chain, rules) -> rules.forEach(r ->
        b.append("add rule ").append(T).append(' ').append(chain).append(' ').append(r).append('\n')));
    return b.toString();
  }

  private static Map<String, List<String>> baseRules() {
    String in = "iifname vmap @" + IN_MAP;
    String out = "oifname vmap @" + OUT_MAP;
    Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    m.put("forward", List.of(in, out));
    m.put("input", List.of(in));
    m.put("output", List.of(out));
    return m;
  }

  static List<String> inRules(VifPolicy p) {
    List<String> r = new ArrayList<>();
    String mac = p.mac().toString();
    r.add("ether saddr != " + mac + " counter drop");
    String arpHeader = "arp htype 1 arp ptype ip arp hlen 6 arp plen 4 arp saddr ether " + mac;
    if (!p.addresses().isEmpty()) {
      r.add("ip saddr " + set(p.addresses()) + " counter return");
    }
    if (p.dhcp()) {
      // The fragment check matters: in the bridge family nft compares port bytes even in
      // non-first fragments, which hold payload there.
      r.add("ip saddr 0.0.0.0 ip daddr 255.255.255.255 ip frag-off & 0x1fff == 0 udp sport 68 udp dport 67 counter return");
    }
    if (!p.addresses().isEmpty()) {
      r.add(arpHeader + " arp saddr ip " + set(p.addresses()) + " counter return");
    }
    if (p.dhcp()) {
      r.add(arpHeader + " arp saddr ip 0.0.0.0 counter return");
    }
    r.add("counter drop");
    return r;
  }

  static List<String> outRules(VifPolicy p) {
    return List.of("ether daddr " + p.mac() + " counter return",
        "ether daddr & 01:00:00:00:00:00 == 01:00:00:00:00:00 counter return",
        "counter drop");
  }

  private static String set(Collection<Ipv4Address> addrs) {
    if (addrs.size() == 1) {
      return addrs.iterator().next().toString();
    }
    return addrs.stream().map(Ipv4Address::toString).collect(Collectors.joining(", ", "{ ", " }"));
  }

  @Override
  public String lockScript(List<VifPolicy> policies, Ruleset current) {
    StringBuilder b = new StringBuilder(skeleton());
    for (VifPolicy p : policies) {
      String in = FilterBackend.inChain(p.vif());
      String out = FilterBackend.outChain(p.vif());
      for (String c : List.of(in, out)) {
        b.append("add chain ").append(T).append(' ').append(c).append('\n');
        b.append("flush chain ").append(T).append(' ').append(c).append('\n');
      }
      inRules(p).forEach(r -> b.append("add rule ").append(T).append(' ').append(in).append(' ').append(r).append('\n'));
      outRules(p).forEach(r -> b.append("add rule ").append(T).append(' ').append(out).append(' ').append(r).append('\n'));
      element(b, IN_MAP, p.vif(), in);
      element(b, OUT_MAP, p.vif(), out);
    }
    return b.toString();
  }

  private static void element(StringBuilder b, String map, InterfaceName vif, String chain) {
    String key = "\"" + vif + "\"";
    String add = "add element " + T + " " + map + " { " + key + " : jump " + chain + " }\n";
    b.append(add);
    b.append("delete element ").append(T).append(' ').append(map).append(" { ").append(key).append(" }\n");
    b.append(add);
  }

  @Override
  public String unlockScript(Collection<InterfaceName> vifs, Ruleset current) {
    Table t = current.table(Nft.FAMILY, TABLE).orElse(null);
    if (t == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (InterfaceName vif : new LinkedHashSet<>(vifs)) {
      String key = "\"" + vif + "\"";
      for (String map : List.of(IN_MAP, OUT_MAP)) {
        Map<String, Action> m = t.verdictMaps().get(map);
        if (m != null && m.containsKey(vif.value())) {
          b.append("delete element ").append(T).append(' ').append(map).append(" { ").append(key).append(" }\n");
        }
      }
      for (String c : List.of(FilterBackend.inChain(vif), FilterBackend.outChain(vif))) {
        if (t.chain(c).isPresent()) {
          b.append("flush chain ").append(T).append(' ').append(c).append('\n');
          b.append("delete chain ").append(T).append(' ').append(c).append('\n');
        }
      }
    }
    return b.toString();
  }

  @Override
  public List<String> hookProblems(InterfaceName vif, Ruleset live) {
    Table t = live.table(Nft.FAMILY, TABLE).orElse(null);
    if (t == null) {
      return List.of("there is no nftables table bridge " + TABLE);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : baseRules().entrySet()) {
      Optional<Chain> c = t.chain(e.getKey());
      Hook hook = Hook.named(e.getKey()).orElseThrow();
      if (c.isEmpty() || !c.get().hook().equals(Optional.of(hook))) {
        problems.add("base chain " + e.getKey() + " (hook " + hook.nftName() + ") is missing");
        continue;
      }
      List<Rule> expected = e.getValue().stream()
          .map(r -> NftScript.rule(new NftScript.Cursor(NftScript.tokens(r)), r)).toList();
      if (!c.get().rules().equals(expected)) {
        problems.add("base chain " + e.getKey() + " holds " + c.get().rules() + ", expected exactly " + expected);
      }
      if (c.get().policy() instanceof Action.Drop) {
        problems.add("base chain " + e.getKey() + " has policy drop; the SDK leaves other traffic alone");
      }
    }
    check(problems, t, IN_MAP, vif, FilterBackend.inChain(vif));
    check(problems, t, OUT_MAP, vif, FilterBackend.outChain(vif));
    return problems;
  }

  private static void check(List<String> problems, Table t, String map, InterfaceName vif, String chain) {
    Map<String, Action> m = t.verdictMaps().get(map);
    if (m == null) {
      problems.add("verdict map @" + map + " is missing");
      return;
    }
    Action a = m.get(vif.value());
    if (!new Action.Jump(chain).equals(a)) {
      problems.add("@" + map + " maps \"" + vif + "\" to " + (a == null ? "nothing" : a) + ", expected jump " + chain);
    }
  }

  @Override
  public Set<InterfaceName> vifsIn(Ruleset live) {
    Set<InterfaceName> out = new LinkedHashSet<>();
    live.table(Nft.FAMILY, TABLE).ifPresent(t -> {
      t.chains().forEach(c -> FilterBackend.vifOf(c.name()).ifPresent(out::add));
      for (String map : List.of(IN_MAP, OUT_MAP)) {
        Map<String, Action> m = t.verdictMaps().get(map);
        if (m != null) {
          m.keySet().stream().filter(InterfaceName::isValid).map(InterfaceName::of).forEach(out::add);
        }
      }
    });
    return out;
  }
}
