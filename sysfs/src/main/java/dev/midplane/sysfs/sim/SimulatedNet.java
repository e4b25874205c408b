package dev.midplane.sysfs.sim;

import dev.midplane.core.files.Errno;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.sysfs.ArpValidate;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.BridgeDevice;
import dev.midplane.sysfs.BridgePortState;
import dev.midplane.sysfs.FailOverMac;
import dev.midplane.sysfs.PrimaryReselect;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.SlaveLinkState;
import dev.midplane.sysfs.VlanConfig;
import dev.midplane.sysfs.VlanDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The simulated kernel's network stack, at the level the SDK's tools see: devices (physical NICs,
 * bonds, bridges, 802.1Q VLANs, veth pairs, dummies, Xen {@code vifD.N}), their flags, carrier,
 * MTU and address, masters (bond slaves, bridge ports), the bonding driver's options and link
 * monitors, and the files that show them ({@code /sys/class/net/*}, {@code bonding/},
 * {@code bonding_slave/}, {@code bridge/}, {@code brif/}, {@code brport/},
 * {@code /proc/net/bonding/bondN}, {@code /proc/net/vlan/config}).
 *
 * <p>This is the engine behind the network module's simulated {@code ip}, {@code bridge} and
 * {@code brctl}, and behind sysfs writes to {@code bonding_masters} and {@code bonding/*}. Every
 * method answers like the kernel, with the same errno (and netlink extended-ack text where the
 * kernel sends one) — for example {@code EPERM} "Device can not be enslaved while up",
 * {@code ENOTEMPTY} for a mode change with slaves, {@code ERANGE} "8021q: Invalid VLAN id".
 *
 * <p>What the link monitors see. A NIC has carrier (its midplane link, which on a blade stays up
 * when the switch's uplink fails) and an upstream (the path beyond the switch port, see
 * {@link #setUpstream}). The MII monitor ({@code miimon} &gt; 0) sees carrier only; the ARP
 * monitor ({@code arp_interval} &gt; 0 with targets) sees whether the targets answer, which needs
 * carrier and a working upstream. Detection is immediate (the real monitors take up to one
 * interval, or {@code arp_missed_max} intervals); {@code updelay} and {@code downdelay} run on the
 * kernel's simulated clock. What Linux 6.1 did in the lab (a responder behind a bridge, the cut made
 * between a slave's peer and that bridge) is what this gives for every {@code arp_validate}: a cut
 * behind the active slave fails over to a backup whose own path works, the cut slave stays down;
 * a cut behind a backup marks that backup down. What the cut slave's own segment still carries
 * ({@link #receiveStray}) brings it back up for a while where {@code arp_validate} does not validate
 * it — the flapping of a cut backup under {@code none} or {@code active} that the lab showed.
 *
 * <p>Addresses ({@link #addAddress}) are kept per device and go with it; the ARP monitor does not
 * look at them (on a real kernel the probes need a route to the target through the bond or a device
 * stacked on it — the network module's advisor checks that). Not modelled: 802.3ad negotiation,
 * STP (a port with carrier forwards at once, as with {@code stp_state 0}), IPv6 addresses, routes.
 */
public final class SimulatedNet {
  /** What a device is. */
  public enum Kind {
    LOOPBACK,
    ETHERNET,
    BOND,
    BRIDGE,
    VLAN,
    VETH,
    DUMMY,
    XEN_VIF
  }

  /**
   * A device's state, for simulated tools to render ({@code ip -d link}, {@code bridge link}).
   * {@code link} is a veth's peer or a VLAN's parent; {@code flags} are the interface flags as
   * {@code ip link} prints them ({@code NO-CARRIER}, {@code BROADCAST}, {@code MULTICAST},
   * {@code MASTER}, {@code SLAVE}, {@code UP}, {@code LOWER_UP}, …).
   */
  public record Link(InterfaceName name, int ifindex, Kind kind, MacAddress address, MacAddress permanentAddress,
      boolean up, boolean carrier, String operstate, int mtu, Optional<InterfaceName> master,
      Optional<InterfaceName> link, OptionalInt vlanId, boolean upstream, List<String> flags,
      Optional<BondDevice> bond, Optional<BondSlave> bondSlave, Optional<BridgeDevice> bridge,
      Optional<BridgePortState> bridgePortState) {
    public Link {
      flags = List.copyOf(flags);
    }
  }

  /**
   * An IPv4 address configured on a device ({@code ip addr add ADDRESS/PREFIX dev DEVICE}).
   *
   * @param scope {@code host} for loopback addresses, else {@code global}
   */
  public record Address(InterfaceName device, Ipv4Address address, int prefixLength, String scope) {}

  private static final int IFF_UP = 0x1;
  private static final int IFF_BROADCAST = 0x2;
  private static final int IFF_LOOPBACK = 0x8;
  private static final int IFF_NOARP = 0x80;
  private static final int IFF_MASTER = 0x400;
  private static final int IFF_SLAVE = 0x800;
  private static final int IFF_MULTICAST = 0x1000;
  private static final int MAX_ARP_TARGETS = 16;
  /** The kernel's default {@code arp_missed_max}: intervals without traffic before the active slave is down. */
  private static final int ARP_MISSED_MAX = 2;
  /** BOND_DEFAULT_MIIMON: what a mode without ARP monitoring turns MII monitoring on with. */
  private static final int DEFAULT_MIIMON = 100;

  private static final class Dev {
    String name;
    int ifindex;
    Kind kind;
    MacAddress mac;
    MacAddress perm;
    int addrAssignType; // 0 permanent, 1 random, 3 set
    boolean up;
    boolean phys = true; // ETHERNET: the link to the switch; XEN_VIF: the frontend is connected
    boolean upstream = true;
    boolean carrier;
    int mtu = 1500;
    Dev master;
    Dev peer;
    Dev vlanParent;
    int vlanId;
    Bond bond;
    Slave slave;
    final List<Dev> ports = new ArrayList<>();
    final List<Address> addresses = new ArrayList<>();
    boolean stp;
    int forwardDelayCs = 1500;
    int ageingCs = 30000;
    String dir;
    String pci;
    int domid;
    int devid;
  }

  private static final class Bond {
    BondMode mode = BondMode.BALANCE_RR;
    int miimon;
    int updelayTicks;
    int downdelayTicks;
    int arpInterval;
    final List<Ipv4Address> targets = new ArrayList<>();
    ArpValidate validate = ArpValidate.NONE;
    FailOverMac fom = FailOverMac.NONE;
    PrimaryReselect reselect = PrimaryReselect.ALWAYS;
    String primary = "";
    final List<Dev> slaves = new ArrayList<>();
    Dev active;
    /** When the ARP monitor took over a running bond; null once its first rounds are over. */
    Duration arpStart;

    int updelayMs() {
      return updelayTicks * miimon;
    }

    int downdelayMs() {
      return downdelayTicks * miimon;
    }

    boolean arpMonitor() {
      return miimon == 0 && arpInterval > 0;
    }
  }

  private static final class Slave {
    SlaveLinkState link = SlaveLinkState.UP;
    int failures;
    Duration pendingSince;
    /** When the ARP monitor last counted a stray frame on this slave as traffic; null if never. */
    Duration strayRx;
  }

  /** What arrives on a device from its own segment rather than from beyond it (see {@link #receiveStray}). */
  public enum StrayFrame {
    /** An ARP packet that neither comes from nor asks for one of the bond's ARP targets: a neighbour's request. */
    ARP,
    /** Any other frame: IPv6 neighbour discovery or MLD, LLDP, a unicast to the bond's address. */
    OTHER
  }

  private final SimulatedKernel kernel;
  private final Tree tree;
  private final Map<String, Dev> devs = new LinkedHashMap<>();
  private final Map<String, String> rendered = new HashMap<>();
  private final Random random;
  private int nextIfindex = 1;
  private boolean vlanModule;

  SimulatedNet(SimulatedKernel kernel, Tree tree, long seed) {
    this.kernel = kernel;
    this.tree = tree;
    this.random = new Random(seed);
    tree.dir("sys/class/net");
    tree.dir("proc/net/bonding");
    tree.attr("sys/class/net/bonding_masters", "\n", this::bondingMastersWrite);
    Dev lo = newDev("lo", Kind.LOOPBACK, MacAddress.fromBits(0));
    lo.addrAssignType = 0;
    lo.mtu = 65536;
    lo.up = true;
    lo.addresses.add(new Address(InterfaceName.of("lo"), Ipv4Address.of("127.0.0.1"), 8, "host"));
    settle();
  }

  // ================================================================== devices

  /** Adds a physical NIC (PCI function {@code pci}, e.g. {@code 0000:03:00.0}), down, with carrier. */
  public void addEthernet(InterfaceName name, MacAddress mac, String pci) {
    change(() -> {
      requireFree(name);
      Dev d = newDev(name.value(), Kind.ETHERNET, mac);
      d.addrAssignType = 0;
      d.pci = pci;
    });
  }

  /** {@code ip link add NAME type bond}: mode balance-rr, no monitoring, down. */
  public void createBond(InterfaceName name) {
    change(() -> {
      requireFree(name);
      Dev d = newDev(name.value(), Kind.BOND, randomMac());
      d.bond = new Bond();
    });
  }

  /**
   * {@code ip link add NAME type bridge}: STP off, forward delay 15 s, ageing 300 s, down; its
   * address is all zeros until it has a port (then it is the smallest port's), as Linux 6.1 shows it.
   */
  public void createBridge(InterfaceName name) {
    change(() -> {
      requireFree(name);
      newDev(name.value(), Kind.BRIDGE, MacAddress.fromBits(0));
    });
  }

  /**
   * {@code ip link add link PARENT name NAME type vlan id ID}.
   *
   * @throws KernelException EEXIST (name taken, or {@code 8021q: VLAN device already exists} for the
   *     same id on the parent), ENODEV (no parent), ERANGE ({@code 8021q: Invalid VLAN id})
   */
  public void createVlan(InterfaceName name, InterfaceName parent, int id) {
    change(() -> {
      requireFree(name);
      Dev p = require(parent);
      if (id < 0 || id >= 4095) {
        throw KernelException.of(Errno.ERANGE, "8021q: Invalid VLAN id");
      }
      if (p.kind == Kind.LOOPBACK) {
        throw KernelException.of(Errno.EOPNOTSUPP, "8021q: VLANs not supported on lo");
      }
      if (devs.values().stream().anyMatch(v -> v.vlanParent == p && v.vlanId == id)) {
        throw KernelException.of(Errno.EEXIST, "8021q: VLAN device already exists");
      }
      Dev v = newDev(name.value(), Kind.VLAN, p.mac);
      v.addrAssignType = 3;
      v.vlanParent = p;
      v.vlanId = id;
      v.mtu = p.mtu;
      vlanModule = true;
    });
  }

  /** {@code ip link add A type veth peer name B}: both down. */
  public void createVethPair(InterfaceName a, InterfaceName b) {
    change(() -> {
      requireFree(a);
      requireFree(b);
      if (a.equals(b)) {
        throw KernelException.of(Errno.EEXIST);
      }
      Dev x = newDev(a.value(), Kind.VETH, randomMac());
      Dev y = newDev(b.value(), Kind.VETH, randomMac());
      x.peer = y;
      y.peer = x;
    });
  }

  /** {@code ip link add NAME type dummy}. */
  public void createDummy(InterfaceName name) {
    change(() -> {
      requireFree(name);
      newDev(name.value(), Kind.DUMMY, randomMac());
    });
  }

  /**
   * Xen's netback creates {@code vif<domid>.<devid>} when a domain's network device connects:
   * address {@code fe:ff:ff:ff:ff:ff}, down until the hotplug script brings it up.
   */
  public InterfaceName createVif(int domid, int devid) {
    return kernel.locked(() -> {
      InterfaceName n = InterfaceName.xenVif(domid, devid);
      requireFree(n);
      Dev d = newDev(n.value(), Kind.XEN_VIF, MacAddress.of("fe:ff:ff:ff:ff:ff"));
      d.addrAssignType = 0;
      d.domid = domid;
      d.devid = devid;
      settle();
      return n;
    });
  }

  /**
   * {@code ip link del NAME}: releases it from its master, deletes VLANs on it and a veth's peer.
   *
   * @throws KernelException ENODEV when it does not exist; EOPNOTSUPP for a physical NIC or lo
   */
  public void delete(InterfaceName name) {
    change(() -> {
      Dev d = require(name);
      if (d.kind == Kind.ETHERNET || d.kind == Kind.LOOPBACK) {
        throw KernelException.of(Errno.EOPNOTSUPP);
      }
      destroy(d);
    });
  }

  /**
   * {@code ip link set NAME up|down}.
   *
   * @throws KernelException ENETDOWN when bringing up a VLAN whose parent is down
   */
  public void setUp(InterfaceName name, boolean up) {
    change(() -> {
      Dev d = require(name);
      if (up && d.kind == Kind.VLAN && !d.vlanParent.up) {
        throw KernelException.of(Errno.ENETDOWN);
      }
      changeUp(d, up);
    });
  }

  /** The NIC's link to its switch port (a physical NIC), or a vif's frontend connection. */
  public void setCarrier(InterfaceName name, boolean carrier) {
    change(() -> {
      Dev d = require(name);
      if (d.kind != Kind.ETHERNET && d.kind != Kind.XEN_VIF) {
        throw KernelException.of(Errno.EOPNOTSUPP, "carrier is set by the peer for " + d.kind.name().toLowerCase(Locale.ROOT));
      }
      d.phys = carrier;
    });
  }

  /**
   * Cuts or restores the network beyond a NIC's switch port (a failed uplink of the blade switch),
   * or beyond a veth's peer (the peer taken out of the bridge that leads to the ARP targets, as the
   * lab does it). Carrier stays up: only the ARP monitor notices.
   */
  public void setUpstream(InterfaceName name, boolean working) {
    change(() -> {
      Dev d = require(name);
      if (d.kind != Kind.ETHERNET && d.kind != Kind.VETH) {
        throw KernelException.of(Errno.EOPNOTSUPP, "only physical NICs and veths have an upstream");
      }
      d.upstream = working;
    });
  }

  /**
   * A frame arrives on {@code name} from its own segment — the switch port or a veth's peer — not
   * from beyond its upstream: nothing an ARP target sent. Only the bonding ARP monitor cares: on a
   * slave that {@code arp_validate} does not validate in its present role, the driver counts any
   * frame as traffic, or with a {@code filter} value any ARP packet
   * ({@link ArpValidate#countsStrayFrame}); on a slave it validates, such a frame counts for nothing.
   * Traffic counted on a slave whose upstream is cut brings its link up, and the link goes down again
   * once no more has come for {@code arp_missed_max} intervals (the active slave) or one more (a
   * backup), plus half an interval — so a cut backup with {@code arp_validate} none flaps on
   * whatever its segment carries. Elsewhere the frame changes nothing.
   *
   * @throws KernelException ENODEV when there is no such device
   */
  public void receiveStray(InterfaceName name, StrayFrame frame) {
    change(() -> {
      Dev d = require(name);
      if (d.slave == null || !d.carrier || d.master == null || d.master.kind != Kind.BOND) {
        return;
      }
      Bond b = d.master.bond;
      if (b.arpMonitor() && b.validate.countsStrayFrame(d == b.active, frame == StrayFrame.ARP)) {
        d.slave.strayRx = kernel.clock();
      }
    });
  }

  /**
   * {@code ip addr add ADDRESS/PREFIX dev DEVICE}.
   *
   * @throws KernelException EEXIST when the device already has this address and prefix; EINVAL for
   *     a prefix outside 0–32
   */
  public void addAddress(InterfaceName device, Ipv4Address address, int prefixLength) {
    change(() -> {
      Dev d = require(device);
      if (prefixLength < 0 || prefixLength > 32) {
        throw KernelException.of(Errno.EINVAL);
      }
      Address a = new Address(device, address, prefixLength, address.toString().startsWith("127.") ? "host" : "global");
      if (d.addresses.stream().anyMatch(x -> x.address().equals(address) && x.prefixLength() == prefixLength)) {
        throw KernelException.of(Errno.EEXIST);
      }
      d.addresses.add(a);
    });
  }

  /**
   * {@code ip addr del ADDRESS/PREFIX dev DEVICE}: whether the address was there (the kernel
   * answers EADDRNOTAVAIL when it was not).
   */
  public boolean deleteAddress(InterfaceName device, Ipv4Address address, int prefixLength) {
    return kernel.locked(() -> {
      Dev d = require(device);
      boolean removed = d.addresses.removeIf(x -> x.address().equals(address) && x.prefixLength() == prefixLength);
      settle();
      return removed;
    });
  }

  /** Every configured IPv4 address, device by device in ifindex order. */
  public List<Address> addresses() {
    return kernel.locked(() -> devs.values().stream().flatMap(d -> d.addresses.stream()).toList());
  }

  /**
   * {@code ip link set NAME mtu N}; a bond passes its MTU to its slaves.
   *
   * @throws KernelException EINVAL outside 68–65535; ERANGE for a VLAN above its parent's MTU
   */
  public void setMtu(InterfaceName name, int mtu) {
    change(() -> {
      Dev d = require(name);
      applyMtu(d, mtu);
    });
  }

  /** {@code ip link set NAME address MAC}; EINVAL for a multicast address. */
  public void setAddress(InterfaceName name, MacAddress mac) {
    change(() -> {
      Dev d = require(name);
      if (mac.isMulticast() || mac.isZero()) {
        throw KernelException.of(Errno.EINVAL, "invalid address");
      }
      d.mac = mac;
      d.addrAssignType = 3;
      if (d.kind == Kind.BOND && d.bond.fom == FailOverMac.NONE) {
        d.bond.slaves.forEach(s -> s.mac = mac);
      }
    });
  }

  /**
   * {@code ip link set DEV master MASTER}: enslaves to a bond or adds a port to a bridge, leaving a
   * previous master first (as rtnetlink's {@code do_set_master}).
   */
  public void setMaster(InterfaceName dev, InterfaceName master) {
    change(() -> {
      Dev d = require(dev);
      Dev m = require(master);
      if (d.master == m) {
        return;
      }
      if (m.kind != Kind.BOND && m.kind != Kind.BRIDGE) {
        throw KernelException.of(Errno.EOPNOTSUPP);
      }
      if (d.master != null) {
        leaveMaster(d);
      }
      if (m.kind == Kind.BOND) {
        enslave(m, d);
      } else {
        addPort(m, d);
      }
    });
  }

  /** {@code ip link set DEV nomaster}. */
  public void clearMaster(InterfaceName dev) {
    change(() -> {
      Dev d = require(dev);
      if (d.master != null) {
        leaveMaster(d);
      }
    });
  }

  /**
   * {@code ip link set BRIDGE type bridge forward_delay CS}, in centiseconds.
   *
   * @throws KernelException ERANGE with STP on outside 2–30 s ({@code br_set_forward_delay})
   */
  public void setBridgeForwardDelay(InterfaceName bridge, int centiseconds) {
    change(() -> forwardDelay(requireBridge(bridge), centiseconds));
  }

  /** {@code ip link set BRIDGE type bridge ageing_time CS}, in centiseconds; 0 makes the bridge flood. */
  public void setBridgeAgeingTime(InterfaceName bridge, int centiseconds) {
    change(() -> {
      Dev b = requireBridge(bridge);
      if (centiseconds < 0) {
        throw KernelException.of(Errno.EINVAL);
      }
      b.ageingCs = centiseconds;
    });
  }

  private Dev requireBridge(InterfaceName bridge) {
    Dev b = require(bridge);
    if (b.kind != Kind.BRIDGE) {
      throw KernelException.of(Errno.EOPNOTSUPP);
    }
    return b;
  }

  private static void forwardDelay(Dev b, int cs) {
    if (cs < 0 || b.stp && (cs < 200 || cs > 3000)) {
      throw KernelException.of(Errno.ERANGE);
    }
    b.forwardDelayCs = cs;
  }

  /** {@code ip link set BRIDGE type bridge stp_state 0|1}. */
  public void setBridgeStp(InterfaceName bridge, boolean on) {
    change(() -> {
      Dev b = require(bridge);
      if (b.kind != Kind.BRIDGE) {
        throw KernelException.of(Errno.EOPNOTSUPP);
      }
      b.stp = on;
    });
  }

  // ================================================================== bonding options

  /**
   * Sets a bonding option by its sysfs name and text value ({@code mode}, {@code miimon},
   * {@code updelay}, {@code downdelay}, {@code arp_interval}, {@code arp_ip_target} with
   * {@code +}/{@code -}, {@code arp_validate}, {@code primary}, {@code primary_reselect},
   * {@code fail_over_mac}, {@code active_slave}), with the kernel's checks and errno values; what
   * {@code ip link set BOND type bond OPTION VALUE} and a write to {@code bonding/OPTION} both do.
   */
  public void setBondOption(InterfaceName bond, String option, String value) {
    change(() -> {
      Dev b = require(bond);
      if (b.kind != Kind.BOND) {
        throw KernelException.of(Errno.EOPNOTSUPP);
      }
      bondOption(b, option, value);
    });
  }

  public void setBondMode(InterfaceName bond, BondMode mode) {
    setBondOption(bond, "mode", mode.option());
  }

  public void setActiveSlave(InterfaceName bond, InterfaceName slave) {
    setBondOption(bond, "active_slave", slave.value());
  }

  // ================================================================== reading

  /** Every device, by ifindex. */
  public List<Link> links() {
    return kernel.locked(() -> devs.values().stream().map(this::snapshot).toList());
  }

  public Optional<Link> link(InterfaceName name) {
    return kernel.locked(() -> Optional.ofNullable(devs.get(name.value())).map(this::snapshot));
  }

  /** What {@code /proc/net/bonding/<bond>} shows. */
  public Optional<ProcBonding> procBonding(InterfaceName bond) {
    return kernel.locked(() -> Optional.ofNullable(devs.get(bond.value())).filter(d -> d.kind == Kind.BOND)
        .map(this::proc));
  }

  /** What {@code /proc/net/vlan/config} shows; empty before the first VLAN loaded 8021q. */
  public Optional<VlanConfig> vlanConfig() {
    return kernel.locked(() -> vlanModule ? Optional.of(vlanConfigNow()) : Optional.empty());
  }

  // ================================================================== kernel internals

  /** Runs a change under the kernel's lock, then lets carriers and monitors settle and renders. */
  private void change(Runnable r) {
    kernel.locked(() -> {
      r.run();
      settle();
      return null;
    });
  }

  private Dev newDev(String name, Kind kind, MacAddress mac) {
    Dev d = new Dev();
    d.name = name;
    d.ifindex = nextIfindex++;
    d.kind = kind;
    d.mac = mac;
    d.perm = mac;
    d.addrAssignType = 1;
    if (kind == Kind.ETHERNET) {
      d.dir = null; // set when the PCI address is known
    }
    devs.put(name, d);
    return d;
  }

  private MacAddress randomMac() {
    long bits = random.nextLong() & 0xffffffffffffL;
    bits = (bits & ~(1L << 40)) | (1L << 41); // unicast, locally administered, as eth_random_addr()
    return MacAddress.fromBits(bits);
  }

  private Dev require(InterfaceName name) {
    Dev d = devs.get(name.value());
    if (d == null) {
      throw KernelException.of(Errno.ENODEV, "Cannot find device \"" + name + "\"");
    }
    return d;
  }

  private void requireFree(InterfaceName name) {
    if (devs.containsKey(name.value())) {
      throw KernelException.of(Errno.EEXIST);
    }
  }

  private void destroy(Dev d) {
    if (d.master != null) {
      leaveMaster(d);
    }
    if (d.kind == Kind.BOND) {
      for (Dev s : new ArrayList<>(d.bond.slaves)) {
        release(d, s);
      }
    }
    if (d.kind == Kind.BRIDGE) {
      for (Dev p : new ArrayList<>(d.ports)) {
        removePort(d, p);
      }
    }
    for (Dev v : new ArrayList<>(devs.values())) {
      if (v.vlanParent == d) {
        destroy(v);
      }
    }
    devs.remove(d.name);
    unrender(d);
    if (d.peer != null && devs.containsKey(d.peer.name)) {
      Dev p = d.peer;
      d.peer = null;
      p.peer = null;
      destroy(p);
    }
  }

  private void changeUp(Dev d, boolean up) {
    if (d.up == up) {
      return;
    }
    d.up = up;
    for (Dev v : devs.values()) {
      if (v.vlanParent == d) {
        changeUp(v, up); // 8021q follows its real device down, and back up
      }
    }
  }

  private void applyMtu(Dev d, int mtu) {
    if (mtu < 68 || mtu > 65535) {
      throw KernelException.of(Errno.EINVAL, "mtu less than device minimum or greater than maximum");
    }
    if (d.kind == Kind.VLAN && mtu > d.vlanParent.mtu) {
      throw KernelException.of(Errno.ERANGE);
    }
    d.mtu = mtu;
    if (d.kind == Kind.BOND) {
      d.bond.slaves.forEach(s -> s.mtu = mtu);
    }
  }

  private void leaveMaster(Dev d) {
    Dev m = d.master;
    if (m.kind == Kind.BOND) {
      release(m, d);
    } else {
      removePort(m, d);
    }
  }

  /** {@code bond_enslave()}. */
  private void enslave(Dev bond, Dev s) {
    if (s == bond) {
      throw KernelException.of(Errno.EPERM, "Cannot enslave bond to itself.");
    }
    if (s.master != null) {
      throw KernelException.of(Errno.EBUSY, "Device is in use and cannot be enslaved");
    }
    if (s.up) {
      throw KernelException.of(Errno.EPERM, "Device can not be enslaved while up");
    }
    if (s.kind == Kind.LOOPBACK) {
      throw KernelException.of(Errno.EPERM, "Can not enslave a loopback device");
    }
    requireNoLoop(bond, s);
    Bond b = bond.bond;
    if (b.slaves.isEmpty() && bond.addrAssignType == 1 && b.fom != FailOverMac.ACTIVE) {
      bond.mac = s.mac;
      bond.addrAssignType = 3;
    }
    s.mtu = bond.mtu;
    if (b.fom == FailOverMac.NONE || b.mode != BondMode.ACTIVE_BACKUP) {
      s.mac = bond.mac;
    }
    s.master = bond;
    s.slave = new Slave();
    s.up = true; // bond_enslave() opens the slave
    b.slaves.add(s);
    computeCarriers();
    if (b.miimon > 0) {
      s.slave.link = s.carrier ? (b.updelayTicks > 0 ? SlaveLinkState.GOING_BACK : SlaveLinkState.UP) : SlaveLinkState.DOWN;
      s.slave.pendingSince = kernel.clock();
    } else if (b.arpInterval > 0) {
      s.slave.link = s.carrier ? SlaveLinkState.UP : SlaveLinkState.DOWN;
    } else {
      s.slave.link = SlaveLinkState.UP;
    }
    if (b.mode.usesPrimary()) {
      selectActive(bond);
    }
  }

  /** {@code __bond_release_one()}: the slave is closed and gets its own address back. */
  private void release(Dev bond, Dev s) {
    Bond b = bond.bond;
    b.slaves.remove(s);
    s.master = null;
    s.slave = null;
    s.up = false;
    s.mac = s.perm;
    if (b.active == s) {
      b.active = null;
      selectActive(bond);
    }
  }

  /** {@code br_add_if()}. */
  private void addPort(Dev br, Dev p) {
    if (p.kind == Kind.BRIDGE) {
      throw KernelException.of(Errno.ELOOP, "Can not enslave a bridge to a bridge");
    }
    if (p.kind == Kind.LOOPBACK) {
      throw KernelException.of(Errno.EINVAL, "Can not enslave loopback device");
    }
    if (p.master != null) {
      throw KernelException.of(Errno.EBUSY, "Device is already in use");
    }
    requireNoLoop(br, p);
    p.master = br;
    br.ports.add(p);
  }

  /**
   * netdev_master_upper_dev_link(): a device cannot become a lower of a master that is stacked on
   * it (a VLAN of bond0 enslaved to bond0): EBUSY, without an extended ack.
   */
  private void requireNoLoop(Dev master, Dev lower) {
    java.util.Deque<Dev> todo = new java.util.ArrayDeque<>(List.of(master));
    java.util.Set<Dev> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      Dev d = todo.removeFirst();
      if (!seen.add(d)) {
        continue;
      }
      if (d == lower) {
        throw KernelException.of(Errno.EBUSY); // lower is already stacked on master
      }
      if (d.master != null) {
        todo.add(d.master);
      }
      for (Dev v : devs.values()) {
        if (v.vlanParent == d) {
          todo.add(v);
        }
      }
    }
  }

  private void removePort(Dev br, Dev p) {
    br.ports.remove(p);
    p.master = null;
  }

  // ------------------------------------------------------------------ bonding option engine

  private void bondOption(Dev bd, String option, String value) {
    Bond b = bd.bond;
    String v = value.strip();
    switch (option) {
      case "mode" -> {
        // __bond_opt_set() checks the option's flags (NOSLAVES, then IFDOWN) before it parses the
        // value, so even rewriting the current mode of an up bond is EBUSY.
        if (!b.slaves.isEmpty()) {
          throw KernelException.of(Errno.ENOTEMPTY, "unable to set option because the bond device has slaves");
        }
        if (bd.up) {
          throw KernelException.of(Errno.EBUSY, "unable to set option because the bond is up");
        }
        BondMode m = BondMode.fromOption(v).orElseThrow(() -> KernelException.of(Errno.EINVAL, "invalid mode"));
        // bond_option_mode_set(): modes without ARP monitoring (802.3ad, tlb, alb) turn it off and
        // MII monitoring on (100 ms) when it is off; arp_validate is never kept across modes.
        if (m == BondMode.IEEE_802_3AD || m == BondMode.BALANCE_TLB || m == BondMode.BALANCE_ALB) {
          b.arpInterval = 0;
          if (b.miimon == 0) {
            b.miimon = DEFAULT_MIIMON;
          }
        }
        b.validate = ArpValidate.NONE;
        b.mode = m;
        if (!m.usesPrimary()) {
          b.active = null;
        }
      }
      case "miimon" -> {
        int n = number(v);
        if (n > 0 && b.arpInterval > 0) {
          b.arpInterval = 0;
          b.validate = ArpValidate.NONE;
        }
        b.miimon = n;
      }
      case "updelay", "downdelay" -> {
        int n = number(v);
        if (b.miimon == 0) {
          throw KernelException.of(Errno.EPERM, "Unable to set " + (option.equals("updelay") ? "up" : "down")
              + " delay as MII monitoring is disabled");
        }
        if (option.equals("updelay")) {
          b.updelayTicks = n / b.miimon;
        } else {
          b.downdelayTicks = n / b.miimon;
        }
      }
      case "arp_interval" -> {
        int n = number(v);
        requireModes(b, "arp_interval", BondMode.IEEE_802_3AD, BondMode.BALANCE_TLB, BondMode.BALANCE_ALB);
        if (n > 0 && b.miimon > 0) {
          b.miimon = 0;
          b.updelayTicks = 0;
          b.downdelayTicks = 0;
        }
        if (n > 0 && b.arpInterval == 0 && bd.up && !b.slaves.isEmpty()) {
          arpTakesOver(b);
        }
        b.arpInterval = n;
      }
      case "arp_ip_target" -> arpTarget(b, v);
      case "arp_validate" -> {
        requireModes(b, "arp_validate", BondMode.IEEE_802_3AD, BondMode.BALANCE_TLB, BondMode.BALANCE_ALB);
        b.validate = ArpValidate.fromOption(v).orElseThrow(() -> KernelException.of(Errno.EINVAL));
      }
      case "fail_over_mac" -> {
        if (!b.slaves.isEmpty()) { // BOND_OPTFLAG_NOSLAVES, checked before the value
          throw KernelException.of(Errno.ENOTEMPTY, "unable to set option because the bond device has slaves");
        }
        b.fom = FailOverMac.fromOption(v).orElseThrow(() -> KernelException.of(Errno.EINVAL));
      }
      case "primary_reselect" -> b.reselect = PrimaryReselect.fromOption(v).orElseThrow(() -> KernelException.of(Errno.EINVAL));
      case "primary" -> {
        if (!b.mode.usesPrimary()) {
          throw KernelException.of(Errno.EACCES, "option primary: mode dependency failed, not supported in mode " + b.mode.option());
        }
        if (v.length() > 15) {
          throw KernelException.of(Errno.EINVAL);
        }
        b.primary = v;
        selectActive(bd);
      }
      case "active_slave" -> activeSlave(bd, v);
      default -> throw KernelException.of(Errno.EINVAL, "unknown bonding option " + option);
    }
  }

  private static void requireModes(Bond b, String option, BondMode... unsupported) {
    for (BondMode m : unsupported) {
      if (b.mode == m) {
        throw KernelException.of(Errno.EACCES, "option " + option + ": mode dependency failed, not supported in mode " + m.option());
      }
    }
  }

  private static int number(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw KernelException.of(Errno.EINVAL);
      }
      return n;
    } catch (NumberFormatException e) {
      throw KernelException.of(Errno.EINVAL);
    }
  }

  private static void arpTarget(Bond b, String v) {
    if (v.isEmpty() || (v.charAt(0) != '+' && v.charAt(0) != '-')) {
      throw KernelException.of(Errno.EINVAL, "no command found in arp_ip_targets file - use +<addr> or -<addr>");
    }
    Ipv4Address a;
    try {
      a = Ipv4Address.of(v.substring(1));
    } catch (RuntimeException e) {
      throw KernelException.of(Errno.EINVAL, "invalid ARP target specified");
    }
    if (v.charAt(0) == '+') {
      if (a.toString().equals("0.0.0.0") || a.toString().equals("255.255.255.255")) {
        throw KernelException.of(Errno.EINVAL, "invalid ARP target " + a + " specified for addition");
      }
      if (b.targets.contains(a)) {
        throw KernelException.of(Errno.EINVAL, "ARP target " + a + " is already present");
      }
      if (b.targets.size() >= MAX_ARP_TARGETS) {
        throw KernelException.of(Errno.EINVAL, "ARP target table is full!");
      }
      b.targets.add(a);
    } else if (!b.targets.remove(a)) {
      throw KernelException.of(Errno.EINVAL, "unable to remove nonexistent ARP target " + a);
    }
  }

  /** {@code bond_option_active_slave_set()}. */
  private void activeSlave(Dev bd, String v) {
    Bond b = bd.bond;
    if (!b.mode.usesPrimary()) {
      throw KernelException.of(Errno.EACCES, "option active_slave: mode dependency failed, not supported in mode " + b.mode.option());
    }
    if (v.isEmpty()) {
      b.active = null;
      selectActive(bd);
      return;
    }
    Dev s = devs.get(v);
    if (s == null) {
      throw KernelException.of(Errno.ENODEV);
    }
    if (s.master != bd || s.slave == null) {
      throw KernelException.of(Errno.EINVAL, "Device is not bonding slave");
    }
    if (s == b.active) {
      return;
    }
    if (b.active != null && s.slave.link == SlaveLinkState.UP && s.up) {
      b.active = s;
    } else {
      throw KernelException.of(Errno.EINVAL, "Could not set " + s.name + " as active slave; either " + s.name
          + " is down or the link is down");
    }
  }

  private void bondingMastersWrite(String value) {
    String v = value.strip();
    if (v.length() < 2 || (v.charAt(0) != '+' && v.charAt(0) != '-')) {
      throw KernelException.of(Errno.EPERM, "no command found in bonding_masters - use +ifname or -ifname");
    }
    String name = v.substring(1);
    if (!InterfaceName.isValid(name)) {
      throw KernelException.of(Errno.EINVAL, "invalid interface name");
    }
    if (v.charAt(0) == '+') {
      if (devs.containsKey(name)) {
        throw KernelException.of(Errno.EEXIST, "bond " + name + " already exists");
      }
      createBond(InterfaceName.of(name));
    } else {
      Dev d = devs.get(name);
      if (d == null || d.kind != Kind.BOND) {
        throw KernelException.of(Errno.ENODEV, "unable to delete non-existent " + name);
      }
      destroy(d);
      settle();
    }
  }

  private void slavesWrite(Dev bd, String value) {
    String v = value.strip();
    if (v.length() < 2 || (v.charAt(0) != '+' && v.charAt(0) != '-')) {
      throw KernelException.of(Errno.EPERM, "no command found in slaves file - use +ifname or -ifname");
    }
    Dev s = devs.get(v.substring(1));
    if (s == null) {
      throw KernelException.of(Errno.ENODEV, "interface " + v.substring(1) + " does not exist!");
    }
    if (v.charAt(0) == '+') {
      enslave(bd, s);
    } else {
      if (s.master != bd) {
        throw KernelException.of(Errno.EINVAL, "cannot release slave: not a slave");
      }
      release(bd, s);
    }
    settle();
  }

  // ------------------------------------------------------------------ carrier, monitors, failover

  /** Recomputes carriers and runs the link monitors until nothing changes, then renders. */
  private void settle() {
    for (int i = 0; i < 16; i++) {
      boolean changed = computeCarriers();
      for (Dev d : devs.values()) {
        if (d.kind == Kind.BOND) {
          changed |= monitor(d);
        }
      }
      if (!changed) {
        break;
      }
    }
    render();
  }

  private boolean computeCarriers() {
    boolean changed = false;
    for (int i = 0; i < 8; i++) {
      boolean round = false;
      for (Dev d : devs.values()) {
        boolean c = carrierOf(d);
        if (c != d.carrier) {
          d.carrier = c;
          round = true;
        }
      }
      changed |= round;
      if (!round) {
        break;
      }
    }
    return changed;
  }

  private boolean carrierOf(Dev d) {
    if (!d.up) {
      return false;
    }
    return switch (d.kind) {
      case LOOPBACK, DUMMY -> true;
      case ETHERNET, XEN_VIF -> d.phys;
      case VETH -> d.peer != null && d.peer.up;
      case VLAN -> d.vlanParent.carrier;
      case BOND -> d.bond.mode.usesPrimary() ? d.bond.active != null && d.bond.active.slave.link == SlaveLinkState.UP
          || d.bond.active != null && d.bond.active.slave.link == SlaveLinkState.GOING_DOWN
          : d.bond.slaves.stream().anyMatch(s -> s.slave.link == SlaveLinkState.UP);
      case BRIDGE -> d.ports.stream().anyMatch(p -> p.up && p.carrier);
    };
  }

  /** What the bond's monitor concludes about each slave now; true when anything changed. */
  private boolean monitor(Dev bd) {
    Bond b = bd.bond;
    if (!bd.up) {
      return false;
    }
    boolean changed = false;
    Duration now = kernel.clock();
    for (Dev s : b.slaves) {
      boolean sees;
      if (b.miimon > 0) {
        sees = s.carrier;
      } else if (b.arpInterval > 0) {
        sees = s.carrier && (s.upstream && !b.targets.isEmpty() && arpHeard(b, s, now) || strayHeard(b, s, now));
      } else {
        continue; // nobody watches the link
      }
      Slave st = s.slave;
      SlaveLinkState before = st.link;
      boolean delays = b.miimon > 0;
      switch (st.link) {
        case UP -> {
          if (!sees) {
            if (delays && b.downdelayTicks > 0) {
              st.link = SlaveLinkState.GOING_DOWN;
              st.pendingSince = now;
            } else {
              down(st);
            }
          }
        }
        case GOING_DOWN -> {
          if (sees) {
            st.link = SlaveLinkState.UP;
          } else if (!now.minus(st.pendingSince).minusMillis(b.downdelayMs()).isNegative()) {
            down(st);
          }
        }
        case DOWN -> {
          if (sees) {
            if (delays && b.updelayTicks > 0) {
              st.link = SlaveLinkState.GOING_BACK;
              st.pendingSince = now;
            } else {
              st.link = SlaveLinkState.UP;
            }
          }
        }
        case GOING_BACK -> {
          if (!sees) {
            down(st);
          } else if (!now.minus(st.pendingSince).minusMillis(b.updelayMs()).isNegative()) {
            st.link = SlaveLinkState.UP;
          }
        }
        default -> throw new IllegalStateException();
      }
      changed |= st.link != before;
    }
    if (b.arpStart != null && (b.miimon > 0 || b.arpInterval == 0
        || now.minus(b.arpStart).toMillis() >= 2L * b.arpInterval)) {
      b.arpStart = null;
    }
    boolean activeOk = b.active != null
        && (b.active.slave.link == SlaveLinkState.UP || b.active.slave.link == SlaveLinkState.GOING_DOWN);
    if (b.mode.usesPrimary() && (changed || !activeOk)) {
      // the kernel reselects on link events, so an active slave chosen by hand stays until one happens
      changed |= selectActive(bd);
    }
    return changed;
  }

  /**
   * The ARP monitor taking over a running bond, as Linux 6.1 did in the lab: no slave has a
   * validated ARP reply yet, so its first round takes every slave down (each counts a failure) and
   * the bond has no active slave; the slaves come back as replies arrive (see {@link #arpHeard}).
   * Not modelled: ARP monitoring turned back on soon after it was turned off. The real driver then
   * still has the slaves' last receive times (and with {@code arp_validate} none it goes on counting
   * received frames while MII monitoring runs), so a slave goes down only if its traffic is too old:
   * in the lab, depending on the timing, only the backup went down and came back, or nothing did.
   */
  private void arpTakesOver(Bond b) {
    for (Dev s : b.slaves) {
      if (s.slave.link != SlaveLinkState.DOWN) {
        down(s.slave);
      }
    }
    b.active = null;
    b.arpStart = kernel.clock();
  }

  /**
   * Whether the ARP monitor, after taking over at {@code arpStart}, has heard a reply through
   * {@code s} by {@code now}. With {@code arp_validate} none or active every slave is back after one
   * interval (the first one listed becomes active); with backup or all the probes rotate from the
   * second slave, which is back after one interval and becomes active, the others after two.
   */
  private static boolean arpHeard(Bond b, Dev s, Duration now) {
    if (b.arpStart == null) {
      return true;
    }
    long intervals = now.minus(b.arpStart).toMillis() / b.arpInterval;
    boolean rotates = b.validate.validatesBackup();
    int rank = rotates && b.slaves.size() > 1 ? Math.floorMod(b.slaves.indexOf(s) - 1, b.slaves.size()) : 0;
    return intervals >= (rank == 0 ? 1 : 2);
  }

  /**
   * Whether stray frames counted on {@code s} (see {@link #receiveStray}) make the ARP monitor see
   * it at {@code now}: a slave that is up stays up until {@link #strayExpiry}; one that is down comes
   * up only on traffic within the last interval and a half ({@code bond_time_in_interval(last_rx, 1)}).
   */
  private static boolean strayHeard(Bond b, Dev s, Duration now) {
    if (s.slave.strayRx == null) {
      return false;
    }
    boolean up = s.slave.link == SlaveLinkState.UP || s.slave.link == SlaveLinkState.GOING_DOWN;
    Duration until = up ? strayExpiry(b, s) : s.slave.strayRx.plusMillis(b.arpInterval + b.arpInterval / 2L);
    return now.compareTo(until) < 0;
  }

  /**
   * When the last stray frame counted on {@code s} stops keeping it up: {@code arp_missed_max}
   * intervals for the active slave, one more for a backup, and half an interval
   * ({@code bond_time_in_interval()}'s margin).
   */
  private static Duration strayExpiry(Bond b, Dev s) {
    int missed = ARP_MISSED_MAX + (s == b.active ? 0 : 1);
    return s.slave.strayRx.plusMillis((long) missed * b.arpInterval + b.arpInterval / 2);
  }

  private static void down(Slave st) {
    st.link = SlaveLinkState.DOWN;
    st.failures++;
  }

  /** {@code bond_select_active_slave()} for active-backup; true when the active slave changed. */
  private boolean selectActive(Dev bd) {
    Bond b = bd.bond;
    if (!b.mode.usesPrimary()) {
      return false;
    }
    Dev before = b.active;
    Dev curr = b.active;
    boolean currOk = curr != null && (curr.slave.link == SlaveLinkState.UP || curr.slave.link == SlaveLinkState.GOING_DOWN);
    Dev primary = b.slaves.stream().filter(s -> s.name.equals(b.primary)).findFirst().orElse(null);
    Dev best = null;
    if (primary != null && primary.slave.link == SlaveLinkState.UP
        && (!currOk || b.reselect != PrimaryReselect.FAILURE)) {
      best = primary;
    } else if (currOk) {
      best = curr;
    } else {
      for (Dev s : b.slaves) {
        if (s.slave.link == SlaveLinkState.UP) {
          best = s;
          break;
        }
      }
      if (best == null) {
        for (Dev s : b.slaves) {
          if (s.slave.link == SlaveLinkState.GOING_BACK && s.up) {
            s.slave.link = SlaveLinkState.UP; // "making interface the new active one ... ms earlier"
            best = s;
            break;
          }
        }
      }
    }
    b.active = best;
    if (b.fom == FailOverMac.ACTIVE && best != null) {
      bd.mac = best.mac;
    }
    return before != best;
  }

  Optional<Duration> nextDeadline() {
    Duration now = kernel.clock();
    List<Duration> due = new ArrayList<>();
    for (Dev d : devs.values()) {
      if (d.kind == Kind.BOND && d.up) {
        arpDeadlines(d.bond, now, due);
        delayDeadlines(d.bond, due);
      }
    }
    return due.stream().min(Duration::compareTo);
  }

  /**
   * The ARP monitor's timers still ahead of {@code now}: its first two rounds after taking over (see
   * {@link #arpHeard}), and when stray frames stop keeping a slave up (see {@link #strayExpiry}).
   */
  private static void arpDeadlines(Bond b, Duration now, List<Duration> due) {
    List<Duration> arp = new ArrayList<>();
    if (b.arpStart != null && b.arpInterval > 0) {
      arp.add(b.arpStart.plusMillis(b.arpInterval));
      arp.add(b.arpStart.plusMillis(2L * b.arpInterval));
    }
    if (b.arpMonitor()) {
      b.slaves.stream().filter(s -> s.slave.strayRx != null).forEach(s -> arp.add(strayExpiry(b, s)));
    }
    arp.stream().filter(t -> t.compareTo(now) > 0).forEach(due::add);
  }

  /** When the MII monitor's pending {@code downdelay} and {@code updelay} end. */
  private static void delayDeadlines(Bond b, List<Duration> due) {
    if (b.miimon == 0) {
      return;
    }
    for (Dev s : b.slaves) {
      if (s.slave.link == SlaveLinkState.GOING_DOWN) {
        due.add(s.slave.pendingSince.plusMillis(b.downdelayMs()));
      } else if (s.slave.link == SlaveLinkState.GOING_BACK) {
        due.add(s.slave.pendingSince.plusMillis(b.updelayMs()));
      }
    }
  }

  void onTime() {
    settle();
  }

  // ------------------------------------------------------------------ snapshots

  private Link snapshot(Dev d) {
    Optional<InterfaceName> link = Optional.empty();
    if (d.peer != null) {
      link = Optional.of(InterfaceName.of(d.peer.name));
    } else if (d.vlanParent != null) {
      link = Optional.of(InterfaceName.of(d.vlanParent.name));
    }
    Optional<BondSlave> bs = d.slave == null ? Optional.empty() : Optional.of(bondSlave(d));
    Optional<BridgePortState> ps = d.master != null && d.master.kind == Kind.BRIDGE ? Optional.of(portState(d)) : Optional.empty();
    return new Link(InterfaceName.of(d.name), d.ifindex, d.kind, d.mac, d.perm, d.up, d.carrier, operstate(d), d.mtu,
        Optional.ofNullable(d.master).map(m -> InterfaceName.of(m.name)), link,
        d.kind == Kind.VLAN ? OptionalInt.of(d.vlanId) : OptionalInt.empty(), d.upstream, ipFlags(d),
        d.kind == Kind.BOND ? Optional.of(bondDevice(d)) : Optional.empty(), bs,
        d.kind == Kind.BRIDGE ? Optional.of(bridgeDevice(d)) : Optional.empty(), ps);
  }

  private BondSlave bondSlave(Dev s) {
    return new BondSlave(InterfaceName.of(s.name), s.master.bond.active == s || !s.master.bond.mode.usesPrimary()
        && s.slave.link == SlaveLinkState.UP, s.slave.link, s.slave.failures, Optional.of(s.perm));
  }

  private BondDevice bondDevice(Dev d) {
    Bond b = d.bond;
    Optional<InterfaceName> primary = b.slaves.stream().filter(s -> s.name.equals(b.primary)).findFirst()
        .map(s -> InterfaceName.of(s.name));
    return BondDevice.builder().name(InterfaceName.of(d.name)).mode(b.mode).miiUp(d.carrier)
        .activeSlave(Optional.ofNullable(b.active).map(a -> InterfaceName.of(a.name))).primary(primary)
        .primaryReselect(b.reselect).miimon(b.miimon).updelay(b.updelayMs()).downdelay(b.downdelayMs())
        .arpInterval(b.arpInterval).arpIpTargets(b.targets).arpValidate(b.validate).failOverMac(b.fom)
        .slaves(b.slaves.stream().map(this::bondSlave).toList()).build();
  }

  private BridgeDevice bridgeDevice(Dev d) {
    return new BridgeDevice(InterfaceName.of(d.name), d.stp,
        d.ports.stream().map(p -> new BridgeDevice.BridgePort(InterfaceName.of(p.name), portState(p))).toList());
  }

  private static BridgePortState portState(Dev p) {
    return p.up && p.carrier && p.master.up ? BridgePortState.FORWARDING : BridgePortState.DISABLED;
  }

  private static String operstate(Dev d) {
    if (!d.up) {
      return "down";
    }
    if (d.carrier) {
      return d.kind == Kind.LOOPBACK || d.kind == Kind.DUMMY ? "unknown" : "up";
    }
    return d.kind == Kind.VLAN || d.kind == Kind.VETH ? "lowerlayerdown" : "down";
  }

  private static int flags(Dev d) {
    int f = d.kind == Kind.LOOPBACK ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST;
    if (d.kind == Kind.DUMMY) {
      f = IFF_BROADCAST | IFF_NOARP;
    }
    if (d.up) {
      f |= IFF_UP;
    }
    if (d.kind == Kind.BOND) {
      f |= IFF_MASTER;
    }
    if (d.slave != null) {
      f |= IFF_SLAVE;
    }
    return f;
  }

  private static List<String> ipFlags(Dev d) {
    int f = flags(d);
    List<String> out = new ArrayList<>();
    if (d.up && !d.carrier) {
      out.add("NO-CARRIER");
    }
    String[] names = {"LOOPBACK", "BROADCAST", "MULTICAST", "NOARP", "MASTER", "SLAVE", "UP"};
    int[] bits = {IFF_LOOPBACK, IFF_BROADCAST, IFF_MULTICAST, IFF_NOARP, IFF_MASTER, IFF_SLAVE, IFF_UP};
    for (int i = 0; i < names.length; i++) {
      if ((f & bits[i]) != 0) {
        out.add(names[i]);
      }
    }
    if (d.up && d.carrier) {
      out.add("LOWER_UP");
    }
    return out;
  }

  private ProcBonding proc(Dev d) {
    Bond b = d.bond;
    ProcBonding.Builder p = ProcBonding.builder("v" + SimulatedKernel.RELEASE).mode(b.mode).failOverMac(b.fom)
        .primary(b.slaves.stream().filter(s -> s.name.equals(b.primary)).findFirst().map(s -> InterfaceName.of(s.name)),
            b.reselect)
        .activeSlave(Optional.ofNullable(b.active).map(a -> InterfaceName.of(a.name))).miiUp(d.carrier)
        .miimon(b.miimon).delays(b.updelayMs(), b.downdelayMs(), 0).arp(b.arpInterval, 2, b.targets);
    for (Dev s : b.slaves) {
      boolean hasSpeed = s.kind == Kind.ETHERNET || s.kind == Kind.VETH;
      p.slave(InterfaceName.of(s.name), s.slave.link, hasSpeed ? OptionalInt.of(10000) : OptionalInt.empty(),
          hasSpeed ? Optional.of("full") : Optional.empty(), s.slave.failures, s.perm, 0);
    }
    return p.build();
  }

  private VlanConfig vlanConfigNow() {
    List<VlanDevice> l = new ArrayList<>();
    for (Dev d : devs.values()) {
      if (d.kind == Kind.VLAN) {
        l.add(new VlanDevice(InterfaceName.of(d.name), d.vlanId, InterfaceName.of(d.vlanParent.name)));
      }
    }
    return new VlanConfig(VlanConfig.DEFAULT_NAME_TYPE, l);
  }

  // ------------------------------------------------------------------ rendering

  private String dirOf(Dev d) {
    if (d.dir == null) {
      d.dir = switch (d.kind) {
        case ETHERNET -> "sys/devices/pci0000:00/0000:00:02.0/" + d.pci + "/net/" + d.name;
        case XEN_VIF -> "sys/devices/xen-backend/vif-" + d.domid + "-" + d.devid + "/net/" + d.name;
        default -> "sys/devices/virtual/net/" + d.name;
      };
    }
    return d.dir;
  }

  /** Writes what changed since the last render. */
  private void render() {
    for (Dev d : devs.values()) {
      renderDev(d);
    }
    StringBuilder masters = new StringBuilder();
    for (Dev d : devs.values()) {
      if (d.kind == Kind.BOND) {
        masters.append(masters.length() == 0 ? "" : " ").append(d.name);
        put("proc/net/bonding/" + d.name, proc(d).render());
      }
    }
    put("sys/class/net/bonding_masters", masters + "\n");
    if (vlanModule) {
      put("proc/net/vlan/config", vlanConfigNow().render());
      for (Dev d : devs.values()) {
        if (d.kind == Kind.VLAN) {
          put("proc/net/vlan/" + d.name, String.format(Locale.ROOT,
              "%s  VID: %d\t REORDER_HDR: 1  dev->priv_flags: 1001\n"
                  + "         total frames received            0\n"
                  + "          total bytes received            0\n"
                  + "      Broadcast/Multicast Rcvd            0\n\n"
                  + "      total frames transmitted            0\n"
                  + "       total bytes transmitted            0\n"
                  + "Device: %s\nINGRESS priority mappings: 0:0  1:0  2:0  3:0  4:0  5:0  6:0 7:0\n"
                  + " EGRESS priority mappings: \n", d.name, d.vlanId, d.vlanParent.name));
        }
      }
    }
  }

  private void renderDev(Dev d) {
    String dir = dirOf(d);
    boolean fresh = !rendered.containsKey(dir + "/ifindex");
    put(dir + "/ifindex", d.ifindex + "\n");
    put(dir + "/iflink", (d.peer != null ? d.peer.ifindex : d.vlanParent != null ? d.vlanParent.ifindex : d.ifindex) + "\n");
    put(dir + "/address", d.mac + "\n");
    put(dir + "/addr_assign_type", d.addrAssignType + "\n");
    put(dir + "/addr_len", "6\n");
    put(dir + "/broadcast", d.kind == Kind.LOOPBACK ? "00:00:00:00:00:00\n" : "ff:ff:ff:ff:ff:ff\n");
    put(dir + "/type", (d.kind == Kind.LOOPBACK ? 772 : 1) + "\n");
    put(dir + "/flags", String.format(Locale.ROOT, "0x%x", flags(d)) + "\n");
    put(dir + "/operstate", operstate(d) + "\n");
    put(dir + "/carrier", (d.carrier ? 1 : 0) + "\n");
    put(dir + "/dormant", "0\n");
    put(dir + "/tx_queue_len", (d.kind == Kind.LOOPBACK ? 1000 : d.kind == Kind.VLAN || d.kind == Kind.BRIDGE ? 0 : 1000) + "\n");
    boolean speed = d.kind == Kind.ETHERNET || d.kind == Kind.VETH || d.kind == Kind.BOND;
    if (speed) {
      put(dir + "/speed", (d.carrier ? "10000" : "-1") + "\n");
      put(dir + "/duplex", (d.carrier ? "full" : "unknown") + "\n");
    }
    String devtype = switch (d.kind) {
      case BOND -> "bond";
      case BRIDGE -> "bridge";
      case VLAN -> "vlan";
      default -> null;
    };
    put(dir + "/uevent", "INTERFACE=" + d.name + "\nIFINDEX=" + d.ifindex + "\n" + (devtype == null ? "" : "DEVTYPE=" + devtype + "\n"));
    if (fresh) {
      tree.attr(dir + "/mtu", d.mtu + "\n", v -> mtuWrite(d, v));
      rendered.put(dir + "/mtu", d.mtu + "\n");
      tree.link(dir + "/subsystem", "sys/class/net");
      if (d.kind == Kind.ETHERNET) {
        tree.link(dir + "/device", Tree.parent(Tree.parent(dir)));
      }
      tree.link("sys/class/net/" + d.name, dir);
      if (d.kind == Kind.VLAN) {
        tree.link(dirOf(d.vlanParent) + "/upper_" + d.name, dir);
        tree.link(dir + "/lower_" + d.vlanParent.name, dirOf(d.vlanParent));
      }
      if (d.kind == Kind.BOND) {
        for (String o : List.of("mode", "miimon", "updelay", "downdelay", "arp_interval", "arp_ip_target", "arp_validate",
            "fail_over_mac", "primary", "primary_reselect", "active_slave")) {
          tree.attr(dir + "/bonding/" + o, "", v -> {
            bondOption(d, o, v);
            settle();
          });
        }
        tree.attr(dir + "/bonding/slaves", "", v -> slavesWrite(d, v));
      }
      if (d.kind == Kind.BRIDGE) {
        tree.attr(dir + "/bridge/stp_state", "0\n", v -> {
          String s = v.strip();
          if (!s.equals("0") && !s.equals("1") && !s.equals("2")) {
            throw KernelException.of(Errno.EINVAL);
          }
          d.stp = !s.equals("0");
          settle();
        });
        tree.attr(dir + "/bridge/forward_delay", d.forwardDelayCs + "\n", v -> {
          forwardDelay(d, number(v));
          settle();
        });
        tree.attr(dir + "/bridge/ageing_time", d.ageingCs + "\n", v -> {
          d.ageingCs = number(v);
          settle();
        });
        tree.dir(dir + "/brif");
      }
    } else {
      put(dir + "/mtu", d.mtu + "\n");
    }
    if (d.kind == Kind.BOND) {
      renderBond(d, dir);
    }
    if (d.kind == Kind.BRIDGE) {
      renderBridge(d, dir);
    }
    renderMaster(d, dir);
  }

  private void renderBond(Dev d, String dir) {
    Bond b = d.bond;
    String bd = dir + "/bonding/";
    put(bd + "mode", b.mode.sysfs() + "\n");
    put(bd + "miimon", b.miimon + "\n");
    put(bd + "updelay", b.updelayMs() + "\n");
    put(bd + "downdelay", b.downdelayMs() + "\n");
    put(bd + "arp_interval", b.arpInterval + "\n");
    StringBuilder t = new StringBuilder();
    b.targets.forEach(a -> t.append(t.length() == 0 ? "" : " ").append(a));
    put(bd + "arp_ip_target", t + "\n");
    put(bd + "arp_validate", b.validate.sysfs() + "\n");
    put(bd + "fail_over_mac", b.fom.sysfs() + "\n");
    put(bd + "primary", b.slaves.stream().filter(s -> s.name.equals(b.primary)).map(s -> s.name).findFirst().orElse("") + "\n");
    put(bd + "primary_reselect", b.reselect.sysfs() + "\n");
    put(bd + "active_slave", (b.active == null ? "" : b.active.name) + "\n");
    StringBuilder sl = new StringBuilder();
    b.slaves.forEach(s -> sl.append(sl.length() == 0 ? "" : " ").append(s.name));
    put(bd + "slaves", sl + "\n");
    put(bd + "mii_status", (d.carrier ? "up" : "down") + "\n");
    put(bd + "arp_missed_max", ARP_MISSED_MAX + "\n");
    put(bd + "arp_all_targets", "any 0\n");
    put(bd + "use_carrier", "1\n");
    put(bd + "num_grat_arp", "1\n");
    put(bd + "xmit_hash_policy", "layer2 0\n");
    put(bd + "all_slaves_active", "0\n");
    put(bd + "min_links", "0\n");
    put(bd + "peer_notif_delay", "0\n");
    StringBuilder q = new StringBuilder();
    b.slaves.forEach(s -> q.append(q.length() == 0 ? "" : " ").append(s.name).append(":0"));
    put(bd + "queue_id", q + "\n");
    for (Dev s : b.slaves) {
      String sd = dirOf(s) + "/bonding_slave/";
      BondSlave x = bondSlave(s);
      put(sd + "state", (x.active() ? "active" : "backup") + "\n");
      put(sd + "mii_status", s.slave.link.text() + "\n");
      put(sd + "link_failure_count", s.slave.failures + "\n");
      put(sd + "perm_hwaddr", s.perm + "\n");
      put(sd + "queue_id", "0\n");
      put(sd + "ad_aggregator_id", "N/A\n");
    }
  }

  private void renderBridge(Dev d, String dir) {
    put(dir + "/bridge/stp_state", (d.stp ? 1 : 0) + "\n");
    put(dir + "/bridge/forward_delay", d.forwardDelayCs + "\n");
    put(dir + "/bridge/hello_time", "200\n");
    put(dir + "/bridge/max_age", "2000\n");
    put(dir + "/bridge/ageing_time", d.ageingCs + "\n");
    put(dir + "/bridge/priority", "32768\n");
    if (d.addrAssignType == 1) {
      // the bridge takes its smallest port address unless one was set; no port, no address
      d.mac = d.ports.stream().map(p -> p.mac).min(MacAddress::compareTo).orElse(MacAddress.fromBits(0));
      put(dir + "/address", d.mac + "\n");
    }
    put(dir + "/bridge/bridge_id", "8000." + d.mac.toString().replace(":", "") + "\n");
    put(dir + "/bridge/group_addr", "01:80:c2:00:00:00\n");
    put(dir + "/bridge/vlan_filtering", "0\n");
    put(dir + "/bridge/nf_call_iptables", "0\n");
    for (Dev p : d.ports) {
      String pd = dirOf(p) + "/brport/";
      put(pd + "state", portState(p).number() + "\n");
      put(pd + "priority", "32\n");
      put(pd + "path_cost", "2\n");
      put(pd + "hairpin_mode", "0\n");
      put(pd + "learning", "1\n");
      put(pd + "unicast_flood", "1\n");
      linkOnce(pd + "bridge", dir);
      linkOnce(dir + "/brif/" + p.name, dirOf(p) + "/brport");
    }
  }

  private void renderMaster(Dev d, String dir) {
    String m = d.master == null ? null : d.master.name;
    String key = dir + "/master";
    String was = rendered.get(key);
    if (m == null ? was == null : m.equals(was)) {
      return;
    }
    if (was != null) {
      Dev old = devs.get(was);
      tree.unlink(dir + "/master");
      tree.unlink(dir + "/upper_" + was);
      if (old != null) {
        tree.unlink(dirOf(old) + "/lower_" + d.name);
        tree.unlink(dirOf(old) + "/brif/" + d.name);
        rendered.remove(dirOf(old) + "/brif/" + d.name);
      }
      forget(dir + "/bonding_slave/");
      forget(dir + "/brport/");
      tree.removeTree(dir + "/bonding_slave");
      tree.removeTree(dir + "/brport");
      rendered.remove(key);
    }
    if (m != null) {
      String md = dirOf(d.master);
      tree.link(dir + "/master", md);
      tree.link(dir + "/upper_" + m, md);
      tree.link(md + "/lower_" + d.name, dir);
      rendered.put(key, m);
      if (d.master.kind == Kind.BOND) {
        renderBond(d.master, md);
      } else {
        renderBridge(d.master, md);
      }
    }
  }

  private void linkOnce(String rel, String target) {
    if (!target.equals(rendered.get(rel))) {
      tree.link(rel, target);
      rendered.put(rel, target);
    }
  }

  private void put(String rel, String content) {
    String was = rendered.get(rel);
    if (content.equals(was)) {
      return;
    }
    if (was == null) {
      tree.file(rel, content);
    } else {
      tree.update(rel, content);
    }
    rendered.put(rel, content);
  }

  private void forget(String prefix) {
    rendered.keySet().removeIf(k -> k.startsWith(prefix));
  }

  private void unrender(Dev d) {
    String dir = dirOf(d);
    tree.unlink("sys/class/net/" + d.name);
    tree.unlink("proc/net/bonding/" + d.name);
    tree.unlink("proc/net/vlan/" + d.name);
    rendered.remove("proc/net/bonding/" + d.name);
    rendered.remove("proc/net/vlan/" + d.name);
    for (Iterator<String> it = rendered.keySet().iterator(); it.hasNext();) {
      String k = it.next();
      if (k.startsWith(dir + "/") || k.endsWith("/brif/" + d.name) || k.endsWith("/lower_" + d.name)) {
        it.remove();
      }
    }
    for (Dev o : devs.values()) {
      tree.unlink(dirOf(o) + "/lower_" + d.name);
      tree.unlink(dirOf(o) + "/upper_" + d.name);
      tree.unlink(dirOf(o) + "/brif/" + d.name);
    }
    String top = d.kind == Kind.ETHERNET ? dir : d.kind == Kind.XEN_VIF ? Tree.parent(Tree.parent(dir)) : dir;
    tree.removeTree(top);
  }

  private void mtuWrite(Dev d, String v) {
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw KernelException.of(Errno.EINVAL);
    }
    applyMtu(d, n);
    settle();
  }
}
