package dev.midplane.network.antispoof;

import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Anti-spoofing through ebtables' filter table, applied with {@code ebtables-restore --noflush}
 * (one process, one nf_tables transaction with ebtables-nft; all or nothing).
 *
 * <p>Per vif: chains {@code midplane-<vif>-in} (frames from the VM) and {@code
 * midplane-<vif>-out} (frames to it), each ending in an explicit {@code -j DROP}, reached by jumps
 * inserted at the top of FORWARD and INPUT ({@code -i vif}) and of FORWARD and OUTPUT ({@code -o
 * vif}), so rules an administrator put into those chains cannot let a frame skip the checks. The
 * chains return, never accept.
 *
 * <p>A lock removes stale jumps to the vif's chains first; a restore script cannot delete a rule
 * that is not there, so the lock reads {@code ebtables-save -c} before it writes (the counters
 * also give {@link VifStatus}'s drop counts).
 *
 * <p>What ebtables-nft-restore 1.8.9 does, as checked on this SDK's test machines: {@code
 * --noflush} keeps every table and chain the script does not name; a {@code :CHAIN POLICY} line
 * creates the chain or, when it exists, flushes it and sets its policy (which is how a lock starts
 * from a clean slate); {@code -I CHAIN 1}, {@code -D CHAIN spec}, {@code -F} and {@code -X} work
 * as commands; the whole script is one nf_tables transaction, so a {@code -D} of a rule that is
 * not there fails it with the line number and changes nothing; {@code -X} of a chain that still
 * has rules fails with EBUSY, hence the {@code -F} before it. {@code ebtables -L} misreports a
 * user chain's DROP policy as RETURN, which is one more reason the chains end with an explicit
 * {@code -j DROP} rather than a policy.
 */
final class EbtablesBackend implements FilterBackend {
  static final String TABLE = "filter";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Override
  public AntiSpoofing.Backend kind() {
    return AntiSpoofing.Backend.EBTABLES;
  }

  @Override
  public Command readCommand() {
    return Command.builder("ebtables-save", "-c").timeout(TIMEOUT).build();
  }

  @Override
  public Ruleset parse(String output) {
    return Ebtables.parseSave(output);
  }

  @Override
  public boolean lockNeedsCurrentState() {
    return true;
  }

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Command applyCommand(String script) {
    return Command.builder("ebtables-restore", "--noflush").stdin(script).timeout(TIMEOUT).build();
  }

  @Override
  public Ruleset simulate(Ruleset current, String script) {
    return Ebtables.restoreNoflush(current, script);
  }

  /** The ingress checks, as rule specifications in {@code ebtables-save}'s own spelling. */
  static List<String> inRules(VifPolicy p) {
    List<String> r = new ArrayList<>();
    String mac = p.mac().toString();
    r.add("-s ! " + mac + " -j DROP");
    for (Ipv4Address a : p.addresses()) {
      r.add("-p IPv4 --ip-src " + a + " -j RETURN");
    }
    if (p.dhcp()) {
      r.add("-p IPv4 --ip-src 0.0.0.0 --ip-dst 255.255.255.255 --ip-proto udp --ip-sport 68 --ip-dport 67 -j RETURN");
    }
    for (Ipv4Address a : p.addresses()) {
      r.add("-p ARP --arp-ip-src " + a + " --arp-mac-src " + mac + " -j RETURN");
    }
    if (p.dhcp()) {
      r.add("-p ARP --arp-ip-src 0.0.0.0 --arp-mac-src " + mac + " -j RETURN");
    }
    r.add("-j DROP");
    return r;
  }

  /** The egress checks. */
  static List<String> outRules(VifPolicy p) {
    return List.of("-d " + p.mac() + " -j RETURN", "-d Multicast -j RETURN", "-j DROP");
  }

  /** The four jumps that lead a vif's frames into its chains, as {@code CHAIN spec}. */
  static List<String> hooks(InterfaceName vif) {
    String in = FilterBackend.inChain(vif);
    String out = FilterBackend.outChain(vif);
    return List.of(
        "FORWARD -i " + vif + " -j " + in,
        "INPUT -i " + vif + " -j " + in,
        "FORWARD -o " + vif + " -j " + out,
        "OUTPUT -o " + vif + " -j " + out);
  }

