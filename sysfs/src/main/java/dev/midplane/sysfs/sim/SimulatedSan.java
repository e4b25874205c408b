package dev.midplane.sysfs.sim;

import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.Wwn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Fibre Channel storage array and its two fabrics, shared by the simulated kernels of a chassis.
 * The array has target ports on fabrics ({@code A} and {@code B} by default, two ports each, one
 * per controller, ALUA optimized on the first controller); LUNs with a WWID and a size, masked to
 * initiator ports (the HBAs' WWPNs); and it can present, grow and unmap LUNs and cut or restore a
 * path or a whole port.
 *
 * <p>Kernels react as Linux does. A new HBA logs in and scans what is presented to it; a LUN
 * presented later appears only after {@code scan}; a grown LUN changes size only after
 * {@code rescan}; an unmapped LUN's devices stay until deleted (I/O to them fails). A cut path
 * blocks its remote port at once (devices {@code blocked}); after the port's
 * {@code fast_io_fail_tmo} they turn {@code transport-offline} and after {@code dev_loss_tmo} the
 * port is {@code Not Present} and its devices are removed — on the kernel's simulated clock,
 * advanced with {@link #advance(Duration)}. A restored path unblocks the port, or logs it in again
 * and rescans it.
 *
 * <pre>{@code
 * SimulatedSan san = SimulatedSan.create();
 * SimulatedKernel blade1 = SimulatedKernel.blade(dir1, HostName.of("blade1"), san);
 * Wwid lun = san.createLun(10L << 30);
 * san.present(lun, blade1.scsi().initiatorPorts());
 * Sysfs.on(blade1.host()).scan(1);
 * }</pre>
 *
 * <p>Thread-safe. The default array identifies as a Linux-IO target ({@code LIO-ORG}, NAA-6 WWIDs
 * {@code 36001405…}), which multipath-tools' built-in hardware table knows.
 */
public final class SimulatedSan {
  /** A target port of the array. {@code accessState} is its ALUA state, empty on a non-ALUA array. */
  public record TargetPort(Wwn wwpn, Wwn wwnn, String fabric, String portId, Optional<String> accessState) {}

  /**
   * A LUN. {@code wwid} is the identifier multipath uses (udev's {@code ID_SERIAL});
   * {@code sysfsWwid} what the kernel shows in the device's {@code wwid} attribute (usually the same
   * identifier spelled {@code naa.…}).
   */
  public record Lun(Wwid wwid, String sysfsWwid, String serial, long lunId, long sizeBytes, Set<Wwn> maskedTo) {
    public Lun {
      maskedTo = Set.copyOf(maskedTo);
    }
  }

  /** A LUN as one initiator sees it through one target port: what a correct scan shows. */
  public record Presented(Wwn initiator, Wwn target, long lunId, Wwid wwid, long sizeBytes) {}

  /** The array's state at one moment; kernels read it without taking the array's lock. */
  record Snapshot(Map<Wwid, Lun> luns, List<TargetPort> ports, Set<Wwn> cutPorts, Set<List<Wwn>> cutPaths,
      Map<Wwn, String> initiatorFabric) {
    boolean reachable(Wwn initiator, Wwn target) {
      String fabric = initiatorFabric.get(initiator);
      return fabric != null && !cutPorts.contains(initiator) && !cutPorts.contains(target)
          && !cutPaths.contains(List.of(initiator, target))
          && ports.stream().anyMatch(p -> p.wwpn().equals(target) && p.fabric().equals(fabric));
    }

    boolean linkUp(Wwn initiator) {
      return initiatorFabric.containsKey(initiator) && !cutPorts.contains(initiator);
    }

    List<TargetPort> portsOn(String fabric) {
      return ports.stream().filter(p -> p.fabric().equals(fabric)).toList();
    }

    /** LUNs presented to {@code initiator}, by LUN id; empty when the path is not reachable. */
    List<Lun> lunsFor(Wwn initiator, Wwn target) {
      if (!reachable(initiator, target)) {
        return List.of();
      }
      return luns.values().stream().filter(l -> l.maskedTo().contains(initiator))
          .sorted((a, b) -> Long.compare(a.lunId(), b.lunId())).toList();
    }

    Optional<Lun> lunAt(Wwn initiator, Wwn target, long lunId) {
      return lunsFor(initiator, target).stream().filter(l -> l.lunId() == lunId).findFirst();
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final String vendor;
  private final String product;
  private final String revision;
  private final String wwidPrefix;
  private final List<SimulatedKernel> kernels = new CopyOnWriteArrayList<>();
  private volatile Snapshot snapshot;
  private long lunCounter;
  private int bays;
  private int initiatorCounter;

  private SimulatedSan(Builder b) {
    this.vendor = b.vendor;
    this.product = b.product;
    this.revision = b.revision;
    this.wwidPrefix = b.wwidPrefix;
    this.snapshot = new Snapshot(Map.of(), List.copyOf(b.ports), Set.of(), Set.of(), Map.of());
  }

  /** A LIO array with fabrics A and B, two target ports on each, ALUA. */
  public static SimulatedSan create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The INQUIRY vendor (at most 8 characters). */
  public String vendor() {
    return vendor;
  }

  /** The INQUIRY product (at most 16 characters). */
  public String product() {
    return product;
  }

  /** The INQUIRY revision (at most 4 characters). */
  public String revision() {
    return revision;
  }

  public List<TargetPort> targetPorts() {
    return snapshot.ports();
  }

  /** The LUNs, by LUN id. */
  public List<Lun> luns() {
    return snapshot.luns().values().stream().sorted((a, b) -> Long.compare(a.lunId(), b.lunId())).toList();
  }

  public Optional<Lun> lun(Wwid wwid) {
    return Optional.ofNullable(snapshot.luns().get(wwid));
  }

  /** Creates a LUN (masked to nobody) with the next WWID and LUN id; returns its WWID. */
  public Wwid createLun(long sizeBytes) {
    lock.lock();
    try {
      long n = ++lunCounter;
      // NAA 6 is 16 bytes: "3" + 32 hex digits. The last 16 are the LUN counter times an odd constant (a bijection), so WWIDs are unique.
      String hex = String.format(Locale.ROOT, "%016x%016x", n * 0x9e3779b97f4a7c15L, n * 0xd1b54a32d192ed03L);
      Wwid wwid = Wwid.of(wwidPrefix + hex.substring(hex.length() - (33 - wwidPrefix.length())));
      add(new Lun(wwid, "naa." + wwid.value().substring(1), hex.substring(hex.length() - 12), nextLunId(), sizeBytes, Set.of()));
      return wwid;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Creates a LUN whose sysfs {@code wwid} differs from the identifier udev and multipath use, as
   * scsi_debug's do ({@code naa.33333330000007d0} versus {@code 1Linux_scsi_debug_2000}).
   */
  public Wwid createLun(Wwid wwid, String sysfsWwid, long sizeBytes) {
    lock.lock();
    try {
      if (snapshot.luns().containsKey(wwid)) {
        throw new IllegalArgumentException("LUN " + wwid + " exists");
      }
      lunCounter++;
      add(new Lun(wwid, sysfsWwid, Long.toString(2000 + lunCounter), nextLunId(), sizeBytes, Set.of()));
      return wwid;
    } finally {
      lock.unlock();
    }
  }

  /** Masks the LUN to these initiator WWPNs (adding to those it has). Hosts see it after a scan. */
  public void present(Wwid lun, Collection<Wwn> initiators) {
    change(lun, l -> {
      Set<Wwn> m = new HashSet<>(l.maskedTo());
      m.addAll(initiators);
      return new Lun(l.wwid(), l.sysfsWwid(), l.serial(), l.lunId(), l.sizeBytes(), m);
    });
  }

  /** Unmasks the LUN from these initiators. Their devices stay until deleted; I/O to them fails. */
  public void unmap(Wwid lun, Collection<Wwn> initiators) {
    change(lun, l -> {
      Set<Wwn> m = new HashSet<>(l.maskedTo());
      m.removeAll(initiators);
      return new Lun(l.wwid(), l.sysfsWwid(), l.serial(), l.lunId(), l.sizeBytes(), m);
    });
  }

  /** Grows a LUN; hosts see the new size after a rescan. Arrays do not shrink LUNs under hosts. */
  public void grow(Wwid lun, long newSizeBytes) {
    change(lun, l -> {
      if (newSizeBytes < l.sizeBytes()) {
        throw new IllegalArgumentException("LUN " + lun + " is " + l.sizeBytes() + " bytes; refusing to shrink to " + newSizeBytes);
      }
      return new Lun(l.wwid(), l.sysfsWwid(), l.serial(), l.lunId(), newSizeBytes, l.maskedTo());
    });
  }

  /** Deletes an unmapped LUN. */
  public void destroyLun(Wwid lun) {
    lock.lock();
    try {
      Lun l = require(lun);
      if (!l.maskedTo().isEmpty()) {
        throw new IllegalStateException("LUN " + lun + " is still presented to " + l.maskedTo());
      }
      Map<Wwid, Lun> m = new LinkedHashMap<>(snapshot.luns());
      m.remove(lun);
      publish(new Snapshot(Map.copyOf(m), snapshot.ports(), snapshot.cutPorts(), snapshot.cutPaths(), snapshot.initiatorFabric()));
    } finally {
      lock.unlock();
    }
    notifyKernels();
  }

  /** Cuts the path between an initiator and a target port (a zoning change, a broken fabric link). */
  public void cutPath(Wwn initiator, Wwn target) {
    paths(initiator, target, true);
  }

  public void restorePath(Wwn initiator, Wwn target) {
    paths(initiator, target, false);
  }

  /** Cuts a whole port, an HBA's or the array's: every path through it goes down. */
  public void cutPort(Wwn port) {
    ports(port, true);
  }

  public void restorePort(Wwn port) {
    ports(port, false);
  }

  /** True when frames get from the initiator to the target port. */
  public boolean reachable(Wwn initiator, Wwn target) {
    return snapshot.reachable(initiator, target);
  }

  /** What a host scanning through {@code initiator} correctly sees: each LUN through each reachable target port. */
  public List<Presented> presentedTo(Wwn initiator) {
    Snapshot s = snapshot;
    List<Presented> out = new ArrayList<>();
    for (TargetPort p : s.ports()) {
      for (Lun l : s.lunsFor(initiator, p.wwpn())) {
        out.add(new Presented(initiator, p.wwpn(), l.lunId(), l.wwid(), l.sizeBytes()));
      }
    }
    return out;
  }

  /** Advances the simulated clock of every kernel attached to this array. */
  public void advance(Duration d) {
    for (SimulatedKernel k : kernels) {
      k.advance(d);
    }
  }

  // ------------------------------------------------------------ used by kernels

  Snapshot snapshot() {
    return snapshot;
  }

  int attach(SimulatedKernel k) {
    lock.lock();
    try {
      kernels.add(k);
      return ++bays;
    } finally {
      lock.unlock();
    }
  }

  /** Logs a new HBA port into {@code fabric}: allocates its WWPN. */
  Wwn registerInitiator(String fabric, int bay) {
    lock.lock();
    try {
      if (snapshot.ports().stream().noneMatch(p -> p.fabric().equals(fabric))) {
        throw new IllegalArgumentException("the array has no port on fabric " + fabric);
      }
      Wwn w = new Wwn(0x50060b0000c20000L | ((long) (bay & 0xff) << 8) | (++initiatorCounter & 0xff));
      Map<Wwn, String> m = new HashMap<>(snapshot.initiatorFabric());
      m.put(w, fabric);
      publish(new Snapshot(snapshot.luns(), snapshot.ports(), snapshot.cutPorts(), snapshot.cutPaths(), Map.copyOf(m)));
      return w;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------ internals

  private long nextLunId() {
    Set<Long> used = new HashSet<>();
    snapshot.luns().values().forEach(l -> used.add(l.lunId()));
    long id = 0;
    while (used.contains(id)) {
      id++;
    }
    return id;
  }

  private void add(Lun l) {
    Map<Wwid, Lun> m = new LinkedHashMap<>(snapshot.luns());
    m.put(l.wwid(), l);
    publish(new Snapshot(Map.copyOf(m), snapshot.ports(), snapshot.cutPorts(), snapshot.cutPaths(), snapshot.initiatorFabric()));
  }

  private Lun require(Wwid lun) {
    Lun l = snapshot.luns().get(Objects.requireNonNull(lun, "lun"));
    if (l == null) {
      throw new IllegalArgumentException("no LUN " + lun + " on the array");
    }
    return l;
  }

  private void change(Wwid lun, java.util.function.UnaryOperator<Lun> f) {
    lock.lock();
    try {
      Lun changed = f.apply(require(lun));
      add(changed);
    } finally {
      lock.unlock();
    }
    notifyKernels();
  }

  private void paths(Wwn initiator, Wwn target, boolean cut) {
    lock.lock();
    try {
      Set<List<Wwn>> s = new HashSet<>(snapshot.cutPaths());
      if (cut) {
        s.add(List.of(initiator, target));
      } else {
        s.remove(List.of(initiator, target));
      }
      publish(new Snapshot(snapshot.luns(), snapshot.ports(), snapshot.cutPorts(), Set.copyOf(s), snapshot.initiatorFabric()));
    } finally {
      lock.unlock();
    }
    notifyKernels();
  }

  private void ports(Wwn port, boolean cut) {
    lock.lock();
    try {
      Set<Wwn> s = new HashSet<>(snapshot.cutPorts());
      if (cut) {
        s.add(port);
      } else {
        s.remove(port);
      }
      publish(new Snapshot(snapshot.luns(), snapshot.ports(), Set.copyOf(s), snapshot.cutPaths(), snapshot.initiatorFabric()));
    } finally {
      lock.unlock();
    }
    notifyKernels();
  }

  private void publish(Snapshot s) {
    snapshot = s;
  }

  private void notifyKernels() {
    for (SimulatedKernel k : kernels) {
      k.sanChanged();
    }
  }

  /** Configures an array. */
  public static final class Builder {
    private String vendor = "LIO-ORG";
    private String product = "midplane-lun";
    private String revision = "4.0";
    private String wwidPrefix = "36001405";
    private final List<TargetPort> ports = new ArrayList<>();
    private boolean defaultPorts = true;

    private Builder() {}

    /** INQUIRY identity: vendor (≤ 8), product (≤ 16), revision (≤ 4). */
    public Builder identity(String vendor, String product, String revision) {
      if (vendor.length() > 8 || product.length() > 16 || revision.length() > 4) {
        throw new IllegalArgumentException("INQUIRY fields are 8, 16 and 4 characters at most");
      }
      this.vendor = vendor;
      this.product = product;
      this.revision = revision;
      return this;
    }

    /** The start of every generated WWID, {@code 3} (NAA) and the array's NAA-6 prefix. */
    public Builder wwidPrefix(String prefix) {
      if (!prefix.matches("3[0-9a-f]{1,16}")) {
        throw new IllegalArgumentException("expected 3 followed by hex digits: " + prefix);
      }
      this.wwidPrefix = prefix;
      return this;
    }

    /** Adds a target port; the first call replaces the default ports. */
    public Builder targetPort(Wwn wwpn, String fabric, Optional<String> aluaAccessState) {
      if (defaultPorts) {
        ports.clear();
        defaultPorts = false;
      }
      int i = ports.size();
      ports.add(new TargetPort(wwpn, new Wwn(0x20000014050a0000L | (wwpn.bits() & 0xffff)), fabric,
          String.format(Locale.ROOT, "0x%02x%02x00", fabric.hashCode() & 0x3f, 0x10 + i), aluaAccessState));
      return this;
    }

    public SimulatedSan build() {
      if (defaultPorts) {
        targetPort(new Wwn(0x21000024ff7c0a01L), "A", Optional.of("active/optimized"));
        targetPort(new Wwn(0x21000024ff7c0b01L), "A", Optional.of("active/non-optimized"));
        targetPort(new Wwn(0x21000024ff7c0a02L), "B", Optional.of("active/optimized"));
        targetPort(new Wwn(0x21000024ff7c0b02L), "B", Optional.of("active/non-optimized"));
        defaultPorts = true;
      }
      return new SimulatedSan(this);
    }
  }
}
