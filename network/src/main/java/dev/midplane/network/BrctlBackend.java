package dev.midplane.network;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.ParseException;
import dev.midplane.core.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bridges through bridge-utils: {@code brctl addbr/delbr/addif/delif/stp/setfd/setageing}, read
 * with {@code brctl show}. What brctl cannot do — set a device up or down, create bonds and
 * VLANs — goes through {@code ip}, which every Linux host has; devices and addresses are read with
 * {@code ip -j} when that works, so on an iproute2 too old for JSON only bridges are verified.
 * brctl has no batch mode: one process per command.
 */
final class BrctlBackend implements LinkBackend {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
    try {
      LiveState ip = LiveState.fromIp(host.execute(Iproute2Backend.readCommand()).stdout());
      return new LiveState(ip.links(), bridges, ip.addresses());
    } catch (CommandFailedException | ParseException e) {
      return new LiveState(Map.of(), bridges, List.of());
    }
  }

  private static Command brctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("brctl"));
    argv.addAll(List.of(args));
    return Command.builder().args(argv).timeout(TIMEOUT).build();
  }

  @Override
  public List<Command> commands(LinkChange c) {
    if (c instanceof LinkChange.CreateBridge b) {
      String n = b.name().value();
      List<Command> l = new ArrayList<>(List.of(brctl("addbr", n), brctl("stp", n, b.options().stp() ? "on" : "off"),
          brctl("setfd", n, BridgeOptions.seconds(b.options().forwardDelay()))));
      b.options().ageingTime().ifPresent(t -> l.add(brctl("setageing", n, BridgeOptions.seconds(t))));
      return l;
    }
    if (c instanceof LinkChange.Delete d && d.bridge()) {
      // brctl refuses to delete a bridge that is up.
      return List.of(Iproute2Backend.command(new LinkChange.SetUp(d.name(), false)), brctl("delbr", d.name().value()));
    }
    if (c instanceof LinkChange.Attach a) {
      return List.of(brctl("addif", a.master().value(), a.port().value()));
    }
    if (c instanceof LinkChange.Detach d) {
      return List.of(brctl("delif", d.master().value(), d.port().value()));
    }
    return List.of(Iproute2Backend.command(c));
  }

  @Override
  public Optional<String> batchLine(LinkChange change) {
    return Optional.empty();
  }
}
