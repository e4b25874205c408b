package dev.midplane.multipath.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of {@code blacklist} (or {@code blacklist_exceptions}) sections, by kind, in file
 * order. Every value is a POSIX extended regular expression, as multipath-tools reads it.
 *
 * @param wwids {@code wwid} regular expressions
 * @param devnodes {@code devnode} regular expressions
 * @param properties {@code property} regular expressions (udev property names)
 * @param protocols {@code protocol} regular expressions ({@code scsi:fcp}, {@code nvme:tcp}, …)
 * @param devices {@code device} sub-sections as vendor/product pairs
 */
public record Blacklist(List<String> wwids, List<String> devnodes, List<String> properties, List<String> protocols,
    List<DeviceMatch> devices) {
  public Blacklist {
    wwids = List.copyOf(wwids);
    devnodes = List.copyOf(devnodes);
    properties = List.copyOf(properties);
    protocols = List.copyOf(protocols);
    devices = List.copyOf(devices);
  }

  static Blacklist from(List<Section> sections) {
    List<String> wwids = new ArrayList<>();
    List<String> devnodes = new ArrayList<>();
    List<String> properties = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    List<DeviceMatch> devices = new ArrayList<>();
    for (Section s : sections) {
      wwids.addAll(s.values("wwid"));
      devnodes.addAll(s.values("devnode"));
      properties.addAll(s.values("property"));
      protocols.addAll(s.values("protocol"));
      s.sections("device").forEach(d -> devices.add(new DeviceMatch(d.value("vendor"), d.value("product"))));
    }
    return new Blacklist(wwids, devnodes, properties, protocols, devices);
  }

  /** True when there is no entry at all. */
  public boolean isEmpty() {
    return wwids.isEmpty() && devnodes.isEmpty() && properties.isEmpty() && protocols.isEmpty() && devices.isEmpty();
  }
}
