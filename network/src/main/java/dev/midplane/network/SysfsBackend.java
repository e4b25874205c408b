package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.util.List;
import java.util.Optional;

/**
 * Bonds through the bonding driver's sysfs files (see {@link SysfsBonding}), everything else with
 * one {@code ip} process per change; the live state read with {@code ip -j} where it works, else
 * from sysfs. For kernels and iproute2s too old for {@code ip link add … type bond}, and for
 * hosts where bonds must be driven the way initscripts drive them.
 */
final class SysfsBackend implements LinkBackend {
  private final LiveReader reader = new LiveReader();

  @Override
  public Network.Backend kind() {
    return Network.Backend.SYSFS;
  }

  @Override
  public LiveState read(Host host) {
    return reader.read(host);
  }

  @Override
  public List<Command> commands(LinkChange change) {
    return SysfsBonding.handles(change) ? List.of() : List.of(IpCommands.command(change));
  }

  @Override
  public List<AttributeWrite> writes(LinkChange change) {
    return SysfsBonding.handles(change) ? SysfsBonding.writes(change) : List.of();
  }

  @Override
  public void apply(Host host, LinkChange change) {
    if (SysfsBonding.handles(change)) {
      SysfsBonding.apply(host, change);
    } else {
      host.execute(IpCommands.command(change));
    }
  }

  @Override
  public Optional<String> batchLine(LinkChange change) {
    return Optional.empty();
  }
}
