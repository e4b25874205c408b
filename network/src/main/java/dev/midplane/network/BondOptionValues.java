package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Bonding option values as the kernel reports them, compared with what was asked for, and the
 * ordered option changes that take a bond from its current options to desired ones, with the
 * kernel's couplings in mind.
 *
 * <p>Names are the sysfs names ({@code bonding/<name>}); where iproute2's JSON or command words
 * differ ({@code lacp_rate} is {@code ad_lacp_rate} in JSON, {@code peer_notif_delay} is
 * {@code peer_notify_delay} for {@code ip}), the tables here translate.
 */
final class BondOptionValues {
  /** sysfs name to the key of {@code ip -j -d link}'s {@code info_data}, where they differ. */
  private static final Map<String, String> JSON_KEYS = Map.of("lacp_rate", "ad_lacp_rate", "lacp_active",
      "ad_lacp_active", "num_grat_arp", "num_peer_notif", "num_unsol_na", "num_peer_notif", "peer_notif_delay",
      "peer_notify_delay");
  /** sysfs name to {@code ip link … type bond} word, where they differ. */
  private static final Map<String, String> IP_WORDS = Map.of("peer_notif_delay", "peer_notify_delay");

  private BondOptionValues() {}

  static String ipWord(String option) {
    return IP_WORDS.getOrDefault(option, option);
  }

  static String join(List<Ipv4Address> targets) {
    return String.join(",", targets.stream().map(Ipv4Address::toString).toList());
  }

  /** The option's value in {@code info}, in the spelling {@link BondOptions} uses; "" when unset. */
  static String actual(Link.BondInfo info, String option) {
    return switch (option) {
      case "mode" -> info.mode();
      case "arp_ip_target" -> join(info.arpIpTargets());
      case "primary" -> info.primary().map(InterfaceName::value).orElse("");
      case "active_slave" -> info.activeSlave().map(InterfaceName::value).orElse("");
      case "arp_validate" -> info.arpValidate();
      default -> info.options().getOrDefault(JSON_KEYS.getOrDefault(option, option), "");
    };
  }