  @Override
  public String lockScript(List<VifPolicy> policies, Ruleset current) {
    StringBuilder b = new StringBuilder("*filter\n");
    Set<InterfaceName> vifs = new LinkedHashSet<>();
    policies.forEach(p -> vifs.add(p.vif()));
    for (InterfaceName vif : vifs) {
      deleteJumps(b, vif, current);
    }
    for (VifPolicy p : policies) {
      String in = FilterBackend.inChain(p.vif());
      String out = FilterBackend.outChain(p.vif());
      // Declaring a chain creates it, or flushes the one an earlier vif of this name left.
      b.append(':').append(in).append(" RETURN\n");
      b.append(':').append(out).append(" RETURN\n");
      inRules(p).forEach(r -> b.append("-A ").append(in).append(' ').append(r).append('\n'));
      outRules(p).forEach(r -> b.append("-A ").append(out).append(' ').append(r).append('\n'));
      hooks(p.vif()).forEach(h -> b.append("-I ").append(h.replaceFirst(" ", " 1 ")).append('\n'));
    }
    return b.append("COMMIT\n").toString();
  }

  @Override
  public String unlockScript(Collection<InterfaceName> vifs, Ruleset current) {
    StringBuilder b = new StringBuilder();
    Table t = current.table(Ebtables.FAMILY, TABLE).orElse(null);
    if (t == null) {
      return "";
    }
    for (InterfaceName vif : new LinkedHashSet<>(vifs)) {
      deleteJumps(b, vif, current);
      for (String c : List.of(FilterBackend.inChain(vif), FilterBackend.outChain(vif))) {
        if (t.chain(c).isPresent()) {
          b.append("-F ").append(c).append('\n').append("-X ").append(c).append('\n');
        }
      }
    }
    return b.length() == 0 ? "" : "*filter\n" + b + "COMMIT\n";
  }

  /** Deletes every rule, in any chain, that jumps to one of the vif's chains. */
  private static void deleteJumps(StringBuilder b, InterfaceName vif, Ruleset current) {
    Table t = current.table(Ebtables.FAMILY, TABLE).orElse(null);
    if (t == null) {
      return;
    }
    Set<String> ours = Set.of(FilterBackend.inChain(vif), FilterBackend.outChain(vif));
    for (Chain c : t.chains()) {
      for (Rule r : c.rules()) {
        if (r.action() instanceof Action.Jump j && ours.contains(j.chain())) {
          b.append("-D ").append(c.name()).append(' ').append(r.source()).append('\n');
        }
      }
    }
  }

  @Override
  public List<String> hookProblems(InterfaceName vif, Ruleset live) {
    List<String> problems = new ArrayList<>();
    Table t = live.table(Ebtables.FAMILY, TABLE).orElse(null);
    if (t == null) {
      return List.of("ebtables has no filter table");
    }
    for (String h : hooks(vif)) {
      String chainName = h.substring(0, h.indexOf(' '));
      Rule expected = EbtablesRuleParser.parse(h.substring(h.indexOf(' ') + 1),
          Set.of(FilterBackend.inChain(vif), FilterBackend.outChain(vif)), java.util.Optional.empty());
      Chain c = t.chain(chainName).orElse(null);
      if (c == null) {
        problems.add("chain " + chainName + " is missing");
        continue;
      }
      int at = c.rules().indexOf(expected);
      if (at < 0) {
        problems.add("no jump '" + expected.source() + "' in " + chainName);
        continue;
      }
      for (int k = 0; k < at; k++) {
        Rule before = c.rules().get(k);
        Action a = before.action();
        boolean harmless = a instanceof Action.Drop || a instanceof Action.Continue
            || (a instanceof Action.Jump j && FilterBackend.vifOf(j.chain()).isPresent());
        if (!harmless) {
          problems.add(chainName + " rule " + (k + 1) + " [" + before.source() + "] comes before the "
              + expected.action() + ", so frames it lets through (" + a + ") skip the checks");
        }
      }
    }
    return problems;
  }

  @Override
  public Set<InterfaceName> vifsIn(Ruleset live) {
    Set<InterfaceName> out = new LinkedHashSet<>();
    live.table(Ebtables.FAMILY, TABLE).ifPresent(t -> t.chains().forEach(c -> FilterBackend.vifOf(c.name()).ifPresent(out::add)));
    return out;
  }
}
