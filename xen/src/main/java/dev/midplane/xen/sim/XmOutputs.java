package dev.midplane.xen.sim;

import dev.midplane.xen.BlockDevice;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.HostInfo;
import dev.midplane.xen.NetworkDevice;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.sxp.Sxp;
import dev.midplane.xen.sxp.SxpAtom;
import dev.midplane.xen.sxp.SxpList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code xm} of Xen 3.x prints, for the simulated xm: {@code xm list} ({@code %-40s %5s %5s
 * %5s %10s %9s}), {@code xm list --long} (one {@code (domain ...)} per domain, pretty-printed as
 * xend does), {@code xm info} (no {@code xen_version} line), {@code xm block-list} and
 * {@code xm network-list} (padded columns, ring references as {@code %-5d/%-5d}). The module's
 * parsers read all of them; the layouts follow the xm samples in this module's tests.
 */
final class XmOutputs {
  private XmOutputs() {}

  static String renderList(List<DomainInfo> rows) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-40s %5s %5s %5s %10s %9s%n", "Name", "ID", "Mem", "VCPUs",
        "State", "Time(s)"));
    for (DomainInfo d : rows) {
      b.append(String.format(Locale.ROOT, "%-40s %5s %5d %5d %10s %9.1f%n", d.rawName(),
          d.id().isPresent() ? Integer.toString(d.id().getAsInt()) : "", d.memoryMib(), d.vcpus(),
          DomainState.render(d.state()), d.cpuSeconds()));
    }
    return b.toString();
  }

  /** {@code xm list --long}: {@code rows} gives each domain's state and CPU time, in the same order. */
  static String renderListLong(List<DomainDetails> details, List<DomainInfo> rows) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < details.size(); i++) {
      DomainDetails d = details.get(i);
      DomainInfo row = rows.get(i);
      List<Sxp> items = new ArrayList<>();
      items.add(atom("domain"));
      items.add(pair("domid", Integer.toString(d.domid().orElse(0))));
      d.uuid().ifPresent(u -> items.add(pair("uuid", u)));
      items.add(pair("vcpus", Integer.toString(d.vcpus().orElse(row.vcpus()))));
      items.add(pair("name", d.rawName()));
      d.onPoweroff().ifPresent(v -> items.add(pair("on_poweroff", v)));
      d.onReboot().ifPresent(v -> items.add(pair("on_reboot", v)));
      d.onCrash().ifPresent(v -> items.add(pair("on_crash", v)));
      items.add(pair("maxmem", Long.toString(d.maxMemoryKib().orElse(row.memoryMib() * 1024) / 1024)));
      items.add(pair("memory", Long.toString(row.memoryMib())));
      items.add(pair("cpu_time", String.format(Locale.ROOT, "%.6f", row.cpuSeconds())));
      List<Sxp> linux = new ArrayList<>(List.of(atom(d.guestType().filter("hvm"::equals).orElse("linux"))));
      d.kernel().ifPresent(k -> linux.add(pair("kernel", k)));
      d.ramdisk().ifPresent(k -> linux.add(pair("ramdisk", k)));
      d.cmdline().ifPresent(k -> linux.add(pair("args", k)));
      items.add(new SxpList(List.of(atom("image"), new SxpList(linux))));
      items.add(pair("state", DomainState.render(row.state())));
      for (DiskSpec disk : d.disks()) {
        List<Sxp> vbd = new ArrayList<>(List.of(atom("vbd")));
        disk.target().ifPresent(t -> vbd.add(pair("uname", (t.startsWith("/dev/") ? "phy:" : "file:") + t)));
        vbd.add(pair("dev", disk.vdev() + (disk.isCdrom() ? ":cdrom" : "")));
        vbd.add(pair("mode", disk.access().orElse(DiskSpec.Access.READ_WRITE).positional()));
        items.add(new SxpList(List.of(atom("device"), new SxpList(vbd))));
      }
      for (VifSpec vif : d.nics()) {
        List<Sxp> v = new ArrayList<>(List.of(atom("vif")));
        vif.mac().ifPresent(m -> v.add(pair("mac", m.toString())));
        vif.bridge().ifPresent(m -> v.add(pair("bridge", m.value())));
        vif.vifname().ifPresent(m -> v.add(pair("vifname", m.value())));
        if (!vif.ips().isEmpty()) {
          v.add(pair("ip", String.join(" ", vif.ips().stream().map(Object::toString).toList())));
        }
        vif.script().ifPresent(m -> v.add(pair("script", m)));
        items.add(new SxpList(List.of(atom("device"), new SxpList(v))));
      }
      b.append(Sxp.render(new SxpList(items))).append('\n');
    }
    return b.toString();
  }

  private static SxpAtom atom(String s) {
    return new SxpAtom(s);
  }

  private static SxpList pair(String k, String v) {
    return new SxpList(List.of(atom(k), atom(v)));
  }

  /** {@code xm info}: xl's lines without those xm never printed. */
  static String xmInfo(HostInfo info) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : info.attributes().entrySet()) {
      if (List.of("xen_version", "sharing_freed_memory", "sharing_used_memory", "outstanding_claims", "free_cpus", "max_cpu_id",
          "xen_commandline").contains(e.getKey())) {
        continue;
      }
      b.append(String.format(Locale.ROOT, "%-23s: %s%n", e.getKey(), e.getValue()));
    }
    return b.toString();
  }

  static String renderBlockList(List<BlockDevice> devices) {
    StringBuilder b = new StringBuilder("Vdev  BE handle state evt-ch ring-ref BE-path \n");
    for (BlockDevice d : devices) {
      b.append(String.format(Locale.ROOT, "%-8d %-3d %-5d %-5d %-3d %-5d %s  %n", d.vdev(), d.backendDomid(), d.handle(), d.state(),
          d.eventChannel(), d.ringRef(), d.backendPath()));
    }
    return b.toString();
  }

  static String renderNetworkList(List<NetworkDevice> devices) {
    StringBuilder b = new StringBuilder("Idx BE     MAC Addr.     handle state evt-ch tx-/rx-ring-ref BE-path\n");
    for (NetworkDevice d : devices) {
      b.append(String.format(Locale.ROOT, "%-3d %-2d %-17s %4d %5d %6d %7d  /%-5d  %s  %n", d.index(), d.backendDomid(), d.mac(),
          d.handle(), d.state(), d.eventChannel(), d.txRingRef(), d.rxRingRef(), d.backendPath()));
    }
    return b.toString();
  }
}
