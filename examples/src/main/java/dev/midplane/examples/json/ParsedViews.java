package dev.midplane.examples.json;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.multipath.config.Attribute;
import dev.midplane.multipath.config.Blacklist;
import dev.midplane.multipath.config.ConfigWarning;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.MultipathEntry;
import dev.midplane.multipath.config.ParsedConfig;
import dev.midplane.multipath.config.Section;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.multipath.dm.DmsetupDevice;
import dev.midplane.multipath.dm.MultipathStatus;
import dev.midplane.multipath.dm.MultipathTable;
import dev.midplane.multipath.topology.DisplayedSize;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.network.BridgeStatus;
import dev.midplane.network.Link;
import dev.midplane.network.antispoof.Chain;
import dev.midplane.network.antispoof.Rule;
import dev.midplane.network.antispoof.Ruleset;
import dev.midplane.network.antispoof.Table;
import dev.midplane.network.persist.IfcfgFile;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.config.ConfigValue;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.sxp.Sxp;
import dev.midplane.xen.sxp.SxpAtom;
import dev.midplane.xen.sxp.SxpList;
import dev.midplane.xen.sxp.XendConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The JSON shapes of {@code midplane parse}: one record family per kind of text, built from the
 * SDK's parsed values. Field names are stable; unknown values are {@code null}; sizes are in
 * bytes.
 */
public final class ParsedViews {
  private ParsedViews() {}

  // ---- multipath -ll

  /** {@code multipath -ll}: the maps and the log lines printed between them. */
  public record MultipathLl(List<MpMap> maps, List<Warning> warnings) {}

  /**
   * A map. {@code sizeBytes} is the size multipath printed ({@code size}, e.g. {@code 1.0G}) in
   * bytes, which multipath rounds; the exact size is in {@code dmsetup table}.
   */
  public record MpMap(String name, String wwid, String sysfsName, String vendor, String product, String revision,
      Long sizeBytes, String size, String features, String hwhandler, String writeProtect, List<MpGroup> groups) {}

  /** A path group: {@code policy} is the path selector ({@code service-time 0}). */
  public record MpGroup(String policy, Integer priority, String status, List<MpPath> paths) {}

  /** A path: {@code devt} is major:minor; states as multipath prints them. */
  public record MpPath(String hctl, String device, String devt, String dmState, String checkerState,
      String onlineState) {}

  /** A line a tool printed that is not part of the topology, with its 1-based line number. */
  public record Warning(int line, String text) {}

  static MultipathLl multipathLl(MultipathListing l) {
    return new MultipathLl(l.maps().stream().map(ParsedViews::mpMap).toList(),
        l.messages().stream().map(m -> new Warning(m.line(), m.text())).toList());
  }

  private static MpMap mpMap(MapTopology m) {
    return new MpMap(m.name().value(), m.wwid().value(), m.sysfsName().orElse(null), m.vendor().orElse(null),
        m.product().orElse(null), m.revision().orElse(null),
        m.size().map(DisplayedSize::approximateBytes).orElse(null), m.size().map(DisplayedSize::text).orElse(null),
        m.features().orElse(null), m.hardwareHandler().orElse(null),
        m.writeProtect().map(w -> w.text()).orElse(null),
        m.pathGroups().stream().map(ParsedViews::mpGroup).toList());
  }

  private static MpGroup mpGroup(PathGroup g) {
    return new MpGroup(g.selector(), integer(g.priority()), g.state().text(),
        g.paths().stream().map(ParsedViews::mpPath).toList());
  }

  private static MpPath mpPath(MultipathPath p) {
    return new MpPath(p.hctl().map(Hctl::toString).orElse(null), p.device().map(BlockDeviceName::value).orElse(null),
        p.deviceNumber().map(DevNumber::toString).orElse(null), p.dmState().text(), p.checkerState().text(),
        p.deviceState().map(s -> s.text()).orElse(null));
  }

  // ---- multipath.conf

  /**
   * {@code multipath.conf}: {@code defaults} and {@code overrides} as keyword → value (the last
   * setting of a keyword wins, as in multipath-tools), the blacklists by entry kind, the
   * {@code multipaths} entries and the {@code devices}, plus what multipath-tools would warn about.
   */
  public record MultipathConf(Map<String, String> defaults, BlacklistView blacklist,
      BlacklistView blacklistExceptions, List<MultipathView> multipaths, List<Map<String, String>> devices,
      Map<String, String> overrides, List<ConfWarning> warnings) {}

  /** Blacklist entries by kind: regular expressions, and vendor/product pairs for devices. */
  public record BlacklistView(List<String> wwid, List<String> devnode, List<String> property, List<String> protocol,
      List<DeviceMatchView> device) {}

