package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.util.List;
import java.util.Optional;

/**
 * Devices through iproute2: reads {@code ip -j -d addr show} (devices, their details and
 * addresses in one process), changes with {@code ip link …} and {@code ip addr …} — and many
 * changes at once with one {@code ip -batch -}. The one change iproute2 cannot make, clearing a
 * bond's primary, is a sysfs write.
 */
final class Iproute2Backend implements LinkBackend {
  static Command readCommand() {
    return IpCommands.readCommand();
  }

  @Override
  public Network.Backend kind() {
    return Network.Backend.IPROUTE2;
  }

  @Override
  public LiveState read(Host host) {
    return LiveState.fromIp(host.execute(readCommand()).stdout());
  }

  @Override
  public List<Command> commands(LinkChange change) {
    return IpCommands.canMake(change) ? List.of(IpCommands.command(change)) : List.of();
  }

  @Override
  public List<AttributeWrite> writes(LinkChange change) {
    return IpCommands.canMake(change) ? List.of() : SysfsBonding.writes(change);
  }

  @Override
  public void apply(Host host, LinkChange change) {
    if (IpCommands.canMake(change)) {
      host.execute(IpCommands.command(change));
    } else {
      SysfsBonding.apply(host, change);
    }
  }

  @Override
  public Optional<String> batchLine(LinkChange change) {
    return IpCommands.batchLine(change);
  }
}
