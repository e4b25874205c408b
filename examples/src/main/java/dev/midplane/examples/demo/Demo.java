package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.multipath.MultipathDevice;
import dev.midplane.multipath.ScanCommand;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.network.Bond;
import dev.midplane.network.Network;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.BridgeFilter;
import dev.midplane.network.antispoof.Frame;
import dev.midplane.network.antispoof.VifPolicy;
import dev.midplane.network.antispoof.VifStatus;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.Bonding;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedScsi;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.Xen;
import dev.midplane.xen.chassis.ChassisMigration;
import dev.midplane.xen.chassis.MigrationOutcome;
import dev.midplane.xen.chassis.MigrationPreflight;
import dev.midplane.xen.chassis.StartReport;
import dev.midplane.xen.chassis.Whereabouts;
import dev.midplane.xen.chassis.XenChassis;
import dev.midplane.xen.config.ConfigValue;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The paper's scenario, end to end, on a {@link DemoChassis}: two blades are bonded and bridged,
 * share a LUN inventory and its {@code multipath.conf}, scan their LUNs into maps named after the
 * VMs, start two VMs with locked interfaces, grow a LUN, lose a NIC, and remove a LUN safely.
 * Each step goes through the SDK's public API where the SDK has it; where a module's live half is
 * still missing (the network module's blade layout and simulated ebtables) the chassis stands in,
 * and the step says so. Every step writes what it did, and the
 * facts a program can check, to a {@link DemoLog}.
 */
public final class Demo {
  static final long GIB = 1L << 30;

  /** A VM of the demo: its name, VLAN bridge, MAC, address and disk size. */
  record Vm(DomainName name, InterfaceName bridge, MacAddress mac, Ipv4Address ip, long diskBytes, int memoryMib) {
    MultipathAlias alias() {
      return MultipathAlias.of(name.value());
    }

    /** The vif's stable dom0 name, so its rules can be in place wherever it runs before it runs there. */
    InterfaceName vif() {
      return VifNames.of(name, 0);
    }

    /** A PVH guest with one vif on its VLAN's bridge and its disk on its multipath map. */
    DomainConfig config() {
      return DomainConfig.empty(Dialect.XL).withName(name).withMemoryMib(memoryMib).withVcpus(1)
          .with("type", new ConfigValue.Str("pvh"))
          .with("kernel", new ConfigValue.Str("/boot/vmlinuz-guest"))
          .withVifs(List.of(VifSpec.builder().mac(mac).bridge(bridge).ip(ip).vifname(vif()).build()))
          .withDisks(List.of(DiskSpec.multipath(alias(), "xvda", DiskSpec.Access.READ_WRITE)));
    }
  }

  static final Vm WEB = new Vm(DomainName.of("web01"), InterfaceName.of("xenbr0"), MacAddress.of("00:16:3e:00:01:01"),
      Ipv4Address.of("192.0.2.11"), 20 * GIB, 512);
  static final Vm DB = new Vm(DomainName.of("db01"), InterfaceName.of("xenbr1"), MacAddress.of("00:16:3e:00:02:01"),
      Ipv4Address.of("192.0.2.21"), 40 * GIB, 10240);
  static final MultipathAlias SCRATCH = MultipathAlias.of("scratch01");

  private final DemoChassis chassis;
  private final DemoLog log;
  private final Map<MultipathAlias, Wwid> wwids = new LinkedHashMap<>();
  private final XenChassis xen;
  private LunInventory inventory;

  private Demo(DemoChassis chassis, DemoLog log) {
    this.chassis = chassis;
    this.log = log;
    this.xen = chassis.xen();
  }

  /** Runs the whole scenario on a new chassis, writing to {@code log}; the chassis is deleted afterwards. */
  public static void run(DemoLog log) {
    try (DemoChassis c = DemoChassis.bare()) {
      new Demo(c, log).all();
    } finally {
      log.finish();
    }
  }

  /**
   * A chassis as the demo leaves it after its sixth step: bonds and bridges laid out; LUNs web01
   * (20 GiB, both blades), db01 (40 GiB, blade1 only) and scratch01 in the shared inventory, with
   * their maps; VMs web01 (xenbr0, 512 MiB) and db01 (xenbr1, 10 GiB) with profiles, placed on and
   * running on blade1, their vifs locked. For commands and examples that act on a populated chassis; the caller closes it.
   */
  public static DemoChassis prepared() {
    DemoChassis c = DemoChassis.bare();
    try {
      Demo d = new Demo(c, new DemoLog(new java.io.PrintWriter(java.io.Writer.nullWriter()), true));
      d.chassisStep();
      d.layout();
      d.inventoryAndConfig();
      d.scanAndMaps();
      d.startVms();
      d.lockVifs();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void all() {
    chassisStep();
    layout();
    inventoryAndConfig();
    scanAndMaps();
    startVms();
    lockVifs();
    growLun();
    failover();
    migrate();
    refusedPreflight();
    rebootAndPlacement();
    removeLun();
  }

  private static Topology topology(SimulatedKernel k) {
    return Sysfs.on(k.host()).topology();
  }

  // ---------------------------------------------------------------- 1
  private void chassisStep() {
    DemoLog.Step s = log.step("Two blades, one storage array");
    List<Object> blades = new ArrayList<>();
    for (SimulatedKernel k : chassis.blades()) {
      Topology t = topology(k);
      List<String> nics = t.netDevices().stream().filter(d -> d.kind() == dev.midplane.sysfs.NetDeviceKind.ETHERNET)
          .map(d -> d.name().value()).toList();
      List<String> hbas = t.scsiHosts().stream().filter(h -> h.fc().isPresent())
          .map(h -> h.name() + " " + h.fc().get().portName().sysfs()).toList();
      s.say("%s: NICs %s (midplane A, B, A, B); FC HBA ports %s", k.name(), String.join(" ", nics), hbas);
      blades.add(Map.of("name", k.name().value(), "nics", nics, "fcHosts", hbas.size()));
    }
    s.say("array %s %s with %d target ports on fabrics A and B", chassis.san().vendor(), chassis.san().product(),
        chassis.san().targetPorts().size());
    s.fact("blades", blades).fact("targetPorts", chassis.san().targetPorts().size());
  }

  // ---------------------------------------------------------------- 2
  private void layout() {
    DemoLog.Step s = log.step("bond0/bond1 active-backup on the midplane NIC pairs, xenbr0/xenbr1 on them");
    List<PlanReport> reports = chassis.layOutNetwork();
    Map<String, Object> facts = new LinkedHashMap<>();
    for (int i = 0; i < reports.size(); i++) {
      SimulatedKernel k = chassis.blades().get(i);
      PlanReport r = reports.get(i);
      s.say("%s: Network.on(%s).change(...).layout(BladeLayout.standard()): %s, %d steps applied", k.name(), k.name(),
          r.title(), r.steps().stream().filter(st -> st.status() == dev.midplane.core.plan.StepOutcome.Status.APPLIED).count());
      Topology t = topology(k);
      List<Object> bonds = new ArrayList<>();
      t.bonds().forEach(b -> {
        s.say("%s: %s %s slaves %s, active %s, miimon %d ms", k.name(), b.name(), b.mode().option(),
            b.slaves().stream().map(x -> x.name().value()).toList(), b.activeSlave().map(Object::toString).orElse("none"),
            b.miimon());
        bonds.add(Map.of("name", b.name().value(), "mode", b.mode().option(),
            "slaves", b.slaves().stream().map(x -> x.name().value()).toList(),
            "activeSlave", b.activeSlave().map(Object::toString).orElse("")));
      });
      Map<String, Object> bridges = new LinkedHashMap<>();
      t.bridges().forEach(b -> {
        List<String> ports = b.ports().stream().map(p -> p.name().value()).toList();
        s.say("%s: bridge %s on %s", k.name(), b.name(), ports);
        bridges.put(b.name().value(), ports);
      });
      facts.put(k.name().value(), Map.of("bonds", bonds, "bridges", bridges));
    }
    s.fact("layout", facts);
  }

  // ---------------------------------------------------------------- 3
  private void inventoryAndConfig() {
    DemoLog.Step s = log.step("The shared LUN inventory and the multipath.conf it generates");
    var san = chassis.san();
    Wwid web = san.createLun(WEB.diskBytes());
    Wwid db = san.createLun(DB.diskBytes());
    Wwid scratch = san.createLun(5 * GIB);
    wwids.put(WEB.alias(), web);
    wwids.put(DB.alias(), db);
    wwids.put(SCRATCH, scratch);
    List<dev.midplane.sysfs.Wwn> both = new ArrayList<>();
    chassis.blades().forEach(k -> both.addAll(k.scsi().initiatorPorts()));
    san.present(web, both);
    san.present(scratch, both);
    san.present(db, chassis.blade1().scsi().initiatorPorts());
    s.say("array: LUN %s (%s) and %s (%s) zoned to both blades; %s (%s) to blade1 only", web,
        size(WEB.diskBytes()), scratch, size(5 * GIB), db, size(DB.diskBytes()));

    inventory = LunInventory.empty()
        .add(Lun.diskOf(WEB.name(), web))
        .add(Lun.diskOf(DB.name(), db))
        .add(Lun.of(SCRATCH, scratch).withNote("scratch space, no VM"));
    inventory.write(chassis.shared().resolve("luns"));
    s.say("inventory %s (one file for every blade):", "shared/luns");
    inventory.render().lines().forEach(l -> s.say("  | %s", l));
    for (SimulatedKernel k : chassis.blades()) {
      Plan configure = chassis.multipath(k.name().value()).configure();
      s.say("%s: %s", k.name(), configure.dryRun().lines().findFirst().orElse(""));
      configure.dryRun().lines().skip(1).forEach(l -> s.say("  %s", l));
      configure.apply();
    }
    String text = read(chassis.blade1().host().path("/etc/multipath.conf"));
    MultipathConfig conf = MultipathConfig.parse(text);
    s.say("/etc/multipath.conf, the same on both blades:");
    text.lines().forEach(l -> s.say("  | %s", l));
    s.fact("inventory", inventory.luns().stream().map(l -> Map.of("alias", l.alias().value(),
        "wwid", l.wwid().value(), "vm", l.vm().map(DomainName::value).orElse(""))).toList());
    s.fact("blacklist", conf.blacklist().wwids());
    s.fact("blacklistExceptions", conf.blacklistExceptions().wwids());
    s.fact("configsIdentical", chassis.blades().stream().map(k -> read(k.host().path("/etc/multipath.conf"))).distinct().count() == 1);
  }

  // ---------------------------------------------------------------- 4
  private void scanAndMaps() {
    DemoLog.Step s = log.step("LUN scan, and maps named after the VMs");
    Map<String, Object> facts = new LinkedHashMap<>();
    for (SimulatedKernel k : chassis.blades()) {
      ScanCommand.Report r = chassis.multipath(k.name().value()).scan().call();
      s.say("%s: scanned %s: %d new paths; maps made %s", k.name(),
          k.scsi().hbas().stream().map(h -> "host" + h.hostNumber()).toList(), r.newPaths().size(), r.mapsMade());
      Topology t = topology(k);
      for (Lun lun : inventory.luns()) {
        if (t.pathsTo(lun.wwid()).isEmpty()) {
          s.say("%s: %s: no path (the array does not present it here), no map", k.name(), lun.alias());
        }
      }
      Map<String, Object> maps = new LinkedHashMap<>();
      for (var m : t.multipathMaps()) {
        s.say("%s: /dev/mapper/%s (%s) %s over %s", k.name(), m.name(), m.device(), size(m.sizeBytes()),
            m.paths().stream().map(BlockDeviceName::value).toList());
        maps.put(m.name(), Map.of("sizeBytes", m.sizeBytes(), "paths", m.paths().size(), "wwid", m.wwid().value()));
      }
      facts.put(k.name().value(), maps);
    }
    s.say("(Multipath.on(blade).scan(): every FC host scanned through sysfs, maps made by the simulated multipathd)");
    s.fact("maps", facts);
  }

  // ---------------------------------------------------------------- 5
  private void startVms() {
    DemoLog.Step s = log.step("Two VMs on their VLAN bridges, disks on /dev/mapper/<alias>");
    HostName blade1 = HostName.of("blade1");
    for (Vm vm : List.of(WEB, DB)) {
      DomainConfig cfg = vm.config();
      xen.profiles().save(cfg);
      xen.placement().place(vm.name(), blade1);
      s.say("profile shared/profiles of %s, placed on blade1:", vm.name());
      cfg.render().lines().forEach(l -> s.say("  | %s", l));
    }
    StartReport started = xen.placement().startAllFor(blade1);
    started.vms().forEach(v -> s.say("blade1: %s", v));
    Topology t = topology(chassis.blade1());
    List<Object> facts = new ArrayList<>();
    for (Vm vm : List.of(WEB, DB)) {
      boolean inBridge = t.bridge(vm.bridge()).orElseThrow().ports().stream().anyMatch(p -> p.name().equals(vm.vif()));
      int domid = xen.xen(blade1).domain(vm.name()).status().id().orElseThrow();
      s.say("%s: domain %d, %s %s %s, /dev/mapper/%s held open", vm.name(), domid, vm.vif(),
          inBridge ? "a port of" : "NOT in", vm.bridge(), vm.alias());
      facts.add(Map.of("name", vm.name().value(), "host", "blade1", "domid", domid, "vif", vm.vif().value(),
          "bridge", vm.bridge().value(), "vifInBridge", inBridge, "disk", "/dev/mapper/" + vm.alias(),
          "memoryMiB", vm.memoryMib()));
    }
    s.say("(each started paused, its vif locked, then unpaused: it never sends a frame unlocked)");
    s.fact("started", started.started().stream().map(DomainName::value).toList()).fact("vms", facts);
  }

  // ---------------------------------------------------------------- 6
  private void lockVifs() {
    DemoLog.Step s = log.step("Anti-spoofing locked on the VMs' vifs (ebtables)");
    Host blade1 = chassis.host("blade1");
    AntiSpoofing as = AntiSpoofing.on(blade1);
    List<String> locked = new ArrayList<>();
    for (VifStatus st : as.statusAll()) {
      s.say("%s", st);
      if (st.isLocked()) {
        locked.add(st.vif().value());
      }
    }
    BridgeFilter filter = BridgeFilter.of(as.ruleset());
    InterfaceName webVif = WEB.vif();
    InterfaceName dbVif = DB.vif();
    Map<String, Boolean> probes = new LinkedHashMap<>();
    probes.put("honest IPv4 from web01", accepted(filter, ipv4(webVif, dbVif, WEB.mac(), DB.mac(), WEB.ip(), DB.ip())));
    probes.put("web01 with db01's MAC", accepted(filter, ipv4(webVif, dbVif, DB.mac(), DB.mac(), WEB.ip(), DB.ip())));
    probes.put("web01 with db01's IP", accepted(filter, ipv4(webVif, dbVif, WEB.mac(), DB.mac(), DB.ip(), DB.ip())));
    probes.put("web01 forging ARP for db01's IP", accepted(filter, Frame.arp(Optional.of(webVif), Optional.of(dbVif),
        WEB.mac(), MacAddress.BROADCAST, Frame.ARP, Frame.Arp.of(2, WEB.mac(), DB.ip(), MacAddress.BROADCAST, WEB.ip()))));
    probes.put("db01's unicast flooded to web01", accepted(filter,
        ipv4(dbVif, webVif, DB.mac(), MacAddress.of("00:16:3e:00:09:09"), DB.ip(), Ipv4Address.of("192.0.2.99"))));
    probes.forEach((what, ok) -> s.say("frame: %-34s -> %s", what, ok ? "passes" : "DROPPED"));
    s.say("(the rules read back with ebtables-save and the frames run through the network module's bridge filter model)");
    s.fact("backend", as.backend().name().toLowerCase(java.util.Locale.ROOT)).fact("locked", locked).fact("probes", probes);
  }

  private static Frame ipv4(InterfaceName in, InterfaceName out, MacAddress src, MacAddress dst, Ipv4Address from,
      Ipv4Address to) {
    return Frame.ipv4(Optional.of(in), Optional.of(out), src, dst, new Frame.Ipv4(from, to, Frame.ICMP, 0, 0, false));
  }

  private static boolean accepted(BridgeFilter filter, Frame f) {
    return filter.decide(f).accepted();
  }

  // ---------------------------------------------------------------- 7
  private void growLun() {
    DemoLog.Step s = log.step("A LUN grown on the array, its paths rescanned, its map resized");
    SimulatedKernel k = chassis.blade1();
    Wwid wwid = wwids.get(WEB.alias());
    long before = topology(k).multipathMap(WEB.alias().value()).orElseThrow().sizeBytes();
    long newSize = 30 * GIB;
    chassis.san().grow(wwid, newSize);
    s.say("array: LUN of %s grown from %s to %s", WEB.alias(), size(before), size(newSize));
    s.say("blade1: paths report %s until rescanned; map %s", size(topology(k).pathsTo(wwid).get(0).sizeBytes()), size(before));
    MultipathDevice web1 = chassis.multipath("blade1").device(WEB.alias());
    web1.resize().toSize(newSize).plan().dryRun().lines().forEach(l -> s.say("%s", l));
    long after = web1.resize().toSize(newSize).call().sizeBytes();
    List<ScsiPath> rescanned = topology(k).pathsTo(wwid);
    s.say("blade1: each of %s reports %s; /dev/mapper/%s is now %s (resized while open by %s)",
        rescanned.stream().map(p -> p.device().value()).toList(), size(rescanned.get(0).sizeBytes()), WEB.alias(),
        size(after), WEB.name());
    MultipathDevice web2 = chassis.multipath("blade2").device(WEB.alias());
    List<String> refused = new ArrayList<>();
    try {
      web2.resize().toSize(40 * GIB).call();
    } catch (PlanFailedException e) {
      s.say("blade2: asked to grow /dev/mapper/%s to 40 GiB (a wrong figure): refused and rolled back:", WEB.alias());
      refused.addAll(e.getCause() instanceof UnsafeOperationException u ? u.reasons() : List.of(e.getMessage()));
      refused.forEach(r -> s.say("  - %s", r));
    }
    long afterOther = web2.resize().toSize(newSize).call().sizeBytes();
    s.say("blade2 (which has the map too): /dev/mapper/%s now %s", WEB.alias(), size(afterOther));
    s.fact("beforeBytes", before).fact("pathBytes", rescanned.stream().map(ScsiPath::sizeBytes).distinct().toList())
        .fact("afterBytes", after).fact("afterBytesBlade2", afterOther).fact("refusedWrongSize", refused);
  }

  // ---------------------------------------------------------------- 8
  private void failover() {
    DemoLog.Step s = log.step("bond0 fails over when its active NIC loses its link");
    SimulatedKernel k = chassis.blade1();
    Sysfs sysfs = Sysfs.on(k.host());
    InterfaceName bond0 = InterfaceName.of("bond0");
    ProcBonding before = sysfs.procBonding(bond0);
    String was = before.activeSlave().map(Object::toString).orElse("none");
    s.say("blade1: bond0 active slave %s", was);
    InterfaceName lost = before.activeSlave().orElseThrow();
    k.net().setCarrier(lost, false);
    s.say("blade1: %s loses carrier (midplane A switch port down)", lost);
    k.advance(Duration.ofMillis(300));
    ProcBonding after = sysfs.procBonding(bond0);
    String now = after.activeSlave().map(Object::toString).orElse("none");
    ProcBonding.Slave lostSlave = after.slave(lost).orElseThrow();
    s.say("after %d ms of MII monitoring: active slave %s; %s MII %s, link failures %d", 300, now, lost,
        lostSlave.miiStatus().text(), lostSlave.linkFailureCount());
    Bond bond = Network.on(k.host()).bond(bond0);
    String seen = bond.activeSlave().map(Object::toString).orElse("none");
    List<String> withLink = bond.status().slavesWithLink().stream().map(InterfaceName::value).toList();
    s.say("Network.on(blade1).bond(bond0) reads (ip -j -d link): active %s, slaves with link %s", seen, withLink);
    s.say("the VMs on xenbr0 keep their network: their frames now leave through %s", now);
    s.fact("networkActive", seen).fact("slavesWithLink", withLink).fact("activeBefore", was).fact("activeAfter", now).fact("lostSlave", lost.value())
        .fact("lostSlaveMii", lostSlave.miiStatus().text()).fact("linkFailureCount", lostSlave.linkFailureCount());
  }

  // ---------------------------------------------------------------- 9
  private void migrate() {
    DemoLog.Step s = log.step("web01 migrates live to blade2, after its preflight");
    HostName blade1 = HostName.of("blade1");
    HostName blade2 = HostName.of("blade2");
    List<String> progress = new ArrayList<>();
    ChassisMigration m = xen.migrate(WEB.name(), blade2).progress(e -> progress.add(e.line()));
    m.dryRun().lines().forEach(l -> s.say("%s", l));
    MigrationOutcome o = m.call();
    s.say("xl printed %d lines, the last \"%s\"", progress.size(), progress.isEmpty() ? "" : progress.get(progress.size() - 1));
    o.report().steps().forEach(st -> s.say("%s", st));
    Whereabouts where = xen.whereIs(WEB.name());
    boolean lockedThere = AntiSpoofing.on(chassis.host("blade2")).status(WEB.vif()).isLocked();
    boolean goneHere = AntiSpoofing.on(chassis.host("blade1")).status(WEB.vif()).state() == VifStatus.State.NOT_LOCKED;
    s.say("web01 runs on %s; %s locked on blade2: %s; its rules left on blade1: %s; placement: %s", where.runningOn(),
        WEB.vif(), lockedThere, goneHere ? "none" : "SOME", xen.placement().hostOf(WEB.name()).map(Object::toString).orElse("none"));
    s.fact("preflightClear", o.preflight().isClear())
        .fact("planSteps", o.report().steps().stream().map(st -> st.description()).toList())
        .fact("runningOn", where.runningOn().stream().map(HostName::value).toList())
        .fact("lockedOnTarget", lockedThere).fact("rulesLeftOnSource", !goneHere)
        .fact("placement", xen.placement().hostOf(WEB.name()).map(HostName::value).orElse(""))
        .fact("source", o.source().value()).fact("target", blade2.value()).fact("from", blade1.value());
  }

  // ---------------------------------------------------------------- 10
  private void refusedPreflight() {
    DemoLog.Step s = log.step("db01's preflight to blade2 is refused, with every reason");
    HostName blade2 = HostName.of("blade2");
    MigrationPreflight pre = xen.preflight(DB.name(), blade2);
    s.say("%s", pre);
    List<String> refusal = new ArrayList<>();
    try {
      xen.migrate(DB.name(), blade2).call();
    } catch (UnsafeOperationException e) {
      s.say("migrate refused: %s", e.getMessage().lines().findFirst().orElse(""));
      refusal.addAll(e.reasons());
    }
    Whereabouts where = xen.whereIs(DB.name());
    s.say("db01 still runs on %s", where.runningOn());
    s.fact("clear", pre.isClear())
        .fact("blockerKinds", pre.blockers().stream().map(b -> b.kind().name()).toList())
        .fact("blockers", pre.blockers().stream().map(b -> b.detail()).toList())
        .fact("refusalReasons", refusal)
        .fact("runningOn", where.runningOn().stream().map(HostName::value).toList());
  }

  // ---------------------------------------------------------------- 11
  private void rebootAndPlacement() {
    DemoLog.Step s = log.step("blade1 reboots; each blade starts exactly the VMs placed on it");
    chassis.reboot("blade1");
    s.say("blade1 power-cycled: its domains are gone (db01 down), its bridge filter empty");
    s.say("placement: %s", xen.placement().map().entries());
    Map<String, Object> facts = new LinkedHashMap<>();
    for (HostName h : List.of(HostName.of("blade1"), HostName.of("blade2"))) {
      StartReport r = xen.placement().startAllFor(h);
      r.vms().forEach(v -> s.say("%s: %s", h, v));
      facts.put(h.value(), r.vms().stream().collect(java.util.stream.Collectors.toMap(v -> v.vm().value(),
          v -> v.outcome().name(), (a, b) -> a, LinkedHashMap::new)));
    }
    Map<String, List<String>> running = new LinkedHashMap<>();
    for (Host h : chassis.hosts()) {
      running.put(h.name().value(), Xen.on(h).domains().stream().map(d -> d.name().value()).toList());
    }
    boolean dbLocked = AntiSpoofing.on(chassis.host("blade1")).status(DB.vif()).isLocked();
    s.say("running now: %s; %s locked again on blade1: %s", running, DB.vif(), dbLocked);
    s.fact("startAll", facts).fact("running", running).fact("db01Locked", dbLocked);
  }

  // ---------------------------------------------------------------- 12
  private void removeLun() {
    DemoLog.Step s = log.step("A LUN removed safely");
    SimulatedKernel k = chassis.blade1();
    Sysfs sysfs = Sysfs.on(k.host());
    List<String> refusals = new ArrayList<>();
    String webHost = xen.placement().hostOf(WEB.name()).orElseThrow().value();
    try {
      chassis.multipath(webHost).device(WEB.alias()).remove().call();
    } catch (UnsafeOperationException e) {
      s.say("refused: %s: %s", e.operation(), String.join("; ", e.reasons()));
      refusals.add(e.getMessage());
    }
    Wwid wwid = wwids.get(SCRATCH);
    List<ScsiPath> first = topology(k).pathsTo(wwid);
    try {
      sysfs.delete(first.get(0).device());
    } catch (UnsafeOperationException e) {
      s.say("refused: %s: %s", e.operation(), String.join("; ", e.reasons()));
      refusals.add(e.getMessage());
    }
    for (SimulatedKernel b : chassis.blades()) {
      boolean retire = b == k;
      PlanReport r = chassis.multipath(b.name().value()).device(SCRATCH).remove().forget(retire).call();
      s.say("%s: %s", b.name(), r.title());
      r.steps().forEach(st -> s.say("  %s", st));
    }
    Plan catchUp = chassis.multipath("blade2").configure();
    s.say("blade2: %s", catchUp.dryRun().lines().findFirst().orElse(""));
    catchUp.apply();
    List<dev.midplane.sysfs.Wwn> initiators = new ArrayList<>();
    chassis.blades().forEach(b -> initiators.addAll(b.scsi().initiatorPorts()));
    chassis.san().unmap(wwid, initiators);
    s.say("array: LUN %s unmapped from both blades", wwid);
    inventory = chassis.inventory();
    boolean mapGone = chassis.blades().stream().allMatch(b -> topology(b).multipathMap(SCRATCH.value()).isEmpty());
    boolean pathsGone = chassis.blades().stream().allMatch(b -> topology(b).pathsTo(wwid).isEmpty());
    boolean confClean = chassis.blades().stream().noneMatch(b -> read(b.host().path("/etc/multipath.conf")).contains(wwid.value()));
    s.say("both blades: map %s; paths %s; multipath.conf %s; inventory %s", mapGone ? "gone" : "STILL THERE",
        pathsGone ? "gone" : "STILL THERE", confClean ? "blacklists it again" : "STILL ADMITS IT",
        inventory.luns().stream().map(l -> l.alias().value()).toList());
    s.fact("refusals", refusals).fact("mapGone", mapGone).fact("pathsGone", pathsGone).fact("configsClean", confClean)
        .fact("inventoryAliases", inventory.luns().stream().map(l -> l.alias().value()).toList());
  }

  // ---------------------------------------------------------------- helpers

  static String size(long bytes) {
    return bytes % GIB == 0 ? bytes / GIB + " GiB" : String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
