package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.util.List;
import java.util.Optional;

/**
 * How one family of tools reads and changes devices. The iproute2 backend handles every change
 * and batches them; the bridge-utils backend handles bridges with {@code brctl} and leaves the
 * rest (up/down, bonds, VLANs) to {@code ip}. A sysfs bonding backend fits the same shape.
 */
interface LinkBackend {
  Network.Backend kind();

  /** One read of the live state this backend verifies against. */
  LiveState read(Host host);

  /** The commands that make the change, run one after another; each is one process. */
  List<Command> commands(LinkChange change);

  /** The change as one line of {@code ip -batch}, when this backend batches. */
  Optional<String> batchLine(LinkChange change);
}
