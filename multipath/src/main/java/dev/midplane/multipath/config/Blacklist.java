package dev.midplane.multipath.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /**
   * The first {@code wwid} expression that matches {@code wwid}, as multipath-tools matches it
   * ({@link #matches}).
   *
   * @throws IllegalArgumentException when an expression before the match does not compile
   */
  public Optional<String> wwidMatch(String wwid) {
    return wwids.stream().filter(re -> matches(re, wwid)).findFirst();
  }

  /**
   * Whether a blacklist expression matches {@code value} the way multipath-tools 0.9 does: a
   * POSIX extended regular expression ({@code regcomp(REG_EXTENDED)}), matched anywhere in the
   * value ({@code regexec} without anchors, case sensitive); a leading {@code !} inverts it
   * ({@code "!^sd"} matches every value that does not start with {@code sd}).
   *
   * @throws IllegalArgumentException when the expression does not compile; multipath-tools refuses
   *     a file with such an expression ({@link MultipathConfig#lint()} reports it as fatal)
   */
  public static boolean matches(String regex, String value) {
    boolean invert = regex.startsWith("!");
    return PosixRegex.find(invert ? regex.substring(1) : regex, value) != invert;
  }

  /** True when there is no entry at all. */
  public boolean isEmpty() {
    return wwids.isEmpty() && devnodes.isEmpty() && properties.isEmpty() && protocols.isEmpty() && devices.isEmpty();
  }
}
