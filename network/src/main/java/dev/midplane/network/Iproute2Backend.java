package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Devices through iproute2: reads {@code ip -j -d addr show} (devices, their details and
 * addresses in one process), changes with {@code ip link …} — and many changes at once with one
 * {@code ip -batch -}.
 */
final class Iproute2Backend implements LinkBackend {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static Command readCommand() {
    return Command.builder("ip", "-j", "-d", "addr", "show").timeout(TIMEOUT).build();
  }

  @Override
  public Network.Backend kind() {
    return Network.Backend.IPROUTE2;
  }

  @Override
  public LiveState read(Host host) {
    return LiveState.fromIp(host.execute(readCommand()).stdout());
  }

  /** The words after {@code ip} for a change. */
  static List<String> words(LinkChange c) {
    List<String> w = new ArrayList<>();
    if (c instanceof LinkChange.CreateBridge b) {
      w.addAll(List.of("link", "add", b.name().value(), "type", "bridge"));
      w.addAll(b.options().ipArguments());
    } else if (c instanceof LinkChange.CreateBond b) {
      w.addAll(List.of("link", "add", b.name().value(), "type", "bond"));
      w.addAll(b.options().ipArguments());
    } else if (c instanceof LinkChange.CreateVlan v) {
      w.addAll(List.of("link", "add", "link", v.parent().value(), "name", v.name().value(), "type", "vlan", "id",
          String.valueOf(v.id())));
    } else if (c instanceof LinkChange.Delete d) {
      w.addAll(List.of("link", "del", d.name().value()));
    } else if (c instanceof LinkChange.Attach a) {
      w.addAll(List.of("link", "set", a.port().value(), "master", a.master().value()));
    } else if (c instanceof LinkChange.Detach d) {
      w.addAll(List.of("link", "set", d.port().value(), "nomaster"));
    } else if (c instanceof LinkChange.SetUp s) {
      w.addAll(List.of("link", "set", s.name().value(), s.up() ? "up" : "down"));
    }
    return w;
  }

  static Command command(LinkChange c) {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(words(c));
    return Command.builder().args(argv).timeout(TIMEOUT).build();
  }

  @Override
  public List<Command> commands(LinkChange change) {
    return List.of(command(change));
  }

  @Override
  public Optional<String> batchLine(LinkChange change) {
    return Optional.of(String.join(" ", words(change)));
  }
}
