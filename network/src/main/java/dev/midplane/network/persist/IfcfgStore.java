package dev.midplane.network.persist;

import dev.midplane.core.Host;
import dev.midplane.core.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code ifcfg-*} files of a host ({@value #DIRECTORY}, under the host's root).
 *
 * <pre>{@code
 * IfcfgStore store = IfcfgStore.on(host);
 * store.interfaces();                              // what the files say, typed
 * store.plan(BladeLayout.standard()).apply();      // write them; verified, rolled back on failure
 * }</pre>
 *
 * <p>Writing merges: for a device that already has a file, the keys this SDK manages are replaced
 * and every other line — {@code HWADDR}, {@code UUID}, comments — stays. Backups
 * ({@code .bak}, {@code ~}, {@code .rpmsave}, …) and hidden files are not read, as initscripts
 * skips them. Unless {@link #managedByNetworkManager()} is used, files say {@code
 * NM_CONTROLLED=no}, as a Xen host using the initscripts network service wants.
 */
public final class IfcfgStore implements ConfigStore {
  public static final String DIRECTORY = "/etc/sysconfig/network-scripts";
  private final Host host;
  private final boolean nmControlled;

  private IfcfgStore(Host host, boolean nmControlled) {
    this.host = Objects.requireNonNull(host, "host");
    this.nmControlled = nmControlled;
  }

  public static IfcfgStore on(Host host) {
    return new IfcfgStore(host, false);
  }

  /** The same store, writing files NetworkManager's ifcfg-rh plugin may manage (no {@code NM_CONTROLLED=no}). */
  public IfcfgStore managedByNetworkManager() {
    return new IfcfgStore(host, true);
  }

  /** Every {@code ifcfg-*} file, parsed, by file name. @throws dev.midplane.core.ParseException naming file and line */
  public Map<String, IfcfgFile> files() {
    Map<String, IfcfgFile> out = new LinkedHashMap<>();
    ConfigFiles.read(host.path(DIRECTORY), n -> n.startsWith("ifcfg-")).forEach((n, t) -> out.put(n, IfcfgFile.parse(n, t)));
    return out;
  }

  /** What the files configure. */
  @Override
  public List<InterfaceConfig> interfaces() {
    List<InterfaceConfig> out = new ArrayList<>();
    files().forEach((n, f) -> out.add(IfcfgFormat.read(n, f)));
    return out;
  }

  /** The text of each file a plan for {@code configs} writes, merged with the files there now. */
  public Map<String, String> render(List<InterfaceConfig> configs) {
    Map<String, IfcfgFile> existing = files();
    Map<String, String> out = new LinkedHashMap<>();
    for (InterfaceConfig c : configs) {
      String name = IfcfgFormat.fileName(c.name());
      out.put(name, IfcfgFormat.render(c, existing.getOrDefault(name, IfcfgFile.empty()), nmControlled).render());
    }
    return out;
  }

  @Override
  public Plan plan(List<InterfaceConfig> configs) {
    Map<String, InterfaceConfig> byFile = new LinkedHashMap<>();
    configs.forEach(c -> byFile.put(IfcfgFormat.fileName(c.name()), c));
    return ConfigFiles.plan("write " + configs.size() + " ifcfg files on " + host.name(), host, DIRECTORY,
        render(configs), Optional.empty(), (name, text) -> {
          InterfaceConfig read = IfcfgFormat.read(name, IfcfgFile.parse(name, text));
          return read.equals(byFile.get(name)) ? Optional.empty()
              : Optional.of(name + " reads back as " + read + ", not " + byFile.get(name));
        });
  }
}
