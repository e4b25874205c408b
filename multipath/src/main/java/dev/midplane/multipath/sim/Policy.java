package dev.midplane.multipath.sim;

import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.config.Blacklist;
import dev.midplane.multipath.config.DeviceMatch;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code multipath.conf} decides, evaluated as multipath-tools 0.9.4 does for the keywords
 * the simulation honours: which paths are blacklisted (devnode, device, wwid, each kind with its
 * exceptions; the built-in devnode blacklist), which WWIDs may get a map ({@code find_multipaths}),
 * what a map is called (alias, {@code user_friendly_names}) and how its table is laid out
 * ({@code path_grouping_policy}, {@code path_selector}, {@code features}, {@code no_path_retry},
 * {@code hardware_handler}, {@code prio}), looked up in the order multipath-tools merges them:
 * the {@code multipaths} entry, {@code overrides}, the file's {@code devices}, the built-in
 * hardware table, {@code defaults}, the built-in defaults.
 */
final class Policy {
  /** multipath-tools 0.9.4's built-in defaults of the keywords the simulation uses. */
  static final Map<String, String> BUILT_IN = Map.of(
      "path_grouping_policy", "failover",
      "path_selector", "service-time 0",
      "features", "0",
      "hardware_handler", "0",
      "prio", "const",
      "no_path_retry", "fail",
      "user_friendly_names", "no",
      "find_multipaths", "strict",
      "alias_prefix", "mpath",
      "detect_prio", "yes");
  /** The built-in blacklist: every devnode but SCSI disks, DASDs and NVMe namespaces. */
  static final String BUILT_IN_DEVNODE_BLACKLIST = "!^(sd[a-z]|dasd[a-z]|nvme[0-9])";

  /** The built-in hardware table entries the simulation knows (multipath -t of 0.9.4). */
  private record HwEntry(String vendor, String product, Map<String, String> settings) {}

  private static final List<HwEntry> HWTABLE = List.of(
      new HwEntry("(LIO-ORG|SUSE)", ".*", Map.of("path_grouping_policy", "group_by_prio", "hardware_handler", "1 alua",
          "prio", "alua", "failback", "immediate", "no_path_retry", "12")));

  private final MultipathConfig config;

  Policy(MultipathConfig config) {
    this.config = config;
  }

  MultipathConfig config() {
    return config;
  }

  /** Why {@code p} is not used, or empty when multipath uses it. */
  Optional<String> blacklisted(SimPath p) {
    Blacklist bl = config.blacklist();
    Blacklist ex = config.blacklistExceptions();
    String dev = p.dev().value();
    List<String> devnodes = new ArrayList<>(bl.devnodes());
    devnodes.add(BUILT_IN_DEVNODE_BLACKLIST);
    if (matchesAny(devnodes, dev) && !matchesAny(ex.devnodes(), dev)) {
      return Optional.of(dev + ": device node name blacklisted");
    }
    if (matchesDevice(bl.devices(), p) && !matchesDevice(ex.devices(), p)) {
      return Optional.of(dev + ": (" + p.vendor() + ":" + p.product() + ") vendor/product blacklisted");
    }
    if (p.uid().isEmpty()) {
      return Optional.of(dev + ": no uid (udev has no ID_SERIAL for it)");
    }
    String wwid = p.uid().get().value();
    if (matchesAny(bl.wwids(), wwid) && !matchesAny(ex.wwids(), wwid)) {
      return Optional.of(dev + ": wwid " + wwid + " blacklisted");
    }
    return Optional.empty();
  }

  /** True when a WWID is blacklisted by the wwid lists (whatever its paths). */
  boolean wwidBlacklisted(Wwid wwid) {
    return matchesAny(config.blacklist().wwids(), wwid.value()) && !matchesAny(config.blacklistExceptions().wwids(), wwid.value());
  }

