package dev.midplane.network.persist;

import dev.midplane.core.Host;
import dev.midplane.core.plan.Plan;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The NetworkManager keyfiles of a host ({@value #DIRECTORY}, under the host's root), one
 * {@code <device>.nmconnection} per device, mode 0600 (NetworkManager ignores keyfiles others can
 * read). Written whole: a keyfile describes one connection, and the SDK's is complete.
 */
public final class KeyfileStore implements ConfigStore {
  public static final String DIRECTORY = "/etc/NetworkManager/system-connections";
  static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");
  private final Host host;

  private KeyfileStore(Host host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  public static KeyfileStore on(Host host) {
    return new KeyfileStore(host);
  }

  /** Every {@code .nmconnection} file, parsed, by file name. */
  public Map<String, Keyfile> files() {
    Map<String, Keyfile> out = new LinkedHashMap<>();
    ConfigFiles.read(host.path(DIRECTORY), n -> n.endsWith(".nmconnection")).forEach((n, t) -> out.put(n, Keyfile.parse(n, t)));
    return out;
  }

  /** What the keyfiles configure. */
  @Override
  public List<InterfaceConfig> interfaces() {
    List<InterfaceConfig> out = new ArrayList<>();
    files().forEach((n, k) -> out.add(KeyfileFormat.read(n, k)));
    return out;
  }

  /** The text of each keyfile a plan for {@code configs} writes. */
  public Map<String, String> render(List<InterfaceConfig> configs) {
    Map<String, String> out = new LinkedHashMap<>();
    configs.forEach(c -> out.put(KeyfileFormat.fileName(c.name()), KeyfileFormat.render(c).render()));
    return out;
  }

  @Override
  public Plan plan(List<InterfaceConfig> configs) {
    Map<String, InterfaceConfig> byFile = new LinkedHashMap<>();
    configs.forEach(c -> byFile.put(KeyfileFormat.fileName(c.name()), c));
    return ConfigFiles.plan("write " + configs.size() + " NetworkManager keyfiles on " + host.name(), host, DIRECTORY,
        render(configs), Optional.of(MODE), (name, text) -> {
          InterfaceConfig read = KeyfileFormat.read(name, Keyfile.parse(name, text));
          return read.equals(byFile.get(name)) ? Optional.empty()
              : Optional.of(name + " reads back as " + read + ", not " + byFile.get(name));
        });
  }
}
