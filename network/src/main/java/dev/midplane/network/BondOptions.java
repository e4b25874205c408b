package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A bond's options, with the kernel's names ({@code mode}, {@code miimon}, {@code arp_interval},
 * …), rendered for {@code ip link add … type bond}, for {@code BONDING_OPTS} in an ifcfg file and
 * for the {@code [bond]} group of a NetworkManager keyfile, and parsed back from
 * {@code BONDING_OPTS}. Options this type does not name go through {@link #extra()} verbatim.
 *
 * <pre>{@code
 * BondOptions.activeBackup(100)                              // mode=active-backup miimon=100
 * BondOptions.builder().mode(Mode.ACTIVE_BACKUP).arpInterval(1000)
 *     .addArpIpTargets(Ipv4Address.of("192.0.2.1")).arpValidate("all").build()
 * }</pre>
 */
@Value.Immutable
public abstract class BondOptions {
  /** Bonding modes with the kernel's names and numbers. */
  public enum Mode {
    BALANCE_RR("balance-rr"),
    ACTIVE_BACKUP("active-backup"),
    BALANCE_XOR("balance-xor"),
    BROADCAST("broadcast"),
    IEEE_802_3AD("802.3ad"),
    BALANCE_TLB("balance-tlb"),
    BALANCE_ALB("balance-alb");

    private final String kernelName;

    Mode(String kernelName) {
      this.kernelName = kernelName;
    }

    public String kernelName() {
      return kernelName;
    }

    /** The mode for a kernel name ({@code active-backup}) or number ({@code 1}). */
    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.kernelName.equals(s) || String.valueOf(m.ordinal()).equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown bonding mode '" + s + "'");
    }
  }

  private static final Set<String> ARP_VALIDATE = Set.of("none", "active", "backup", "all", "filter", "filter_active",
      "filter_backup");
  private static final Set<String> FAIL_OVER_MAC = Set.of("none", "active", "follow");
  private static final Set<String> PRIMARY_RESELECT = Set.of("always", "better", "failure");

  public abstract Mode mode();

  /** MII link monitoring interval in ms. */
  public abstract OptionalInt miimon();

  public abstract OptionalInt updelay();

  public abstract OptionalInt downdelay();

  /** ARP monitoring interval in ms; needs {@link #arpIpTargets()}. */
  public abstract OptionalInt arpInterval();

  public abstract List<Ipv4Address> arpIpTargets();

  public abstract Optional<String> arpValidate();

  public abstract Optional<InterfaceName> primary();

  public abstract Optional<String> failOverMac();

  public abstract Optional<String> primaryReselect();

  /** Other options by their sysfs name ({@code xmit_hash_policy}, {@code lacp_rate}, …). */
  public abstract Map<String, String> extra();

  @Value.Check
  protected void check() {
    List<String> problems = new ArrayList<>();
    if (miimon().orElse(0) > 0 && arpInterval().orElse(0) > 0) {
      problems.add("MII and ARP monitoring exclude each other (the kernel disables one); choose miimon or arp_interval");
    }
    if (arpInterval().orElse(0) > 0 && arpIpTargets().isEmpty()) {
      problems.add("arp_interval needs at least one arp_ip_target");
    }
    if (arpIpTargets().size() > 16) {
      problems.add("the kernel takes at most 16 arp_ip_targets");
    }
    arpValidate().filter(v -> !ARP_VALIDATE.contains(v)).ifPresent(v -> problems.add("arp_validate '" + v + "' is not one of " + ARP_VALIDATE));
    failOverMac().filter(v -> !FAIL_OVER_MAC.contains(v)).ifPresent(v -> problems.add("fail_over_mac '" + v + "' is not one of " + FAIL_OVER_MAC));
    primaryReselect().filter(v -> !PRIMARY_RESELECT.contains(v))
        .ifPresent(v -> problems.add("primary_reselect '" + v + "' is not one of " + PRIMARY_RESELECT));
    for (OptionalInt ms : List.of(miimon(), updelay(), downdelay(), arpInterval())) {
      if (ms.isPresent() && ms.getAsInt() < 0) {
        problems.add("intervals and delays are milliseconds >= 0");
      }
    }
    int mii = miimon().orElse(0);
    for (String d : List.of("updelay", "downdelay")) {
      int v = (d.equals("updelay") ? updelay() : downdelay()).orElse(0);
      if (v > 0 && mii == 0) {
        problems.add(d + " needs MII monitoring (miimon > 0); the kernel refuses it otherwise (EPERM)");
      } else if (v > 0 && v % mii != 0) {
        problems.add(d + " " + v + " is not a multiple of miimon " + mii + "; the kernel would round it down to "
            + (v / mii * mii));
      }
    }
    extra().forEach((k, v) -> {
      if (!k.matches("[a-z][a-z0-9_]{0,31}") || !v.matches("[A-Za-z0-9_.:,+-]{1,64}")) {
        problems.add("option " + k + "=" + v + " is not a plain sysfs option name and value");
      }
      if (KNOWN.contains(k)) {
        problems.add("option " + k + " has its own attribute; do not pass it in extra()");
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static final Set<String> KNOWN = Set.of("mode", "miimon", "updelay", "downdelay", "arp_interval",
      "arp_ip_target", "arp_validate", "primary", "fail_over_mac", "primary_reselect");

  /** Active-backup with MII monitoring every {@code miimonMs}. */
  public static BondOptions activeBackup(int miimonMs) {
    return builder().mode(Mode.ACTIVE_BACKUP).miimon(miimonMs).build();
  }

  /** The options as {@code key=value} words, in the kernel's order of application. */
  public List<String> keyValues() {
    List<String> kv = new ArrayList<>();
    kv.add("mode=" + mode().kernelName());
    miimon().ifPresent(v -> kv.add("miimon=" + v));
    updelay().ifPresent(v -> kv.add("updelay=" + v));
    downdelay().ifPresent(v -> kv.add("downdelay=" + v));
    arpInterval().ifPresent(v -> kv.add("arp_interval=" + v));
    if (!arpIpTargets().isEmpty()) {
      kv.add("arp_ip_target=" + String.join(",", arpIpTargets().stream().map(Ipv4Address::toString).toList()));
    }
    arpValidate().ifPresent(v -> kv.add("arp_validate=" + v));
    primary().ifPresent(v -> kv.add("primary=" + v));
    failOverMac().ifPresent(v -> kv.add("fail_over_mac=" + v));
    primaryReselect().ifPresent(v -> kv.add("primary_reselect=" + v));
    extra().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> kv.add(e.getKey() + "=" + e.getValue()));
    return kv;
  }

  /** The value of {@code BONDING_OPTS}: {@code mode=active-backup miimon=100}. */
  public String bondingOpts() {
    return String.join(" ", keyValues());
  }

  /** The arguments after {@code type bond} for {@code ip link add}. */
  public List<String> ipArguments() {
    List<String> args = new ArrayList<>();
    for (String kv : keyValues()) {
      int eq = kv.indexOf('=');
      args.add(kv.substring(0, eq));
      args.add(kv.substring(eq + 1));
    }
    return args;
  }

  /**
   * Reads {@code BONDING_OPTS}: blank-separated {@code key=value} words; {@code mode} may be a
   * name or a number; {@code arp_ip_target} a comma-separated list (a leading {@code +} per
   * address, as some files write it, is accepted). A word without {@code =} or a bad value throws
   * {@link IllegalArgumentException} naming it.
   */
  public static BondOptions parse(String bondingOpts) {
    Builder b = builder();
    boolean mode = false;
    for (String word : bondingOpts.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + word + "' is not key=value");
      }
      String k = word.substring(0, eq).toLowerCase(Locale.ROOT);
      String v = word.substring(eq + 1);
      try {
        switch (k) {
          case "mode" -> {
            b.mode(Mode.parse(v));
            mode = true;
          }
          case "miimon" -> b.miimon(Integer.parseInt(v));
          case "updelay" -> b.updelay(Integer.parseInt(v));
          case "downdelay" -> b.downdelay(Integer.parseInt(v));
          case "arp_interval" -> b.arpInterval(Integer.parseInt(v));
          case "arp_ip_target" -> {
            for (String t : v.split(",")) {
              if (!t.isBlank()) {
                b.addArpIpTargets(Ipv4Address.of(t.startsWith("+") ? t.substring(1) : t));
              }
            }
          }
          case "arp_validate" -> b.arpValidate(v);
          case "primary" -> b.primary(InterfaceName.of(v));
          case "fail_over_mac" -> b.failOverMac(v);
          case "primary_reselect" -> b.primaryReselect(v);
          default -> b.putExtra(k, v);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(k + " needs a number of milliseconds, not '" + v + "'");
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad " + k + ": " + e.getMessage(), e);
      }
    }
    if (!mode) {
      b.mode(Mode.BALANCE_RR); // the kernel's default when BONDING_OPTS names no mode
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link BondOptions}. */
  public static final class Builder extends ImmutableBondOptions.Builder {}

  @Override
  public String toString() {
    return bondingOpts();
  }
}