  private static boolean matchesDevice(List<DeviceMatch> devices, SimPath p) {
    for (DeviceMatch d : devices) {
      boolean v = d.vendor().map(re -> find(re, p.vendor())).orElse(true);
      boolean m = d.product().map(re -> find(re, p.product())).orElse(true);
      if (v && m && (d.vendor().isPresent() || d.product().isPresent())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAny(List<String> regexes, String s) {
    return regexes.stream().anyMatch(re -> find(re, s));
  }

  /** regexec() without anchors, as multipath matches; a leading {@code !} negates (0.9's extension). */
  static boolean find(String regex, String s) {
    return Blacklist.matches(regex, s);
  }

  /** {@code find_multipaths}, normalised: {@code on} is {@code yes}, {@code off} is {@code no}. */
  String findMultipaths() {
    String v = config.defaultValue("find_multipaths").orElse(BUILT_IN.get("find_multipaths"));
    return switch (v) {
      case "on" -> "yes";
      case "off" -> "no";
      default -> v;
    };
  }

  /**
   * Whether a map may be made for a WWID with {@code paths} usable paths: always under {@code no}
   * and {@code greedy}; under {@code strict} only when the WWID is in the wwids file; under
   * {@code yes} and {@code smart} also when it has two paths or more.
   */
  boolean allowsMap(int paths, boolean inWwidsFile) {
    return switch (findMultipaths()) {
      case "no", "greedy" -> true;
      case "strict" -> inWwidsFile;
      default -> inWwidsFile || paths >= 2;
    };
  }

  Optional<String> alias(Wwid wwid) {
    return config.aliasOf(wwid.value());
  }

  boolean userFriendlyNames() {
    return yes(config.defaultValue("user_friendly_names").orElse(BUILT_IN.get("user_friendly_names")));
  }

  String aliasPrefix() {
    return config.defaultValue("alias_prefix").orElse(BUILT_IN.get("alias_prefix"));
  }

  private static boolean yes(String v) {
    return v.equals("yes") || v.equals("1");
  }

  /** How the map of {@code wwid}, whose first path is {@code first}, is laid out. */
  Layout layout(Wwid wwid, SimPath first) {
    String grouping = setting("path_grouping_policy", wwid, first);
    String selector = setting("path_selector", wwid, first);
    String noPathRetry = setting("no_path_retry", wwid, first);
    String hw = setting("hardware_handler", wwid, first);
    String prio = setting("prio", wwid, first);
    boolean aluaPrio = prio.equals("alua") || prio.equals("const") && first.tpgs()
        && yes(config.defaultValue("detect_prio").orElse(BUILT_IN.get("detect_prio")));
    if (hw.equals("0") && first.tpgs()) {
      hw = "1 alua"; // a LUN that supports ALUA gets the alua handler (retain_attached_hw_handler, tpgs)
    }
    boolean queue = noPathRetry.equals("queue") || noPathRetry.matches("\\d+") && Integer.parseInt(noPathRetry) > 0
        || setting("features", wwid, first).contains("queue_if_no_path") && !noPathRetry.equals("fail");
    return new Layout(grouping, selector, queue ? "1 queue_if_no_path" : "0", hw, aluaPrio);
  }

  /** A keyword's value for a map, from the first place that sets it. */
  private String setting(String keyword, Wwid wwid, SimPath first) {
    Optional<String> v = config.multipath(wwid.value()).flatMap(e -> e.section().value(keyword));
    if (v.isEmpty()) {
      v = config.overrides().flatMap(o -> o.value(keyword));
    }
    if (v.isEmpty()) {
      List<Section> devices = config.devices();
      for (int i = devices.size() - 1; i >= 0 && v.isEmpty(); i--) {
        Section d = devices.get(i);
        if (d.value("vendor").map(re -> find(re, first.vendor())).orElse(false)
            && d.value("product").map(re -> find(re, first.product())).orElse(true)) {
          v = d.value(keyword);
        }
      }
    }
    if (v.isEmpty()) {
      for (HwEntry e : HWTABLE) {
        if (find(e.vendor(), first.vendor()) && find(e.product(), first.product()) && e.settings().containsKey(keyword)) {
          v = Optional.of(e.settings().get(keyword));
          break;
        }
      }
    }
    if (v.isEmpty()) {
      v = config.defaultValue(keyword);
    }
    return v.orElse(BUILT_IN.getOrDefault(keyword, ""));
  }

  /**
   * A map's layout.
   *
   * @param grouping path_grouping_policy: failover, multibus, group_by_prio (others group as multibus)
   * @param selector the path selector with its argument count, e.g. {@code service-time 0}
   * @param features the table's feature words with their count
   * @param hardwareHandler the handler with its word count, {@code 0} for none
   * @param aluaPrio whether paths are prioritised by their ALUA state
   */
  record Layout(String grouping, String selector, String features, String hardwareHandler, boolean aluaPrio) {}
}
