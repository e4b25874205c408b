package dev.midplane.network;

import dev.midplane.core.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Link changes as iproute2 words: {@code ip link add … type bond|bridge|vlan}, {@code ip link set
 * … master|nomaster|up|down|type bond OPTION VALUE}, {@code ip addr add|del}. The same words make a
 * command ({@code ip WORDS}) and a line of {@code ip -batch -}.
 */
final class IpCommands {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private IpCommands() {}

  /** {@code ip -j -d addr show}: every device with its details and addresses, in one process. */
  static Command readCommand() {
    return Command.builder("ip", "-j", "-d", "addr", "show").timeout(TIMEOUT).build();
  }

  /** The words after {@code ip}, or empty for a change iproute2 cannot make (clearing a primary). */
  static Optional<List<String>> words(LinkChange c) {
    List<String> w = new ArrayList<>();
    if (c instanceof LinkChange.CreateBridge b) {
      w.addAll(List.of("link", "add", b.name().value(), "type", "bridge"));
      w.addAll(b.options().ipArguments());
    } else if (c instanceof LinkChange.CreateBond b) {
      w.addAll(List.of("link", "add", b.name().value(), "type", "bond"));
      List<String> args = b.options().ipArguments();
      for (int i = 0; i < args.size(); i += 2) {
        w.add(BondOptionValues.ipWord(args.get(i)));
        w.add(args.get(i + 1));
      }
    } else if (c instanceof LinkChange.CreateVlan v) {
      w.addAll(List.of("link", "add", "link", v.parent().value(), "name", v.name().value(), "type", "vlan", "id",
          String.valueOf(v.id())));
    } else if (c instanceof LinkChange.Delete d) {
      w.addAll(List.of("link", "del", d.name().value()));
    } else if (c instanceof LinkChange.Attach a) {
      w.addAll(List.of("link", "set", a.port().value(), "master", a.master().value()));
    } else if (c instanceof LinkChange.Detach d) {
      w.addAll(List.of("link", "set", d.port().value(), "nomaster"));
    } else if (c instanceof LinkChange.Enslave e) {
      w.addAll(List.of("link", "set", e.slave().value(), "master", e.bond().value()));
    } else if (c instanceof LinkChange.Release r) {
      w.addAll(List.of("link", "set", r.slave().value(), "nomaster"));
    } else if (c instanceof LinkChange.SetUp s) {
      w.addAll(List.of("link", "set", s.name().value(), s.up() ? "up" : "down"));
    } else if (c instanceof LinkChange.SetBondOption o) {
      if (o.option().equals("primary") && o.value().isEmpty()) {
        return Optional.empty(); // iproute2 names the primary by interface; it cannot clear it
      }
      w.addAll(List.of("link", "set", o.bond().value(), "type", "bond", BondOptionValues.ipWord(o.option()), o.value()));
    } else if (c instanceof LinkChange.SetArpTargets t) {
      w.addAll(List.of("link", "set", t.bond().value(), "type", "bond", "arp_ip_target",
          BondOptionValues.join(t.targets())));
    } else if (c instanceof LinkChange.SetActiveSlave a) {
      w.addAll(List.of("link", "set", a.bond().value(), "type", "bond", "active_slave", a.slave().value()));
    } else if (c instanceof LinkChange.AddAddress a) {
      w.addAll(List.of("addr", "add", a.address() + "/" + a.prefixLength(), "dev", a.device().value()));
    } else if (c instanceof LinkChange.DeleteAddress a) {
      w.addAll(List.of("addr", "del", a.address() + "/" + a.prefixLength(), "dev", a.device().value()));
    } else {
      throw new IllegalStateException("no iproute2 words for " + c);
    }
    return Optional.of(w);
  }

  static boolean canMake(LinkChange c) {
    return words(c).isPresent();
  }

  /** {@code ip WORDS} as one command. */
  static Command command(LinkChange c) {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(words(c).orElseThrow(() -> new IllegalStateException("iproute2 cannot " + c.description())));
    return Command.builder().args(argv).timeout(TIMEOUT).build();
  }

  /**
   * The words as one line of {@code ip -batch}: words are separated by blanks, and an empty word
   * (clearing the ARP targets) is written {@code ""}, which the batch reader takes as an empty
   * argument.
   */
  static Optional<String> batchLine(LinkChange c) {
    return words(c).map(w -> String.join(" ", w.stream().map(x -> x.isEmpty() ? "\"\"" : x).toList()));
  }
}
