package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The toolset of initscripts: bridges through bridge-utils ({@code brctl addbr/delbr/addif/delif/
 * stp/setfd/setageing}, read with {@code brctl show}), bonds through the bonding driver's sysfs
 * files, and what neither does — setting devices up or down, VLANs, addresses — with {@code ip}.
 * Devices and addresses are read with {@code ip -j} where it works, else from sysfs and {@code ip
 * -o addr}. brctl has no batch mode: one process per command.
 */
final class BrctlBackend implements LinkBackend {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final LiveReader reader = new LiveReader();

  static Command showCommand() {
    return Command.builder("brctl", "show").timeout(TIMEOUT).build();
  }

  @Override
  public Network.Backend kind() {
    return Network.Backend.BRIDGE_UTILS;
  }

  @Override
  public LiveState read(Host host) {
    List<BridgeStatus> bridges = Brctl.parseShow(host.execute(showCommand()).stdout());
    LiveState links = reader.read(host);
    return new LiveState(links.links(), bridges, links.addresses());
  }

  private static Command brctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("brctl"));
    argv.addAll(List.of(args));
    return Command.builder().args(argv).timeout(TIMEOUT).build();
  }

  @Override
  public List<Command> commands(LinkChange c) {
    if (SysfsBonding.handles(c)) {
      return List.of();
    }
    if (c instanceof LinkChange.CreateBridge b) {
      String n = b.name().value();
      List<Command> l = new ArrayList<>(List.of(brctl("addbr", n), brctl("stp", n, b.options().stp() ? "on" : "off"),
          brctl("setfd", n, BridgeOptions.seconds(b.options().forwardDelay()))));
      b.options().ageingTime().ifPresent(t -> l.add(brctl("setageing", n, BridgeOptions.seconds(t))));
      return l;
    }
    if (c instanceof LinkChange.Delete d && d.kind() == LinkChange.DeviceKind.BRIDGE) {
      // brctl refuses to delete a bridge that is up.
      return List.of(IpCommands.command(new LinkChange.SetUp(d.name(), false)), brctl("delbr", d.name().value()));
    }
    if (c instanceof LinkChange.Attach a) {
      return List.of(brctl("addif", a.master().value(), a.port().value()));
    }
    if (c instanceof LinkChange.Detach d) {
      return List.of(brctl("delif", d.master().value(), d.port().value()));
    }
    return List.of(IpCommands.command(c));
  }

  @Override
  public List<AttributeWrite> writes(LinkChange change) {
    return SysfsBonding.handles(change) ? SysfsBonding.writes(change) : List.of();
  }

  @Override
  public void apply(Host host, LinkChange c) {
    if (SysfsBonding.handles(c)) {
      SysfsBonding.apply(host, c);
    } else if (c instanceof LinkChange.Delete d && d.kind() == LinkChange.DeviceKind.BRIDGE) {
      deleteBridge(host, d.name().value());
    } else if (c instanceof LinkChange.CreateBridge b) {
      List<Command> cmds = commands(c);
      host.execute(cmds.get(0));
      try {
        cmds.subList(1, cmds.size()).forEach(host::execute);
      } catch (RuntimeException e) {
        try {
          host.execute(brctl("delbr", b.name().value())); // a new bridge is down: delbr takes it
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
        }
        throw e;
      }
    } else {
      commands(c).forEach(host::execute);
    }
  }

  /**
   * {@code brctl delbr}, which refuses a bridge that is up ("bridge X is still up; can't delete
   * it"): then the bridge is set down and deleted, and set up again should the delete still fail.
   */
  private static void deleteBridge(Host host, String name) {
    Command delbr = brctl("delbr", name);
    dev.midplane.core.exec.CommandResult first = host.run(delbr);
    if (first.isSuccess()) {
      return;
    }
    if (!first.stderr().contains("still up")) {
      first.requireSuccess(host.name().value());
    }
    LinkChange.SetUp down = new LinkChange.SetUp(dev.midplane.core.names.InterfaceName.of(name), false);
    host.execute(IpCommands.command(down));
    try {
      host.execute(delbr);
    } catch (RuntimeException e) {
      try {
        host.execute(IpCommands.command(new LinkChange.SetUp(down.name(), true)));
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  @Override
  public Optional<String> batchLine(LinkChange change) {
    return Optional.empty();
  }
}