  /**
   * Why the bond's option is not {@code wanted}; empty when it is. A primary the kernel does not
   * report yet is accepted: it shows once the named device is enslaved.
   */
  static Optional<String> mismatch(InterfaceName bond, Link.BondInfo info, String option, String wanted) {
    String want = option.equals("mode") ? BondOptions.Mode.parse(wanted).kernelName() : wanted;
    String have = actual(info, option);
    if (have.equals(want) || option.equals("primary") && have.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(option + " of " + bond + " is " + (have.isEmpty() ? "unset" : have) + ", not " + want
        + " (read back from the kernel)");
  }

  /** A bond's options as the kernel has them. */
  static BondOptions current(Link.BondInfo info) {
    BondOptions.Builder b = BondOptions.builder().mode(BondOptions.Mode.parse(info.mode()))
        .miimon(info.miimon()).updelay(info.updelay()).downdelay(info.downdelay()).arpInterval(info.arpInterval())
        .arpIpTargets(info.arpIpTargets()).arpValidate(info.arpValidate()).primary(info.primary())
        .failOverMac(info.failOverMac());
    String reselect = info.options().get("primary_reselect");
    if (reselect != null) {
      b.primaryReselect(reselect);
    }
    return b.build();
  }

  /**
   * The option changes, in a working order, that give {@code bond} the options {@code desired}
   * names (options it leaves unset stay as they are). Mode first (the kernel takes it only from a
   * bond that is down and has no slaves, and resets {@code arp_validate} with it), then
   * {@code fail_over_mac}; for ARP monitoring the targets, {@code arp_validate}, then
   * {@code arp_interval}, which turns MII monitoring off; for MII monitoring {@code miimon}, which
   * turns ARP monitoring off, then the delays; last the primary.
   */
  static List<LinkChange> changes(InterfaceName bond, Link.BondInfo now, BondOptions desired) {
    Map<String, String> cur = new LinkedHashMap<>();
    for (String o : List.of("mode", "miimon", "updelay", "downdelay", "arp_interval", "arp_validate", "primary",
        "fail_over_mac", "primary_reselect")) {
      cur.put(o, actual(now, o));
    }
    List<Ipv4Address> targets = new ArrayList<>(now.arpIpTargets());
    List<LinkChange> out = new ArrayList<>();
    String mode = desired.mode().kernelName();
    if (!mode.equals(cur.get("mode"))) {
      out.add(new LinkChange.SetBondOption(bond, "mode", mode));
      cur.put("mode", mode);
      cur.put("arp_validate", "none");
      if (List.of("802.3ad", "balance-tlb", "balance-alb").contains(mode)) {
        cur.put("arp_interval", "0");
        if (cur.get("miimon").equals("0")) {
          cur.put("miimon", "100");
        }
      }
    }
    desired.failOverMac().ifPresent(v -> set(out, cur, bond, "fail_over_mac", v));
    int arp = desired.arpInterval().orElse(Integer.parseInt(cur.get("arp_interval")));
    boolean toArp = arp > 0 && desired.miimon().orElse(0) == 0;
    if (toArp) {
      if (!targets.equals(desired.arpIpTargets())) {
        out.add(new LinkChange.SetArpTargets(bond, desired.arpIpTargets(), targets));
      }
      desired.arpValidate().ifPresent(v -> set(out, cur, bond, "arp_validate", v));
      if (!String.valueOf(arp).equals(cur.get("arp_interval"))) {
        set(out, cur, bond, "arp_interval", String.valueOf(arp));
      }
      cur.put("miimon", "0");
      cur.put("updelay", "0");
      cur.put("downdelay", "0");
    } else {
      desired.miimon().ifPresent(m -> {
        if (m > 0 && !cur.get("arp_interval").equals("0")) {
          cur.put("arp_interval", "0");
          cur.put("arp_validate", "none");
        }
        set(out, cur, bond, "miimon", String.valueOf(m));
      });
      desired.arpInterval().ifPresent(a -> set(out, cur, bond, "arp_interval", String.valueOf(a)));
      set(out, cur, bond, "updelay", desired.updelay());
      set(out, cur, bond, "downdelay", desired.downdelay());
      if (desired.arpInterval().orElse(0) == 0 && desired.arpIpTargets().isEmpty() && !targets.isEmpty()) {
        out.add(new LinkChange.SetArpTargets(bond, List.of(), targets));
      } else if (!desired.arpIpTargets().isEmpty() && !targets.equals(desired.arpIpTargets())) {
        out.add(new LinkChange.SetArpTargets(bond, desired.arpIpTargets(), targets));
      }
      desired.arpValidate().ifPresent(v -> set(out, cur, bond, "arp_validate", v));
    }
    desired.primary().ifPresent(p -> set(out, cur, bond, "primary", p.value()));
    desired.primaryReselect().ifPresent(v -> set(out, cur, bond, "primary_reselect", v));
    desired.extra().forEach((k, v) -> {
      if (!actual(now, k).equals(v)) {
        out.add(new LinkChange.SetBondOption(bond, k, v));
      }
    });
    return out;
  }

  /**
   * What takes one of {@link #changes}' changes back on a bond that had {@code before}: the
   * previous value, and for a switch between MII and ARP monitoring the other monitor's settings,
   * which the kernel cleared.
   */
  static List<LinkChange> undo(Link.BondInfo before, LinkChange c) {
    if (c instanceof LinkChange.SetArpTargets t) {
      return List.of(new LinkChange.SetArpTargets(t.bond(), t.previous(), t.targets()));
    }
    LinkChange.SetBondOption o = (LinkChange.SetBondOption) c;
    InterfaceName bond = o.bond();
    List<LinkChange> undo = new ArrayList<>();
    boolean enables = !o.value().equals("0");
    if (o.option().equals("arp_interval") && enables && before.miimon() > 0) {
      undo.add(new LinkChange.SetBondOption(bond, "miimon", String.valueOf(before.miimon())));
      if (before.updelay() > 0) {
        undo.add(new LinkChange.SetBondOption(bond, "updelay", String.valueOf(before.updelay())));
      }
      if (before.downdelay() > 0) {
        undo.add(new LinkChange.SetBondOption(bond, "downdelay", String.valueOf(before.downdelay())));
      }
      return undo;
    }
    if (o.option().equals("miimon") && enables && before.arpInterval() > 0) {
      undo.add(new LinkChange.SetBondOption(bond, "arp_interval", String.valueOf(before.arpInterval())));
    } else {
      undo.add(new LinkChange.SetBondOption(bond, o.option(), actual(before, o.option())));
    }
    if ((o.option().equals("mode") || o.option().equals("miimon")) && !before.arpValidate().equals("none")) {
      undo.add(new LinkChange.SetBondOption(bond, "arp_validate", before.arpValidate()));
    }
    return undo;
  }

  private static void set(List<LinkChange> out, Map<String, String> cur, InterfaceName bond, String option,
      OptionalInt value) {
    value.ifPresent(v -> set(out, cur, bond, option, String.valueOf(v)));
  }

  private static void set(List<LinkChange> out, Map<String, String> cur, InterfaceName bond, String option, String value) {
    if (!value.equals(cur.get(option))) {
      out.add(new LinkChange.SetBondOption(bond, option, value));
      cur.put(option, value);
    }
  }
}
