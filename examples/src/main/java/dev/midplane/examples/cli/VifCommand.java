package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.VifPolicy;
import dev.midplane.network.antispoof.VifStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code midplane vif lock|unlock|status}: anti-spoofing of VM interfaces on this host, with
 * ebtables or nftables (run as root). Every change is applied in one process and verified by
 * reading the rules back and running probe frames through them.
 */
@Command(name = "vif", mixinStandardHelpOptions = true,
    description = {
        "Lock or unlock a VM's interface (vifD.N) against spoofing and sniffing (ebtables or nftables, as root).",
        "A locked VM may send only from its MAC and IPv4 addresses (ARP included) and receives only frames",
        "for its MAC, broadcast and multicast."},
    subcommands = {VifCommand.Lock.class, VifCommand.Unlock.class, VifCommand.Status.class})
final class VifCommand implements Runnable {
  /** The tool the rules are written with. */
  enum Tool {
    ebtables(AntiSpoofing.Backend.EBTABLES),
    nft(AntiSpoofing.Backend.NFTABLES);

    final AntiSpoofing.Backend backend;

    Tool(AntiSpoofing.Backend backend) {
      this.backend = backend;
    }
  }

  @ParentCommand
  private Midplane parent;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say lock, unlock or status (see midplane vif --help)");
  }

  /** Options every vif command has. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand
    VifCommand vif;

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "ebtables|nft",
        description = "The tool for the rules (default: nft when it works here, else ebtables).")
    Tool tool;

    AntiSpoofing antiSpoofing(boolean changes) {
      Host host = vif.parent.environment().localHost().get();
      if (changes && host.kind() == Host.Kind.LOCAL && !isRoot()) {
        throw new MidplaneException("changing bridge filter rules needs root (run it with sudo), or use --dry-run");
      }
      return tool == null ? AntiSpoofing.on(host) : AntiSpoofing.on(host, tool.backend);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static boolean isRoot() {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }
  }

  /** {@code vif lock}. */
  @Command(name = "lock", mixinStandardHelpOptions = true, description = "Lock a vif: replace whatever rules it had with its policy, verify them.")
  static final class Lock extends Base {
    @Option(names = "--vif", required = true, paramLabel = "vifD.N", description = "The VM's interface in dom0.")
    InterfaceName name;

    @Option(names = "--mac", required = true, paramLabel = "MAC", description = "The VM's MAC address.")
    MacAddress mac;

    @Option(names = "--ip", paramLabel = "IP", description = "An IPv4 address the VM may use (repeat for more).")
    List<Ipv4Address> ips = new ArrayList<>();

    @Option(names = "--dhcp", description = "Also let DHCP client broadcasts and ARP probes out.")
    boolean dhcp;

    @Option(names = "--dry-run", description = "Print the plan and the exact script; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      if (ips.isEmpty() && !dhcp) {
        throw new BadInputException("give the VM's addresses with --ip (or allow --dhcp): without either it could send no IPv4 at all");
      }
      VifPolicy policy;
      try {
        policy = VifPolicy.builder().vif(name).mac(mac).addAllAddresses(ips).dhcp(dhcp).build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new BadInputException(e.getMessage(), e);
      }
      AntiSpoofing as = antiSpoofing(!dryRun);
      if (dryRun) {
        out().print(as.dryRun(List.of(policy)));
      } else {
        PlanReport report = as.lock(policy);
        out().print(report);
        out().println(as.status(name));
      }
      out().flush();
      return Midplane.OK;
    }
  }

  /** {@code vif unlock}. */
  @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Remove a vif's rules (and nothing else).")
  static final class Unlock extends Base {
    @Option(names = "--vif", required = true, paramLabel = "vifD.N", description = "The VM's interface in dom0.")
    InterfaceName name;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      AntiSpoofing as = antiSpoofing(!dryRun);
      if (dryRun) {
        out().print(as.unlockPlan(List.of(name)).dryRun());
      } else {
        out().print(as.unlock(name));
        out().println(as.status(name));
      }
      out().flush();
      return Midplane.OK;
    }
  }

  /** {@code vif status}. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the lock of one vif, or of every vif that has rules.")
  static final class Status extends Base {
    @Option(names = "--vif", paramLabel = "vifD.N", description = "Only this vif.")
    InterfaceName name;

    @Override
    public Integer call() {
      AntiSpoofing as = antiSpoofing(false);
      List<VifStatus> all = name == null ? as.statusAll() : List.of(as.status(name));
      if (all.isEmpty()) {
        out().println("no vif has anti-spoofing rules");
      }
      all.forEach(out()::println);
      out().flush();
      return Midplane.OK;
    }
  }
}
