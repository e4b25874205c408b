package dev.midplane.examples.cli;

import dev.midplane.examples.json.InventoryView;
import java.util.List;

/** The inventory for people: one block per kind of object, one line per object. */
final class InventoryText {
  private InventoryText() {}

  static String render(InventoryView v) {
    StringBuilder b = new StringBuilder();
    section(b, "SCSI paths", v.paths().size());
    v.paths().forEach(p -> b.append(String.format("  %-6s %-10s %-40s %14s  %s%n", p.device(), p.hctl(),
        p.wwid() == null ? "(no wwid)" : p.wwid(), bytes(p.sizeBytes()), p.state())));
    section(b, "multipath maps", v.maps().size());
    v.maps().forEach(m -> b.append(String.format("  %-16s %-6s %-40s %14s  paths %s%n", m.name(), m.sysfsName(),
        m.wwid(), bytes(m.sizeBytes()), join(m.paths()))));
    section(b, "bonds", v.bonds().size());
    v.bonds().forEach(o -> b.append(String.format("  %-8s %-14s active %-6s slaves %-12s miimon %d ms, arp_interval %d ms%s%n",
        o.name(), o.mode(), o.activeSlave() == null ? "-" : o.activeSlave(), join(o.slaves()), o.miimonMs(),
        o.arpIntervalMs(), o.arpIpTargets().isEmpty() ? "" : ", arp_ip_target " + join(o.arpIpTargets()))));
    section(b, "bridges", v.bridges().size());
    v.bridges().forEach(r -> b.append(String.format("  %-8s ports %s%n", r.name(), join(r.ports()))));
    section(b, "network devices", v.netDevices().size());
    v.netDevices().forEach(d -> b.append(String.format("  %3d %-10s %-9s %-17s %-5s %-8s mtu %-5d%s%n", d.ifindex(),
        d.name(), d.kind(), d.mac() == null ? "-" : d.mac(), d.adminUp() ? "up" : "down", d.operState(), d.mtu(),
        d.master() == null ? "" : " master " + d.master())));
    section(b, "SCSI hosts", v.scsiHosts().size());
    v.scsiHosts().forEach(h -> b.append(String.format("  %-6s %s%s%n", h.name(), h.driver(), h.fc() ? " (FC)" : "")));
    section(b, "FC hosts", v.fcHosts().size());
    v.fcHosts().forEach(f -> {
      b.append(String.format("  %-6s wwpn %s  %s  %s%n", f.name(), f.portName(), f.portState(), f.speed()));
      f.remotePorts().forEach(r -> b.append(String.format("         %-14s wwpn %s  %s  %s%n", r.name(), r.portName(),
          r.roles(), r.portState())));
    });
    return b.toString();
  }

  private static void section(StringBuilder b, String title, int count) {
    b.append(title).append(" (").append(count).append(")\n");
  }

  private static String join(List<String> items) {
    return items.isEmpty() ? "-" : String.join(",", items);
  }

  /** Bytes with a binary unit, as lsblk prints sizes. */
  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format("%.1f %s", v, units[u]);
  }
}
