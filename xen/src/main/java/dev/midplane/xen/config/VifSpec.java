package dev.midplane.xen.config;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One item of a domain's {@code vif} list (xl-network-configuration(5), and xm's vif syntax, which
 * is the same): comma-separated {@code key=value} pairs such as
 * {@code mac=00:16:3e:00:00:02, bridge=xenbr0, ip=192.0.2.10 192.0.2.11, vifname=vm1-eth0}. An empty
 * spec is a valid default interface.
 *
 * <p>The MAC, bridge, vifname and addresses are validated name types, because they reach argv,
 * interface names and anti-spoofing rules. Other keys ({@code rate}, {@code backend}, {@code mtu},
 * {@code uuid}, …) are kept in order as {@link #extras()}. {@code parse(v.toString()).equals(v)}
 * holds for every spec, and {@link #toArguments()} gives the {@code key=value} words
 * {@code xl network-attach} and {@code xm network-attach} take.
 */
public final class VifSpec {
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]*");
  private static final Pattern WORD = Pattern.compile("[^,\\s]+");

  private final MacAddress mac;
  private final InterfaceName bridge;
  private final List<Ipv4Address> ips;
  private final InterfaceName vifname;
  private final String script;
  private final String type;
  private final String model;
  private final Map<String, String> extras;

  private VifSpec(Builder b) {
    this.mac = b.mac;
    this.bridge = b.bridge;
    this.ips = List.copyOf(b.ips);
    this.vifname = b.vifname;
    this.script = word(b.script, "script");
    this.type = word(b.type, "type");
    this.model = word(b.model, "model");
    this.extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.extras));
    for (Map.Entry<String, String> e : extras.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (!KEY.matcher(k).matches() || List.of("mac", "bridge", "ip", "vifname", "script", "type", "model").contains(k)) {
        throw new IllegalArgumentException("invalid extra vif key '" + k + "'");
      }
      if (v.indexOf(',') >= 0 || !v.equals(v.strip()) || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("invalid value for vif key '" + k + "': '" + v + "'");
      }
    }
  }

  private static String word(String v, String what) {
    if (v != null && !WORD.matcher(v).matches()) {
      throw new IllegalArgumentException("invalid " + what + " '" + v + "'");
    }
    return v;
  }

  /** {@code mac=<mac>, bridge=<bridge>}: the interface every VM in this SDK has. */
  public static VifSpec of(MacAddress mac, InterfaceName bridge) {
    return builder().mac(mac).bridge(bridge).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mac = mac;
    b.bridge = bridge;
    b.ips.addAll(ips);
    b.vifname = vifname;
    b.script = script;
    b.type = type;
    b.model = model;
    b.extras.putAll(extras);
    return b;
  }

  /**
   * Parses one vif spec.
   *
   * @throws IllegalArgumentException for an item without {@code =}, a key given twice or an
   *     invalid MAC, bridge, vifname or address (with the offending text)
   */
  public static VifSpec parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    Builder b = new Builder();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String raw : spec.split(",", -1)) {
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + item + "' is not key=value");
      }
      String k = item.substring(0, eq).strip();
      String v = item.substring(eq + 1).strip();
      if (seen.put(k, v) != null) {
        throw new IllegalArgumentException("'" + k + "' is given twice");
      }
      try {
        set(b, k, v);
      } catch (dev.midplane.core.InvalidNameException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static void set(Builder b, String k, String v) {
      switch (k) {
        case "mac" -> b.mac(MacAddress.of(v));
        case "bridge" -> b.bridge(InterfaceName.of(v));
        case "ip" -> {
          for (String a : v.split("\\s+")) {
            if (!a.isEmpty()) {
              b.ip(Ipv4Address.of(a));
            }
          }
        }
        case "vifname" -> b.vifname(InterfaceName.of(v));
        case "script" -> b.script(v);
        case "type" -> b.type(v);
        case "model" -> b.model(v);
        default -> b.extra(k, v);
      }
  }

  /** {@code mac=}: the guest's address; the toolstack picks a random Xen one when absent. */
  public Optional<MacAddress> mac() {
    return Optional.ofNullable(mac);
  }

  /** {@code bridge=}: the bridge the backend interface joins in dom0. */
  public Optional<InterfaceName> bridge() {
    return Optional.ofNullable(bridge);
  }

  /** {@code ip=}: the addresses the guest may use, in order (space-separated in the spec). */
  public List<Ipv4Address> ips() {
    return ips;
  }

  /** {@code vifname=}: the backend interface's name in dom0, instead of {@code vif<domid>.<n>}. */
  public Optional<InterfaceName> vifname() {
    return Optional.ofNullable(vifname);
  }

  /** {@code script=}: the hotplug script ({@code vif-bridge}, {@code vif-route}). */
  public Optional<String> script() {
    return Optional.ofNullable(script);
  }

  /** {@code type=}: {@code vif} (PV) or {@code ioemu} (emulated NIC for HVM). */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /** {@code model=}: the emulated NIC model ({@code e1000}, {@code rtl8139}). */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** Other keys, in order. */
  public Map<String, String> extras() {
    return extras;
  }

  /** The {@code key=value} words, one per parameter, as {@code xl/xm network-attach} take them. */
  public List<String> toArguments() {
    List<String> out = new ArrayList<>();
    if (mac != null) {
      out.add("mac=" + mac);
    }
    if (bridge != null) {
      out.add("bridge=" + bridge);
    }
    if (!ips.isEmpty()) {
      out.add("ip=" + String.join(" ", ips.stream().map(Ipv4Address::toString).toList()));
    }
    if (vifname != null) {
      out.add("vifname=" + vifname);
    }
    if (script != null) {
      out.add("script=" + script);
    }
    if (type != null) {
      out.add("type=" + type);
    }
    if (model != null) {
      out.add("model=" + model);
    }
    extras.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /** The spec as a config writes it: {@code mac=…, bridge=…}. */
  @Override
  public String toString() {
    return String.join(", ", toArguments());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VifSpec v && Objects.equals(v.mac, mac) && Objects.equals(v.bridge, bridge) && v.ips.equals(ips)
        && Objects.equals(v.vifname, vifname) && Objects.equals(v.script, script) && Objects.equals(v.type, type)
        && Objects.equals(v.model, model) && List.copyOf(v.extras.entrySet()).equals(List.copyOf(extras.entrySet()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(mac, bridge, ips, vifname, script, type, model, extras);
  }

  /** Builds a {@link VifSpec}; every part is optional. */
  public static final class Builder {
    private MacAddress mac;
    private InterfaceName bridge;
    private final List<Ipv4Address> ips = new ArrayList<>();
    private InterfaceName vifname;
    private String script;
    private String type;
    private String model;
    private final Map<String, String> extras = new LinkedHashMap<>();

    private Builder() {}

    public Builder mac(MacAddress mac) {
      this.mac = mac;
      return this;
    }

    public Builder bridge(InterfaceName bridge) {
      this.bridge = bridge;
      return this;
    }

    public Builder ip(Ipv4Address ip) {
      ips.add(Objects.requireNonNull(ip));
      return this;
    }

    public Builder vifname(InterfaceName vifname) {
      this.vifname = vifname;
      return this;
    }

    public Builder script(String script) {
      this.script = script;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** A key this class does not model ({@code rate}, {@code backend}, {@code mtu}). */
    public Builder extra(String key, String value) {
      if (extras.put(Objects.requireNonNull(key), Objects.requireNonNull(value)) != null) {
        throw new IllegalArgumentException("'" + key + "' is given twice");
      }
      return this;
    }

    /** @throws IllegalArgumentException when a part is invalid */
    public VifSpec build() {
      return new VifSpec(this);
    }
  }
}