  /** A {@code device} entry of a blacklist. */
  public record DeviceMatchView(String vendor, String product) {}

  /** A {@code multipath} entry: its WWID, alias (or null) and every other setting. */
  public record MultipathView(String wwid, String alias, Map<String, String> settings) {}

  /** A warning; {@code fatal} when multipath-tools would reject the whole file. */
  public record ConfWarning(int line, String where, String message, boolean fatal) {}

  static MultipathConf multipathConf(ParsedConfig parsed) {
    MultipathConfig c = parsed.config();
    return new MultipathConf(settings(c.mergedSection("defaults")), blacklist(c.blacklist()),
        blacklist(c.blacklistExceptions()), c.multipaths().stream().map(ParsedViews::multipath).toList(),
        c.devices().stream().map(ParsedViews::settings).toList(), settings(c.mergedSection("overrides")),
        parsed.warnings().stream().map(ParsedViews::confWarning).toList());
  }

  private static ConfWarning confWarning(ConfigWarning w) {
    return new ConfWarning(w.line(), w.where(), w.message(), w.fatal());
  }

  private static BlacklistView blacklist(Blacklist b) {
    return new BlacklistView(b.wwids(), b.devnodes(), b.properties(), b.protocols(),
        b.devices().stream().map(d -> new DeviceMatchView(d.vendor().orElse(null), d.product().orElse(null))).toList());
  }

  private static MultipathView multipath(MultipathEntry e) {
    Map<String, String> rest = settings(e.section());
    rest.remove("wwid");
    rest.remove("alias");
    return new MultipathView(e.wwid(), e.alias().orElse(null), rest);
  }

