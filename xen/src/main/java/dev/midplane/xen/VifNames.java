package dev.midplane.xen;

import com.google.common.hash.Hashing;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stable names for a VM's interfaces in dom0, so that its anti-spoofing rules can be keyed by
 * name and installed on a host before the VM arrives there. Xen names a backend interface
 * {@code vif<domid>.<devid>}, and the domain id changes with every start and every migration; a
 * {@code vifname=} in the vif spec makes the hotplug script rename it, and that name stays.
 *
 * <p>The rule, for interface {@code n} (0–99) of VM {@code name}:
 * <ul>
 *   <li>{@code <name>-<n>} when the name has at most {@value #MAX_PLAIN} characters
 *       ({@code web01-0});
 *   <li>otherwise the first three characters of the name and five characters of a hash of the
 *       whole name, {@code <abc><hhhhh>-<n>} ({@code mai4k2qx-0} for {@code mail-frontend}), so
 *       every abbreviated stem has exactly 8 characters and can never equal a plain one.
 * </ul>
 * The result has at most {@value #MAX_LENGTH} characters: Linux allows 15, and for an HVM guest's
 * emulated NIC the hotplug script adds {@code -emu} to the name. Names are unique per VM because
 * VM names are unique; the hash makes abbreviated ones unique in practice, and
 * {@link dev.midplane.xen.chassis.Profiles} refuses a profile whose vif names another profile
 * already uses.
 *
 * <pre>{@code
 * VifNames.of(DomainName.of("web01"), 0);          // web01-0
 * DomainConfig c = VifNames.assign(config);          // every vif has a vifname now
 * }</pre>
 */
public final class VifNames {
  /** The longest name this rule gives: 15 (IFNAMSIZ - 1) less 4 for the {@code -emu} suffix. */
  public static final int MAX_LENGTH = 11;
  /** The longest VM name used as it is. */
  public static final int MAX_PLAIN = 8;
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

  private VifNames() {}

  /** The stable name of interface {@code index} (0–99) of {@code vm}. */
  public static InterfaceName of(DomainName vm, int index) {
    if (index < 0 || index > 99) {
      throw new IllegalArgumentException("a VM's interface index is 0-99: " + index);
    }
    return InterfaceName.of(stem(vm) + "-" + index);
  }

  /** The part before {@code -<n>}: the name itself, or three characters and a hash. */
  static String stem(DomainName vm) {
    String name = vm.value();
    if (name.length() <= MAX_PLAIN) {
      return name;
    }
    long h = Hashing.sha256().hashString(name, StandardCharsets.UTF_8).asLong();
    StringBuilder b = new StringBuilder(name.substring(0, 3));
    for (int i = 0; i < 5; i++) {
      b.append(BASE32.charAt((int) (h >>> (5 * i)) & 31));
    }
    return b.toString();
  }

  /**
   * {@code config} with a {@code vifname=} on every vif that has none, by this rule. Vifs that have
   * one keep it (it must be a valid name of at most {@link #MAX_LENGTH} characters).
   *
   * @throws IllegalArgumentException when a given vifname is too long for an HVM guest's
   *     {@code -emu} device, or two vifs share a name
   */
  public static DomainConfig assign(DomainConfig config) {
    DomainName vm = config.name();
    List<VifSpec> vifs = config.vifs();
    List<VifSpec> out = new ArrayList<>();
    List<InterfaceName> seen = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < vifs.size(); i++) {
      VifSpec v = vifs.get(i);
      InterfaceName name = v.vifname().orElse(null);
      if (name == null) {
        name = of(vm, i);
        v = v.toBuilder().vifname(name).build();
        changed = true;
      } else if (name.value().length() > MAX_LENGTH) {
        throw new IllegalArgumentException("vifname " + name + " of " + vm + " has more than " + MAX_LENGTH
            + " characters: the hotplug script names an HVM guest's emulated NIC '" + name + "-emu', beyond Linux's 15");
      }
      if (seen.contains(name)) {
        throw new IllegalArgumentException("two vifs of " + vm + " are named " + name);
      }
      seen.add(name);
      out.add(v);
    }
    return changed ? config.withVifs(out) : config;
  }
}
