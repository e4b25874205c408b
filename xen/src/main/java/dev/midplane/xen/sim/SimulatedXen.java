package dev.midplane.xen.sim;

import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.sysfs.sim.KernelException;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedNet;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.HostInfo;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A Xen hypervisor and its toolstack, simulated on a {@link SimulatedKernel}: {@link #install}
 * registers {@code xl} (Xen 4.17) or {@code xm} (Xen 3.4 with xend) on the kernel's runner, backed
 * by this host's domains — ids, memory accounted against the host's total, virtual CPUs, states.
 * The toolstack answers in the real formats (through {@link dev.midplane.xen.ToolstackOutputs}'
 * renderers) with the real error texts, and acts on the kernel the way Xen's backends and hotplug
 * scripts do:
 *
 * <ul>
 *   <li>a disk on a block device ({@code phy:/dev/mapper/<alias>}) must exist on this host; while
 *       the domain runs it holds the device-mapper device open (so it cannot be flushed), and a
 *       device a running domain has open read-write is refused to a second one, as the block script
 *       refuses it (unless the second asks for {@code w!}, which the script does not check);
 *   <li>each interface becomes a backend device in dom0 plugged into its bridge, which must exist:
 *       {@code vif<domid>.<devid>}, or the {@code vifname=} it asks for (refused when a device of
 *       that name exists, as vif-common.sh refuses it);
 *   <li>memory: a domain gets its {@code memory}, from what dom0 and the other domains leave.
 * </ul>
 *
 * <p>Sub-commands: {@code list} (also {@code -l}, names), {@code info}, {@code create} (a file on
 * the host; {@code -p}), {@code shutdown} ({@code -w}), {@code reboot}, {@code destroy},
 * {@code pause}, {@code unpause}, {@code block-attach}/{@code -detach}/{@code -list},
 * {@code network-attach}/{@code -detach}/{@code -list}, {@code save} ({@code -c}), {@code restore}
 * ({@code -p}), {@code migrate} and, for xl, {@code migrate-receive}. A migration really moves the
 * domain: the sending xl runs {@code ssh <target> xl migrate-receive} through this host's runner
 * (a {@link SimulatedChassis} supplies {@code ssh}), the receiving xl rebuilds the domain from the
 * stream on its host, and the lines both print are those of a real {@code xl migrate} (Xen
 * 4.17), in the order a real run printed them. xm migrates to xend's relocation server, which the
 * target's {@code /etc/xen/xend-config.sxp} must enable and allow the source into.
 *
 * <pre>{@code
 * SimulatedKernel k = SimulatedKernel.blade(dir, HostName.of("blade1"), san);
 * SimulatedXen xen = SimulatedXen.install(k);            // xl, 16 GiB, 8 CPUs
 * Xen.on(k.host()).create(config);                       // runs the simulated xl
 * xen.domains();                                          // what xl list would show
 * }</pre>
 *
 * <p>Known differences from Xen: guests do nothing (no CPU time accrues, no ballooning); a
 * migration or save moves the configuration, not memory; libxl's error lines carry no source
 * position where no real capture showed one; a {@code vifname=} device is created under its final
 * name (the simulated kernel cannot rename devices yet) and therefore shows as a virtual device, not
 * as a Xen backend. Thread-safe.
 */
public final class SimulatedXen {
  /**
   * A failure the next outgoing migration of this host meets, at the stage where real ones happen.
   * Each leaves the domains as xl leaves them.
   */
  public enum MigrationFault {
    /**
     * The sender cannot suspend the guest (as when the hypervisor cannot track its dirty pages):
     * "Migration failed, failed to suspend at sender." The guest keeps running at the source.
     */
    SUSPEND_FAILS,
    /**
     * The stream breaks while memory is copied: the target destroys its partial copy, the sender
     * resumes the guest ("Migration failed, resuming at sender.").
     */
    STREAM_BROKEN,
    /**
     * The target received everything but cannot start the domain: it destroys its copy, the sender
     * resumes ("Migration failed due to problems at target.").
     */
    TARGET_STARTUP_FAILS,
    /**
     * The target started the domain, but its report never reached the sender: xl prints "Migration
     * failed during final handshake", the domain runs at the target and a suspended copy named
     * {@code <name>--migratedaway} stays at the source.
     */
    FINAL_HANDSHAKE_LOST
  }

  /** Default {@code virt_caps} of Xen 4.17 with shadow paging (a real capture's). */
  public static final Set<String> VIRT_CAPS = Set.of("pv", "hvm", "hap", "shadow", "gnttab-v1", "gnttab-v2");

  private final SimulatedKernel kernel;
  private final Toolstack.Kind kind;
  private final long totalMemoryMib;
  private final long dom0MemoryMib;
  private final int nrCpus;
  private final int dom0Vcpus;
  private final List<String> virtCaps;
  private final String xenVersion;
  private final Map<Integer, SimDomain> domains = new TreeMap<>();
  private final Deque<MigrationFault> faults = new ArrayDeque<>();
  private final Set<String> ignoringShutdown = new HashSet<>();
  private int nextId = 1;
  private int nextPid = 2300;
  private volatile CommandRunner self;
  private volatile Network network;

  /** How simulated hosts reach each other: a chassis's management network. */
  interface Network {
    /** The hypervisor of the host called {@code target}, when {@code from} reaches it. */
    Optional<SimulatedXen> reach(HostName from, String target);
  }

  private SimulatedXen(Builder b, SimulatedKernel kernel) {
    this.kernel = kernel;
    this.kind = b.kind;
    this.totalMemoryMib = b.totalMemoryMib;
    this.dom0MemoryMib = b.dom0MemoryMib;
    this.nrCpus = b.nrCpus;
    this.dom0Vcpus = Math.min(b.dom0Vcpus, b.nrCpus);
    this.virtCaps = List.copyOf(b.virtCaps);
    this.xenVersion = b.xenVersion != null ? b.xenVersion : kind == Toolstack.Kind.XL ? "4.17.5" : "3.4.3";
    this.self = kernel.runner();
  }

  /** {@code xl} of Xen 4.17 on a host of 16 GiB and 8 CPUs (dom0: 1 GiB, 2 vCPUs), with shadow paging. */
  public static SimulatedXen install(SimulatedKernel kernel) {
    return builder().install(kernel);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the simulated host's Xen is like. */
  public static final class Builder {
    private Toolstack.Kind kind = Toolstack.Kind.XL;
    private long totalMemoryMib = 16384;
    private long dom0MemoryMib = 1024;
    private int nrCpus = 8;
    private int dom0Vcpus = 2;
    private Set<String> virtCaps = new LinkedHashSet<>(List.of("pv", "hvm", "hap", "shadow", "gnttab-v1", "gnttab-v2"));
    private String xenVersion;

    private Builder() {}

    /** {@code xl} (Xen 4.17, the default) or {@code xm} (Xen 3.4 with xend). */
    public Builder kind(Toolstack.Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      if (kind == Toolstack.Kind.XM) {
        virtCaps = new LinkedHashSet<>(List.of("hvm"));
      }
      return this;
    }

    /** The host's memory, MiB. */
    public Builder totalMemoryMib(long mib) {
      this.totalMemoryMib = mib;
      return this;
    }

    /** What dom0 keeps ({@code dom0_mem}), MiB. */
    public Builder dom0MemoryMib(long mib) {
      this.dom0MemoryMib = mib;
      return this;
    }

    public Builder nrCpus(int n) {
      this.nrCpus = n;
      return this;
    }

    /**
     * The hypervisor's {@code virt_caps}. Without {@code shadow}, PV guests cannot migrate live
     * (Debian's Xen 4.17 is built so).
     */
    public Builder virtCaps(Set<String> caps) {
      this.virtCaps = new LinkedHashSet<>(caps);
      return this;
    }

    /** Xen as Debian 12 ships it: without shadow paging. */
    public Builder withoutShadowPaging() {
      virtCaps.remove("shadow");
      return this;
    }

    public Builder xenVersion(String version) {
      this.xenVersion = version;
      return this;
    }

    /** Registers the toolstack on {@code kernel}'s runner and returns the hypervisor's handle. */
    public SimulatedXen install(SimulatedKernel kernel) {
      if (totalMemoryMib <= dom0MemoryMib || dom0MemoryMib <= 0 || nrCpus <= 0) {
        throw new IllegalArgumentException("need total memory > dom0 memory > 0 and CPUs > 0");
      }
      SimulatedXen xen = new SimulatedXen(this, kernel);
      ToolstackCli cli = new ToolstackCli(xen);
      kernel.runner().register(kind.program(), cli::handle);
      return xen;
    }
  }

  // ------------------------------------------------------------------ public view

  public Toolstack.Kind kind() {
    return kind;
  }

  public HostName host() {
    return kernel.name();
  }

  public SimulatedKernel kernel() {
    return kernel;
  }

  /** Every domain as {@code xl list} shows it now, Domain-0 first. */
  public synchronized List<DomainInfo> domains() {
    List<DomainInfo> out = new ArrayList<>();
    out.add(domain0Info());
    domains.values().forEach(d -> out.add(d.info()));
    return out;
  }

  /** The guest of this name, as {@code xl list} shows it. */
  public synchronized Optional<DomainInfo> domain(DomainName name) {
    return byName(name.value()).map(SimDomain::info);
  }

  /** Every guest's running configuration, as {@code xl list -l} shows it (Domain-0 left out). */
  public synchronized List<DomainDetails> details() {
    return domains.values().stream().map(SimDomain::details).toList();
  }

  /** Memory no domain holds, MiB: {@code free_memory} of {@code xl info}. */
  public synchronized long freeMemoryMib() {
    return totalMemoryMib - dom0MemoryMib - domains.values().stream().mapToLong(SimDomain::heldMib).sum();
  }

  /** What {@code xl info} prints. */
  public synchronized HostInfo info() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("host", kernel.name().value());
    a.put("release", SimulatedKernel.RELEASE);
    a.put("version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)");
    a.put("machine", "x86_64");
    a.put("nr_cpus", Integer.toString(nrCpus));
    a.put("max_cpu_id", Integer.toString(nrCpus - 1));
    a.put("nr_nodes", "1");
    a.put("cores_per_socket", Integer.toString(nrCpus));
    a.put("threads_per_core", "1");
    a.put("cpu_mhz", "2096.024");
    a.put("hw_caps", "178bf3fd:80002001:20100800:00000007:00000000:00000000:00000000:00000000");
    a.put("virt_caps", String.join(" ", virtCaps));
    a.put("total_memory", Long.toString(totalMemoryMib));
    a.put("free_memory", Long.toString(freeMemoryMib()));
    String[] v = xenVersion.split("\\.", 3);
    if (kind == Toolstack.Kind.XL) {
      a.put("sharing_freed_memory", "0");
      a.put("sharing_used_memory", "0");
      a.put("outstanding_claims", "0");
      a.put("free_cpus", "0");
    }
    a.put("xen_major", v[0]);
    a.put("xen_minor", v.length > 1 ? v[1] : "0");
    a.put("xen_extra", v.length > 2 ? "." + v[2] : "");
    if (kind == Toolstack.Kind.XL) {
      a.put("xen_version", xenVersion);
    }
    a.put("xen_caps", "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ");
    a.put("xen_scheduler", kind == Toolstack.Kind.XL ? "credit2" : "credit");
    a.put("xen_pagesize", "4096");
    a.put("platform_params", "virt_start=0xffff800000000000");
    a.put("xen_changeset", "");
    a.put("xen_commandline", "dom0_mem=" + dom0MemoryMib + "M,max:" + dom0MemoryMib + "M dom0_max_vcpus=" + dom0Vcpus);
    a.put("cc_compiler", "gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
    a.put("xend_config_format", "4");
    StringBuilder text = new StringBuilder();
    a.forEach((k, val) -> text.append(String.format(Locale.ROOT, "%-23s: %s%n", k, val)));
    return dev.midplane.xen.ToolstackOutputs.parseInfo(text.toString(), "simulated " + kind.program() + " info");
  }

  /** The next outgoing migration meets {@code fault} (faults queue up, one per migration). */
  public synchronized void injectMigrationFault(MigrationFault fault) {
    faults.addLast(Objects.requireNonNull(fault, "fault"));
  }

  /**
   * Whether the guest ignores shutdown requests (a hung or unco-operative guest): {@code shutdown
   * -w} then waits until it is killed.
   */
  public synchronized void guestIgnoresShutdown(DomainName name, boolean ignores) {
    if (ignores) {
      ignoringShutdown.add(name.value());
    } else {
      ignoringShutdown.remove(name.value());
    }
  }

  /**
   * The host loses power and boots again: every guest is gone (its interfaces deleted, its disks
   * closed), domain ids start at 1 again. Nothing restarts the guests; that is what
   * {@code xendomains}, or {@code Placement.startAllFor}, does.
   */
  public synchronized void powerCycle() {
    for (SimDomain d : List.copyOf(domains.values())) {
      tearDown(d);
    }
    domains.clear();
    nextId = 1;
    faults.clear();
  }

  /** How this host runs the programs xl starts itself ({@code ssh}): through its (decorated) runner. */
  void useRunner(CommandRunner runner) {
    this.self = Objects.requireNonNull(runner, "runner");
  }

  CommandRunner runner() {
    return self;
  }

  void joinNetwork(Network n) {
    this.network = Objects.requireNonNull(n, "network");
  }

  Optional<Network> network() {
    return Optional.ofNullable(network);
  }

  // ------------------------------------------------------------------ engine (for ToolstackCli)

  synchronized DomainInfo domain0Info() {
    return DomainInfo.builder().rawName("Domain-0").id(0).memoryMib(dom0MemoryMib).vcpus(dom0Vcpus)
        .state(java.util.EnumSet.of(dev.midplane.xen.DomainState.RUNNING)).cpuSeconds(126.5).build();
  }

  synchronized DomainDetails domain0Details() {
    return DomainDetails.builder().source(DomainDetails.Source.XL_JSON).domid(0).rawName("Domain-0").guestType("pv")
        .maxMemoryKib(dom0MemoryMib * 1024).targetMemoryKib(dom0MemoryMib * 1024 - 1).build();
  }

  synchronized List<SimDomain> guests() {
    return List.copyOf(domains.values());
  }

  synchronized Optional<SimDomain> byName(String name) {
    return domains.values().stream().filter(d -> d.name.equals(name)).findFirst();
  }

  /** A guest by name or id, as xl's {@code find_domain} looks them up. */
  synchronized SimDomain find(String nameOrId) {
    if (nameOrId.matches("[0-9]{1,9}")) {
      SimDomain d = domains.get(Integer.parseInt(nameOrId));
      if (d != null) {
        return d;
      }
    }
    return byName(nameOrId).orElseThrow(() -> new Refusal(Refusal.Reason.NO_SUCH_DOMAIN, nameOrId));
  }

  /** Whether {@code nameOrId} names Domain-0. */
  static boolean isDomain0(String nameOrId) {
    return nameOrId.equals("0") || nameOrId.equals("Domain-0");
  }

  int pid() {
    synchronized (this) {
      return nextPid++;
    }
  }

  /**
   * Creates a domain from {@code config}, all or nothing: on any refusal what was plugged is
   * unplugged again (the domain id is used up, as in Xen).
   */
  synchronized SimDomain create(DomainConfig config, boolean paused) {
    return create(config, paused, null);
  }

  synchronized SimDomain create(DomainConfig config, boolean paused, String nameOverride) {
    String name;
    long memory;
    long maxMemory;
    int vcpus;
    List<DiskSpec> disks;
    List<VifSpec> vifs;
    String type;
    try {
      name = nameOverride != null ? nameOverride : config.name().value();
      memory = config.memoryMib().orElse(128);
      maxMemory = Math.max(memory, config.maxMemoryMib().orElse(memory));
      vcpus = config.vcpus().orElse(1);
      disks = config.disks();
      vifs = config.vifs();
      type = config.guestType().orElse("pv");
    } catch (RuntimeException e) {
      throw new Refusal(Refusal.Reason.BAD_CONFIG, e.getMessage());
    }
    if (memory <= 0 || vcpus <= 0 || !List.of("pv", "pvh", "hvm").contains(type)) {
      throw new Refusal(Refusal.Reason.BAD_CONFIG, "memory and vcpus must be positive and type pv, pvh or hvm");
    }
    Optional<SimDomain> clash = byName(name);
    if (clash.isPresent()) {
      throw new Refusal(Refusal.Reason.NAME_EXISTS, name, clash.get().id);
    }
    int id = nextId++;
    long free = freeMemoryMib();
    if (memory > free) {
      throw new Refusal(Refusal.Reason.NO_MEMORY, id, memory, free);
    }
    String uuid = config.getString("uuid").orElse(UUID.nameUUIDFromBytes((kernel.name() + "/" + name + "/" + id)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    SimDomain d = new SimDomain(id, name, uuid, type, memory, maxMemory, vcpus, config);
    try {
      for (DiskSpec disk : disks) {
        plugDisk(d, disk);
      }
      for (int i = 0; i < vifs.size(); i++) {
        plugNic(d, i, vifs.get(i));
      }
    } catch (RuntimeException e) {
      tearDown(d);
      throw e;
    }
    d.paused = paused;
    domains.put(id, d);
    return d;
  }

  /** Stops a guest at once: its interfaces go, its disks are closed. */
  synchronized void destroy(SimDomain d) {
    tearDown(d);
    domains.remove(d.id);
  }

  /** A guest reboots: xl's daemon destroys it and creates it again under a new id. */
  synchronized SimDomain reboot(SimDomain d) {
    destroy(d);
    return create(d.config, false, d.name);
  }

  synchronized boolean ignoresShutdown(SimDomain d) {
    return ignoringShutdown.contains(d.name);
  }

  synchronized void rename(SimDomain d, String newName) {
    d.name = newName;
  }

  private void tearDown(SimDomain d) {
    for (SimDomain.Nic n : List.copyOf(d.nics)) {
      unplugNic(d, n);
    }
    for (SimDomain.Disk k : List.copyOf(d.disks)) {
      unplugDisk(d, k);
    }
  }

  synchronized void plugDisk(SimDomain d, DiskSpec spec) {
    OptionalInt vdev = Vdevs.number(spec.vdev());
    if (vdev.isEmpty()) {
      throw new Refusal(Refusal.Reason.BAD_CONFIG, "Invalid virtual disk identifier " + spec.vdev());
    }
    if (d.disks.stream().anyMatch(k -> k.vdev() == vdev.getAsInt())) {
      throw new Refusal(Refusal.Reason.VDEV_TAKEN, d.id, spec.vdev());
    }
    Optional<String> dm = Optional.empty();
    String target = spec.target().orElse(null);
    if (target != null) {
      Path p;
      try {
        p = kernel.host().path(target);
      } catch (IllegalArgumentException e) {
        throw new Refusal(Refusal.Reason.DISK_MISSING, d.id, spec.vdev(), target, "Invalid argument");
      }
      if (!Files.exists(p)) {
        throw new Refusal(Refusal.Reason.DISK_MISSING, d.id, spec.vdev(), target, "No such file or directory");
      }
      dm = deviceMapperName(p);
      boolean write = spec.access().orElse(DiskSpec.Access.READ_WRITE) != DiskSpec.Access.READ_ONLY;
      String resolved = resolved(p, target);
      // the block script skips its sharing check for w!, the mode of disks shared on purpose
      boolean shared = spec.access().filter(a -> a == DiskSpec.Access.SHARED_WRITE).isPresent();
      for (SimDomain other : shared ? List.<SimDomain>of() : domains.values()) {
        for (SimDomain.Disk k : other.disks) {
          boolean same = dm.isPresent() ? k.dm().equals(dm) : k.spec().target().filter(target::equals).isPresent();
          boolean otherWrites = k.spec().access().orElse(DiskSpec.Access.READ_WRITE) != DiskSpec.Access.READ_ONLY;
          if (same && (write || otherWrites) && !spec.isCdrom()) {
            throw new Refusal(Refusal.Reason.DISK_IN_USE, d.id, spec.vdev(), resolved, write ? "w" : "r");
          }
        }
      }
      if (dm.isPresent()) {
        try {
          kernel.deviceMapper().open(dm.get());
        } catch (KernelException e) {
          throw new Refusal(Refusal.Reason.DISK_MISSING, d.id, spec.vdev(), target, e.strerror());
        }
      }
    }
    d.disks.add(new SimDomain.Disk(spec, vdev.getAsInt(), dm, 7 + 3 * d.disks.size(), 8 + 516 * d.disks.size()));
  }

  synchronized void unplugDisk(SimDomain d, SimDomain.Disk k) {
    k.dm().ifPresent(name -> {
      try {
        kernel.deviceMapper().close(name);
      } catch (KernelException e) {
        // the map was removed under the running guest (dmsetup remove --force); nothing to close
      }
    });
    d.disks.remove(k);
  }

  /** The device-mapper device a path is, following {@code /dev/mapper/<name>} and {@code /dev/dm-N}. */
  private Optional<String> deviceMapperName(Path p) {
    String real;
    try {
      real = p.toRealPath().getFileName().toString();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!real.startsWith("dm-")) {
      return Optional.empty();
    }
    return kernel.deviceMapper().devices().stream().filter(x -> x.kernelName().value().equals(real))
        .map(SimulatedDeviceMapper.Device::name).findFirst();
  }

  /** {@code readlink -f}, as the block script resolves a device before its sharing check. */
  private String resolved(Path p, String target) {
    try {
      if (Files.isSymbolicLink(p)) {
        return "/dev/" + p.toRealPath().getFileName();
      }
      return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? target : target;
    } catch (IOException e) {
      return target;
    }
  }

  synchronized SimDomain.Nic plugNic(SimDomain d, int devid, VifSpec spec) {
    SimulatedNet net = kernel.net();
    InterfaceName bridge = spec.bridge().orElseGet(() -> net.links().stream()
        .filter(l -> l.kind() == SimulatedNet.Kind.BRIDGE).map(SimulatedNet.Link::name).sorted().findFirst()
        .orElseThrow(() -> new Refusal(Refusal.Reason.NO_BRIDGE, d.id, devid, "")));
    if (net.link(bridge).filter(l -> l.kind() == SimulatedNet.Kind.BRIDGE).isEmpty()) {
      throw new Refusal(Refusal.Reason.NO_BRIDGE, d.id, devid, bridge.value());
    }
    InterfaceName device;
    if (spec.vifname().isPresent()) {
      InterfaceName want = spec.vifname().get();
      if (net.link(want).isPresent()) {
        throw new Refusal(Refusal.Reason.VIFNAME_TAKEN, d.id, devid, InterfaceName.xenVif(d.id, devid), want);
      }
      // vif-common.sh renames vif<domid>.<devid> to the vifname; the simulated kernel cannot rename, so
      // the device is made under its final name.
      net.createDummy(want);
      device = want;
    } else {
      device = net.createVif(d.id, devid);
    }
    try {
      net.setMaster(device, bridge);
      net.setUp(device, true);
    } catch (KernelException e) {
      net.delete(device);
      throw new Refusal(Refusal.Reason.NO_BRIDGE, d.id, devid, bridge.value());
    }
    MacAddress mac = spec.mac().orElseGet(() -> generatedMac(d.name, devid));
    SimDomain.Nic nic = new SimDomain.Nic(devid, mac, bridge, device, spec.ips(), spec);
    d.nics.add(nic);
    return nic;
  }

  synchronized void unplugNic(SimDomain d, SimDomain.Nic n) {
    try {
      kernel.net().delete(n.device());
    } catch (KernelException e) {
      // already gone (deleted by hand); the guest's side is unplugged all the same
    }
    d.nics.remove(n);
  }

  /** xl's random MAC in Xen's OUI, made stable here from the domain's name and device id. */
  static MacAddress generatedMac(String name, int devid) {
    int h = (name + "/" + devid).hashCode();
    return MacAddress.of(String.format(Locale.ROOT, "00:16:3e:%02x:%02x:%02x", (h >> 16) & 0x7f, (h >> 8) & 0xff, h & 0xff));
  }

  synchronized Optional<MigrationFault> takeFault() {
    return Optional.ofNullable(faults.pollFirst());
  }

  /** Whether the hypervisor can track this guest's dirty pages (what live migration needs). */
  synchronized boolean canTrackDirtyPages(String guestType) {
    return guestType.equals("pv") ? virtCaps.contains("shadow") : virtCaps.contains("hap") || virtCaps.contains("shadow");
  }

  synchronized List<String> virtCaps() {
    return Collections.unmodifiableList(virtCaps);
  }

  @Override
  public String toString() {
    return "simulated " + kind.program() + " on " + kernel.name();
  }
}