  private static Map<String, String> settings(Section s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Attribute a : s.attributes()) {
      out.put(a.keyword(), a.value());
    }
    return out;
  }

  // ---- dmsetup table / status

  /** {@code dmsetup table} or {@code dmsetup status}: every device and its segments. */
  public record DmDevices(List<DmDeviceView> devices) {}

  /**
   * A device-mapper device; {@code sizeBytes} is the sum of its segments. {@code name} is null for
   * the output of {@code dmsetup table|status NAME}, which does not print it.
   */
  public record DmDeviceView(String name, long sizeBytes, List<SegmentView> segments) {}

  /**
   * A segment (a target line): start and length in 512-byte sectors, the target type and its
   * parameters as printed; for the {@code multipath} target also parsed ({@code multipathTable}
   * for a table, {@code multipathStatus} for a status; null otherwise).
   */
  public record SegmentView(long start, long length, long lengthBytes, String type, String parameters,
      MpTableView multipathTable, MpStatusView multipathStatus) {}

  /** A multipath table: features, hardware handler, initial group, groups with selector and paths. */
  public record MpTableView(List<String> features, String hwhandler, int initialGroup, List<MpTableGroup> groups) {}

  /** A group of a multipath table. */
  public record MpTableGroup(String selector, List<String> selectorArgs, List<MpTablePath> paths) {}

  /** A path of a multipath table: its device number and arguments. */
  public record MpTablePath(String devt, List<String> args) {}

  /** A multipath status: which group runs next, each group's state and its paths' health. */
  public record MpStatusView(Boolean queueingIo, int nextGroup, List<MpStatusGroup> groups) {}

  /** A group of a multipath status: {@code state} is {@code active}, {@code enabled} or {@code disabled}. */
  public record MpStatusGroup(String state, List<MpStatusPath> paths) {}

  /** A path of a multipath status: up ({@code active}) or failed, and how often it failed. */
  public record MpStatusPath(String devt, boolean active, long failCount) {}

  static DmDevices dmTables(List<DmsetupDevice> devices) {
    return new DmDevices(devices.stream().map(d -> new DmDeviceView(d.name().isEmpty() ? null : d.name(),
        d.sizeBytes(), d.targets().stream().map(t -> segment(t, true)).toList())).toList());
  }

  static DmDevices dmStatuses(List<DmsetupDevice> devices) {
    return new DmDevices(devices.stream().map(d -> new DmDeviceView(d.name().isEmpty() ? null : d.name(),
        d.sizeBytes(), d.targets().stream().map(t -> segment(t, false)).toList())).toList());
  }

  private static SegmentView segment(DmTarget t, boolean table) {
    boolean mp = t.type().equals("multipath");
    return new SegmentView(t.start(), t.length(), t.lengthBytes(), t.type(), t.parameters(),
        mp && table ? mpTable(t.multipathTable()) : null, mp && !table ? mpStatus(t.multipathStatus()) : null);
  }

  private static MpTableView mpTable(MultipathTable m) {
    return new MpTableView(m.features(), m.hardwareHandler().orElse(null), m.initialGroup(),
        m.groups().stream().map(g -> new MpTableGroup(g.selector(), g.selectorArgs(),
            g.paths().stream().map(p -> new MpTablePath(p.device().toString(), p.args())).toList())).toList());
  }

  private static MpStatusView mpStatus(MultipathStatus s) {
    return new MpStatusView(s.queueingIo().orElse(null), s.nextGroup(),
        s.groups().stream().map(g -> new MpStatusGroup(g.state().name().toLowerCase(java.util.Locale.ROOT),
            g.paths().stream().map(p -> new MpStatusPath(p.device().toString(), p.active(), p.failCount())).toList()))
            .toList());
  }

  // ---- /proc/net/bonding/bondN

  /**
   * {@code /proc/net/bonding/bondN}. {@code mode} is the kernel's short name
   * ({@code active-backup}); {@code arpIntervalMs} is 0 when the ARP monitor is off.
   */
  public record ProcBondingView(String mode, String activeSlave, String primarySlave, boolean miiUp, int miimonMs,
      int updelayMs, int downdelayMs, int arpIntervalMs, List<String> arpIpTargets, List<BondSlaveView> slaves) {}

  /** A slave section: MII status as printed ({@code up}, {@code down}), permanent address as printed. */
  public record BondSlaveView(String name, String miiStatus, Integer speedMbps, String duplex, int linkFailureCount,
      String permanentAddress) {}

  static ProcBondingView procBonding(ProcBonding b) {
    return new ProcBondingView(b.mode().option(), b.activeSlave().map(InterfaceName::value).orElse(null),
        b.primarySlave().map(InterfaceName::value).orElse(null), b.miiUp(), b.miimon(), b.updelayMs(),
        b.downdelayMs(), b.arpIntervalMs().orElse(0), b.arpIpTargets().stream().map(Ipv4Address::toString).toList(),
        b.slaves().stream().map(s -> new BondSlaveView(s.name().value(), s.miiStatus().text(), integer(s.speedMbps()),
            s.duplex().orElse(null), s.linkFailureCount(), s.permanentHwAddr().orElse(null))).toList());
  }

  // ---- brctl show

  /** {@code brctl show}. */
  public record BrctlShow(List<BrctlBridge> bridges) {}

  /** A bridge as {@code brctl show} lists it: {@code id} as printed ({@code 8000.…}). */
  public record BrctlBridge(String name, String id, boolean stp, List<String> interfaces) {}

  static BrctlShow brctlShow(List<BridgeStatus> bridges) {
    return new BrctlShow(bridges.stream().map(b -> new BrctlBridge(b.name().value(), b.bridgeId(), b.stp(),
        b.ports().stream().map(InterfaceName::value).toList())).toList());
  }

  // ---- ip -j -d link show

  /** {@code ip -j [-d] link show}. */
  public record IpLinks(List<LinkView> links) {}

  /**
   * A device. {@code kind} is null for a plain NIC; the detail objects are null unless
   * {@code ip -d} printed them for this kind of device.
   */
  public record LinkView(String name, int index, String kind, String master, String lower, List<String> flags,
      String operState, int mtu, String mac, String slaveKind, BondInfoView bond, BondSlaveInfoView bondSlave,
      VlanInfoView vlan, BridgeInfoView bridge, BridgePortInfoView bridgePort) {}

  /** A bond's details; {@code mode} as {@code ip} prints it ({@code active-backup}). */
  public record BondInfoView(String mode, String activeSlave, int miimonMs, int updelayMs, int downdelayMs,
      int arpIntervalMs, List<String> arpIpTargets, String arpValidate, String primary, String failOverMac) {}

  /** A bond slave's state as {@code ip} prints it. */
  public record BondSlaveInfoView(String state, String miiStatus, long linkFailureCount, String permanentAddress) {}

  /** An 802.1Q device's protocol and id. */
  public record VlanInfoView(String protocol, int id) {}

  /** A bridge's details; times in centiseconds as {@code ip} prints them. */
  public record BridgeInfoView(boolean stp, int ageingTimeCs, int forwardDelayCs, String bridgeId,
      boolean vlanFiltering) {}

  /** A bridge port's STP state and flags. */
  public record BridgePortInfoView(String state, boolean learning, boolean flood) {}

  static IpLinks ipLinks(List<Link> links) {
    return new IpLinks(links.stream().map(ParsedViews::link).toList());
  }

  private static LinkView link(Link l) {
    return new LinkView(l.name().value(), l.index(), l.kind().orElse(null), name(l.master()), name(l.lower()),
        List.copyOf(l.flags()), l.operState(), l.mtu(), l.address().map(Object::toString).orElse(null),
        l.slaveKind().orElse(null),
        l.bond().map(b -> new BondInfoView(b.mode(), name(b.activeSlave()), b.miimon(), b.updelay(), b.downdelay(),
            b.arpInterval(), b.arpIpTargets().stream().map(Ipv4Address::toString).toList(), b.arpValidate(),
            name(b.primary()), b.failOverMac())).orElse(null),
        l.bondSlave().map(s -> new BondSlaveInfoView(s.state(), s.miiStatus(), s.linkFailureCount(),
            s.permanentAddress().map(Object::toString).orElse(null))).orElse(null),
        l.vlan().map(v -> new VlanInfoView(v.protocol(), v.id())).orElse(null),
        l.bridge().map(b -> new BridgeInfoView(b.stp(), b.ageingTimeCs(), b.forwardDelayCs(), b.bridgeId(),
            b.vlanFiltering())).orElse(null),
        l.bridgePort().map(p -> new BridgePortInfoView(p.state(), p.learning(), p.flood())).orElse(null));
  }

  // ---- ebtables -L

  /** {@code ebtables -L [--Lc]} of one or more tables. */
  public record EbtablesView(List<TableView> tables) {}

  /** A table and its chains. */
  public record TableView(String family, String name, List<ChainView> chains) {}

  /** A chain: {@code policy} is its default verdict ({@code ACCEPT}, {@code DROP}, {@code RETURN}). */
  public record ChainView(String name, String policy, List<RuleView> rules) {}

  /** A rule as printed, its verdict, and its counters when {@code --Lc} printed them (else null). */
  public record RuleView(String rule, String action, Long packets, Long bytes) {}

  static EbtablesView ebtables(Ruleset r) {
    return new EbtablesView(r.tables().stream().map(ParsedViews::table).toList());
  }

  private static TableView table(Table t) {
    return new TableView(t.family(), t.name(), t.chains().stream().map(ParsedViews::chain).toList());
  }

  private static ChainView chain(Chain c) {
    return new ChainView(c.name(), c.policy().toString(), c.rules().stream().map(ParsedViews::rule).toList());
  }

  private static RuleView rule(Rule r) {
    return new RuleView(r.source(), r.action().toString(), r.counters().map(Rule.Counters::packets).orElse(null),
        r.counters().map(Rule.Counters::bytes).orElse(null));
  }

  // ---- ifcfg

  /**
   * An {@code ifcfg-*} file: every variable with the value bash would give it, and what was
   * accepted although bash would read it differently.
   */
  public record IfcfgView(Map<String, String> values, List<String> warnings) {}

  static IfcfgView ifcfg(IfcfgFile f) {
    return new IfcfgView(f.values(), f.warnings());
  }

  // ---- xl list / xm list

  /** {@code xl list} or {@code xm list}. */
  public record XlList(List<DomainRow> domains) {}

  /**
   * A domain row: {@code id} null for an inactive domain xend manages; {@code state} the
   * six-letter column as printed ({@code -b----}).
   */
  public record DomainRow(String name, Integer id, long memoryMiB, int vcpus, String state, double cpuSeconds) {}

  static XlList xlList(List<DomainInfo> domains) {
    return new XlList(domains.stream().map(d -> new DomainRow(d.rawName(), integer(d.id()), d.memoryMib(), d.vcpus(),
        DomainState.render(d.state()), d.cpuSeconds())).toList());
  }

  // ---- xl list -l / xm list --long

  /** {@code xl list -l} (JSON or S-expressions) or {@code xm list --long}. */
  public record XlListLong(List<DomainLong> domains) {}

  /** One domain's running configuration; memory in MiB and KiB as named. */
  public record DomainLong(String source, String name, Integer id, String uuid, String guestType, Long memoryMiB,
      Long maxMemoryKiB, Integer vcpus, String kernel, String ramdisk, String cmdline, String bootloader,
      String onPoweroff, String onReboot, String onCrash, List<VifView> vifs, List<DiskView> disks) {}

  static XlListLong xlListLong(List<DomainDetails> domains) {
    return new XlListLong(domains.stream().map(d -> new DomainLong(
        d.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), d.rawName(), integer(d.domid()),
        d.uuid().orElse(null), d.guestType().orElse(null), longValue(d.memoryMib()), longValue(d.maxMemoryKib()),
        integer(d.vcpus()), d.kernel().orElse(null), d.ramdisk().orElse(null), d.cmdline().orElse(null),
        d.bootloader().orElse(null), d.onPoweroff().orElse(null), d.onReboot().orElse(null), d.onCrash().orElse(null),
        d.nics().stream().map(ParsedViews::vif).toList(), d.disks().stream().map(ParsedViews::disk).toList())).toList());
  }

  // ---- domain config

  /**
   * A domain config file (xl or xm syntax, {@code dialect} says which): the typed settings, and
   * every setting's effective value in {@code settings} (strings, numbers, booleans, lists).
   */
  public record DomainCfg(String dialect, String name, Long memoryMiB, Integer vcpus, List<VifView> vifs,
      List<DiskView> disks, Map<String, Object> settings) {}

  /** A {@code vif} spec; {@code extras} holds keys this SDK does not model. */
  public record VifView(String mac, String bridge, List<String> ips, String vifname, String script, String type,
      String model, Map<String, String> extras) {}

  /**
   * A {@code disk} spec: {@code target} without its prefix (the device path), {@code mode} the
   * access as xm writes it ({@code r}, {@code w}, {@code w!}; null when absent, which means
   * read-write), {@code multipathAlias} when the target is {@code /dev/mapper/<alias>}.
   */
  public record DiskView(String target, String vdev, String mode, String prefix, String format, String deviceType,
      boolean cdrom, String multipathAlias, String spec) {}

  static DomainCfg domainCfg(DomainConfig c) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (String key : c.keys()) {
      settings.put(key, c.get(key).map(ParsedViews::configValue).orElse(null));
    }
    return new DomainCfg(c.dialect().name().toLowerCase(java.util.Locale.ROOT),
        c.keys().contains("name") ? c.name().value() : null, longValue(c.memoryMib()), integer(c.vcpus()),
        c.vifs().stream().map(ParsedViews::vif).toList(), c.disks().stream().map(ParsedViews::disk).toList(), settings);
  }

  private static Object configValue(ConfigValue v) {
    if (v instanceof ConfigValue.Str s) {
      return s.value();
    }
    if (v instanceof ConfigValue.Num n) {
      OptionalLong l = n.longValue();
      return l.isPresent() ? (Object) l.getAsLong() : n.literal();
    }
    if (v instanceof ConfigValue.Bool b) {
      return b.value();
    }
    List<Object> items = new ArrayList<>();
    for (ConfigValue item : ((ConfigValue.ListOf) v).items()) {
      items.add(configValue(item));
    }
    return items;
  }

  private static VifView vif(VifSpec v) {
    return new VifView(v.mac().map(Object::toString).orElse(null), name(v.bridge()),
        v.ips().stream().map(Ipv4Address::toString).toList(), name(v.vifname()), v.script().orElse(null),
        v.type().orElse(null), v.model().orElse(null), v.extras());
  }

  private static DiskView disk(DiskSpec d) {
    return new DiskView(d.target().orElse(null), d.vdev(), d.access().map(DiskSpec.Access::positional).orElse(null),
        d.prefix().orElse(null), d.format().orElse(null),
        d.deviceType().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).orElse(null), d.isCdrom(),
        d.multipathAlias().map(MultipathAlias::value).orElse(null), d.toString());
  }

  // ---- xend-config.sxp

  /**
   * {@code xend-config.sxp}: the relocation settings typed (with xend's defaults where the file is
   * silent), and every top-level setting as written ({@code (key value)} → {@code "key":"value"}; a
   * setting with several or nested values as its S-expression text).
   */
  public record XendConfigView(boolean relocationServer, int relocationPort, String relocationAddress,
      List<String> relocationHostsAllow, Map<String, String> settings) {}

  static XendConfigView xendConfig(XendConfig x) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Sxp e : x.document().expressions()) {
      if (e instanceof SxpList l && l.head().isPresent()) {
        List<Sxp> tail = l.tail();
        settings.put(l.head().get(), tail.size() == 1 && tail.get(0) instanceof SxpAtom a ? a.value()
            : new SxpList(tail).toString());
      }
    }
    return new XendConfigView(x.relocationServer(), x.relocationPort(), x.relocationAddress(),
        x.relocationHostsAllow().patterns(), settings);
  }

  // ---- helpers

  private static Integer integer(OptionalInt i) {
    return i.isPresent() ? i.getAsInt() : null;
  }

  private static Long longValue(OptionalLong l) {
    return l.isPresent() ? l.getAsLong() : null;
  }

  private static String name(Optional<InterfaceName> n) {
    return n.map(InterfaceName::value).orElse(null);
  }
}
