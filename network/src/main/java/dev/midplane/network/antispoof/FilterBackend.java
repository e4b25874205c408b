package dev.midplane.network.antispoof;

import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One way of putting anti-spoofing rules into the kernel. Implementations render scripts for
 * their tool, read the live state back, and say which parts of a ruleset belong to which vif.
 */
interface FilterBackend {
  AntiSpoofing.Backend kind();

  /** The command that prints the live state this backend parses with {@link #parse}. */
  Command readCommand();

  Ruleset parse(String output);

  /**
   * The script that locks every policy at once. {@code current} is the live state, for the stale
   * rules a clean slate has to remove; a backend that needs no state ignores it.
   */
  String lockScript(List<VifPolicy> policies, Ruleset current);

  /** The script that removes every trace of the vifs; empty when there is nothing to remove. */
  String unlockScript(Collection<InterfaceName> vifs, Ruleset current);

  /** The command that applies a script atomically, in one process. */
  Command applyCommand(String script);

  /** What the tool makes of the script on top of {@code current} (all or nothing). */
  Ruleset simulate(Ruleset current, String script);

  /** Whether lock scripts depend on the live state (then a lock reads before it writes). */
  boolean lockNeedsCurrentState();

  /** The table holding the vif chains, for model evaluation. */
  String table();

  /** Names of the ingress and egress chains of a vif. */
  static String inChain(InterfaceName vif) {
    return "midplane-" + vif.value() + "-in";
  }

  static String outChain(InterfaceName vif) {
    return "midplane-" + vif.value() + "-out";
  }

  /** The vif whose chain this is, if it is one of ours. */
  static Optional<InterfaceName> vifOf(String chain) {
    String v = null;
    if (chain.startsWith("midplane-") && chain.endsWith("-in")) {
      v = chain.substring("midplane-".length(), chain.length() - "-in".length());
    } else if (chain.startsWith("midplane-") && chain.endsWith("-out")) {
      v = chain.substring("midplane-".length(), chain.length() - "-out".length());
    }
    return v != null && InterfaceName.isValid(v) ? Optional.of(InterfaceName.of(v)) : Optional.empty();
  }

  /**
   * Problems with how the vif's chains are reached in {@code live}: a missing jump, a rule that
   * lets frames skip the checks. Chain contents are compared separately.
   */
  List<String> hookProblems(InterfaceName vif, Ruleset live);

  /** The vifs whose chains are reached from a hook in {@code live}, or have chains at all. */
  java.util.Set<InterfaceName> vifsIn(Ruleset live);
}
