package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.util.List;
import java.util.Optional;

/**
 * How one family of tools reads and changes devices: the narrow SPI behind {@link Network}. The
 * iproute2 backend makes every change with {@code ip} and batches them; the bridge-utils backend
 * makes bridges with {@code brctl} and bonds through sysfs, as initscripts do; the sysfs backend
 * makes bonds through the bonding driver's sysfs files and the rest with {@code ip}. Each passes
 * the same contract (the test suite {@code LinkBackendContract}).
 */
interface LinkBackend {
  Network.Backend kind();

  /** One read of the live state this backend verifies against. */
  LiveState read(Host host);

  /** The processes {@link #apply} runs for the change, in order (what a dry run shows). */
  List<Command> commands(LinkChange change);

  /** The kernel attribute writes {@link #apply} makes for the change, in order (what a dry run shows). */
  List<AttributeWrite> writes(LinkChange change);

  /**
   * Makes the change, all or nothing: when a later command or write of the change fails, what the
   * earlier ones did is taken back before the failure is thrown.
   */
  void apply(Host host, LinkChange change);

  /** The change as one line of {@code ip -batch}, when this backend batches it. */
  Optional<String> batchLine(LinkChange change);

  /** One write to a sysfs attribute, as a dry run shows it. */
  record AttributeWrite(String path, String value) {
    @Override
    public String toString() {
      return "echo '" + value + "' > " + path;
    }
  }
}
