package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bonds through the bonding driver's sysfs interface ({@code Documentation/networking/bonding.rst},
 * "Configuring Bonding Manually via Sysfs"), the only interface older kernels and iproute2s have:
 * {@code +bond}/{@code -bond} to {@code /sys/class/net/bonding_masters}, {@code +slave}/{@code
 * -slave} to {@code bonding/slaves}, one value per option file, {@code +addr}/{@code -addr} to
 * {@code bonding/arp_ip_target}. Each write is one attribute write on the host (no process); a
 * refusal is the kernel's errno in an {@link dev.midplane.core.files.AttributeWriteException}.
 */
final class SysfsBonding {
  static final String MASTERS = "/sys/class/net/bonding_masters";

  private SysfsBonding() {}

  /** Whether this is a bond change sysfs makes. */
  static boolean handles(LinkChange c) {
    return c instanceof LinkChange.CreateBond || c instanceof LinkChange.Delete d && d.kind() == LinkChange.DeviceKind.BOND
        || c instanceof LinkChange.Enslave || c instanceof LinkChange.Release || c instanceof LinkChange.SetBondOption
        || c instanceof LinkChange.SetArpTargets || c instanceof LinkChange.SetActiveSlave;
  }

  static String attribute(InterfaceName bond, String option) {
    return "/sys/class/net/" + bond.value() + "/bonding/" + option;
  }

  /** The writes, in order; for ARP targets those that turn the planned-from targets into the new ones. */
  static List<LinkBackend.AttributeWrite> writes(LinkChange c) {
    List<LinkBackend.AttributeWrite> w = new ArrayList<>();
    if (c instanceof LinkChange.CreateBond b) {
      w.add(new LinkBackend.AttributeWrite(MASTERS, "+" + b.name()));
      for (String kv : b.options().keyValues()) {
        int eq = kv.indexOf('=');
        String option = kv.substring(0, eq);
        String value = kv.substring(eq + 1);
        if (option.equals("arp_ip_target")) {
          for (String t : value.split(",")) {
            w.add(new LinkBackend.AttributeWrite(attribute(b.name(), option), "+" + t));
          }
        } else {
          w.add(new LinkBackend.AttributeWrite(attribute(b.name(), option), value));
        }
      }
    } else if (c instanceof LinkChange.Delete d) {
      w.add(new LinkBackend.AttributeWrite(MASTERS, "-" + d.name()));
    } else if (c instanceof LinkChange.Enslave e) {
      w.add(new LinkBackend.AttributeWrite(attribute(e.bond(), "slaves"), "+" + e.slave()));
    } else if (c instanceof LinkChange.Release r) {
      w.add(new LinkBackend.AttributeWrite(attribute(r.bond(), "slaves"), "-" + r.slave()));
    } else if (c instanceof LinkChange.SetBondOption o) {
      w.add(new LinkBackend.AttributeWrite(attribute(o.bond(), o.option()), o.value()));
    } else if (c instanceof LinkChange.SetArpTargets t) {
      w.addAll(targetWrites(t.bond(), t.previous(), t.targets()));
    } else if (c instanceof LinkChange.SetActiveSlave a) {
      w.add(new LinkBackend.AttributeWrite(attribute(a.bond(), "active_slave"), a.slave().value()));
    } else {
      throw new IllegalStateException("not a sysfs bonding change: " + c);
    }
    return w;
  }

  private static List<LinkBackend.AttributeWrite> targetWrites(InterfaceName bond, List<Ipv4Address> from,
      List<Ipv4Address> to) {
    List<LinkBackend.AttributeWrite> w = new ArrayList<>();
    String file = attribute(bond, "arp_ip_target");
    Set<Ipv4Address> keep = new LinkedHashSet<>(to);
    from.stream().filter(a -> !keep.contains(a)).forEach(a -> w.add(new LinkBackend.AttributeWrite(file, "-" + a)));
    to.stream().filter(a -> !from.contains(a)).forEach(a -> w.add(new LinkBackend.AttributeWrite(file, "+" + a)));
    return w;
  }

  /** Makes the change; a bond created half-way is deleted again, targets changed half-way are put back. */
  static void apply(Host host, LinkChange c) {
    if (c instanceof LinkChange.SetArpTargets t) {
      List<Ipv4Address> now = targets(host, t.bond());
      writeAll(host, targetWrites(t.bond(), now, t.targets()), () -> {
        List<Ipv4Address> partial = targets(host, t.bond());
        writeAll(host, targetWrites(t.bond(), partial, now), null);
      });
      return;
    }
    Runnable compensate = c instanceof LinkChange.CreateBond b
        ? () -> host.writeAttribute(MASTERS, "-" + b.name()) : null;
    writeAll(host, writes(c), compensate);
  }

  private static void writeAll(Host host, List<LinkBackend.AttributeWrite> writes, Runnable compensate) {
    for (int i = 0; i < writes.size(); i++) {
      LinkBackend.AttributeWrite w = writes.get(i);
      try {
        host.writeAttribute(w.path(), w.value());
      } catch (RuntimeException e) {
        if (i > 0 && compensate != null) {
          try {
            compensate.run();
          } catch (RuntimeException undo) {
            e.addSuppressed(undo);
          }
        }
        throw e;
      }
    }
  }

  /** The bond's ARP targets as {@code bonding/arp_ip_target} lists them. */
  static List<Ipv4Address> targets(Host host, InterfaceName bond) {
    String file = attribute(bond, "arp_ip_target");
    try {
      String text = Files.readString(host.path(file)).strip();
      return text.isEmpty() ? List.of() : java.util.Arrays.stream(text.split("\\s+")).map(Ipv4Address::of).toList();
    } catch (IOException e) {
      throw new MidplaneException("reading " + file + " on " + host.name() + " failed: " + e.getMessage(), e);
    }
  }
}
