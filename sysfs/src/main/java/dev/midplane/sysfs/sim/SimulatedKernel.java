package dev.midplane.sysfs.sim;

import dev.midplane.core.files.Errno;

import dev.midplane.core.Host;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.AttributeWriter;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A Linux kernel simulated in a directory: a stateful {@code /sys}, {@code /proc}, {@code /dev}
 * and {@code /run/udev} tree that reacts to attribute writes as Linux 6.1 does, with a
 * {@link SimulatedSan storage array} behind its FC HBAs. It is the {@link AttributeWriter} of the
 * {@link Host} it supplies, and offers the Java API simulated tools need
 * ({@link #net()}, {@link #deviceMapper()}, {@link #scsi()}); all of it answers with real errno
 * values ({@link KernelException}).
 *
 * <pre>{@code
 * SimulatedSan san = SimulatedSan.create();
 * SimulatedKernel kernel = SimulatedKernel.blade(Files.createTempDirectory("blade1"), HostName.of("blade1"), san);
 * Host blade1 = kernel.host();                       // root = the directory, runner = kernel.runner()
 * kernel.runner().register("ip", inv -> ...);        // simulated tools act on kernel.net() etc.
 * Sysfs.on(blade1).topology();                        // reads the tree like a real /sys
 * }</pre>
 *
 * <p>The tree is real files, so real tools read it too: {@code lsblk --sysroot DIR} and
 * {@code lsscsi --sysfsroot=DIR/sys} list what the kernel has. Readers never see a half-made
 * device: a new device's directory is complete before the links that publish it appear, and a
 * changing attribute is replaced atomically.
 *
 * <p>Thread-safe: one lock per kernel; sysfs writes, the Java API and the clock take it. Time
 * stands still until {@link #advance(Duration)} moves the clock; timers (FC
 * {@code fast_io_fail_tmo} and {@code dev_loss_tmo}, bonding {@code updelay}/{@code downdelay})
 * fire then.
 *
 * <p>Known differences from Linux: reading {@code carrier} or {@code speed} of a down interface
 * gives {@code 0}/{@code -1} instead of failing with EINVAL; write-only attributes are readable
 * empty files; file modes are not set.
 */
public final class SimulatedKernel implements AttributeWriter {
  /** The release this kernel behaves like (as printed in {@code /proc/net/bonding/*}). */
  public static final String RELEASE = "6.1.0-56-amd64";

  private final ReentrantLock lock = new ReentrantLock();
  private final Path root;
  private final Path realRoot;
  private final HostName name;
  private final SimulatedSan san;
  private final int bay;
  private final Tree tree;
  private final SimulatedRunner runner;
  private final Host host;
  private final boolean udev;
  private final SimulatedScsi scsi;
  private final SimulatedDeviceMapper dm;
  private final SimulatedNet net;
  private Duration clock = Duration.ZERO;

  private SimulatedKernel(Path root, HostName name, SimulatedSan san, boolean udev) {
    this.root = Objects.requireNonNull(root, "root");
    this.name = Objects.requireNonNull(name, "name");
    this.san = Objects.requireNonNull(san, "san");
    this.udev = udev;
    try {
      Files.createDirectories(root);
      this.realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.tree = new Tree(realRoot);
    tree.file("proc/sys/kernel/hostname", name.value() + "\n");
    tree.file("proc/sys/kernel/osrelease", RELEASE + "\n");
    this.bay = san.attach(this);
    Blocks blocks = new Blocks(tree);
    this.scsi = new SimulatedScsi(this, tree, blocks, san, bay);
    this.dm = new SimulatedDeviceMapper(this, tree, blocks);
    this.net = new SimulatedNet(this, tree, name.hashCode());
    this.runner = new SimulatedRunner(name.value());
    this.host = Host.simulated(name.value(), root, runner, this);
  }

  /**
   * An empty machine: loopback only, no HBA, no NIC; the bonding module loaded (with
   * {@code max_bonds=0}, as systemd hosts load it) and udev running.
   */
  public static SimulatedKernel create(Path root, HostName name, SimulatedSan san) {
    return new SimulatedKernel(root, name, san, true);
  }

  /**
   * Like {@link #create} but without udev: no {@code /run/udev/data} entries, as in a container or
   * an initramfs without udevd (multipath-tools then cannot find paths by itself).
   */
  public static SimulatedKernel withoutUdev(Path root, HostName name, SimulatedSan san) {
    return new SimulatedKernel(root, name, san, false);
  }

  /**
   * A blade's hardware, unconfigured: a SATA controller ({@code host0}), two FC HBA ports on fabrics
   * A and B ({@code host1}, {@code host2}, which log in and scan what the array presents to them)
   * and four NICs, {@code eth0}–{@code eth3} (midplane A and B for the development VLAN, then A and
   * B for production), all down. The network module builds bonds and bridges on it.
   */
  public static SimulatedKernel bareBlade(Path root, HostName name, SimulatedSan san) {
    SimulatedKernel k = create(root, name, san);
    k.scsi.addHost("ahci");
    k.scsi.addFcHba("A");
    k.scsi.addFcHba("B");
    for (int i = 0; i < 4; i++) {
      MacAddress mac = MacAddress.fromBits(0x0017a4770000L | ((long) (k.bay & 0xff) << 8) | (i + 1));
      k.net.addEthernet(InterfaceName.of("eth" + i), mac, String.format(Locale.ROOT, "0000:%02x:00.%d", 3 + i / 2, i % 2));
    }
    return k;
  }

  /**
   * A configured blade: {@link #bareBlade} plus {@code bond0} (eth0 + eth1) and {@code bond1}
   * (eth2 + eth3), active-backup with {@code miimon 100}, and the Xen bridges {@code xenbr0} on
   * bond0 and {@code xenbr1} on bond1, everything up.
   */
  public static SimulatedKernel blade(Path root, HostName name, SimulatedSan san) {
    SimulatedKernel k = bareBlade(root, name, san);
    SimulatedNet n = k.net;
    for (int b = 0; b < 2; b++) {
      InterfaceName bond = InterfaceName.of("bond" + b);
      InterfaceName bridge = InterfaceName.of("xenbr" + b);
      n.createBond(bond);
      n.setBondMode(bond, dev.midplane.sysfs.BondMode.ACTIVE_BACKUP);
      n.setBondOption(bond, "miimon", "100");
      n.setMaster(InterfaceName.of("eth" + (2 * b)), bond);
      n.setMaster(InterfaceName.of("eth" + (2 * b + 1)), bond);
      n.setUp(bond, true);
      n.createBridge(bridge);
      n.setMaster(bond, bridge);
      n.setUp(bridge, true);
    }
    return k;
  }

  /** The host this kernel runs: root = its directory, runner = {@link #runner()}, attribute writes = this kernel. */
  public Host host() {
    return host;
  }

  /** The host's simulated programs; other modules register {@code ip}, {@code multipath}, {@code xl}, … here. */
  public SimulatedRunner runner() {
    return runner;
  }

  public HostName name() {
    return name;
  }

  /** The directory that is this host's {@code /}. */
  public Path root() {
    return root;
  }

  public SimulatedSan san() {
    return san;
  }

  public SimulatedScsi scsi() {
    return scsi;
  }

  public SimulatedDeviceMapper deviceMapper() {
    return dm;
  }

  public SimulatedNet net() {
    return net;
  }

  /** Whether udevd runs: {@code /run/udev/data} entries and {@code /dev/disk} links are written. */
  public boolean udevRunning() {
    return udev;
  }

  /** Time since boot on the simulated clock. */
  public Duration clock() {
    lock.lock();
    try {
      return clock;
    } finally {
      lock.unlock();
    }
  }

  /** Moves the clock forward, firing timers in order. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time does not run backwards: " + d);
    }
    lock.lock();
    try {
      Duration target = clock.plus(d);
      while (true) {
        Optional<Duration> a = scsi.nextDeadline();
        Optional<Duration> b = net.nextDeadline();
        Duration next = a.isPresent() && (b.isEmpty() || a.get().compareTo(b.get()) <= 0) ? a.orElse(null) : b.orElse(null);
        if (next == null || next.compareTo(target) > 0) {
          break;
        }
        clock = next.compareTo(clock) > 0 ? next : clock;
        scsi.onTime(clock);
        net.onTime();
      }
      clock = target;
      scsi.onTime(clock);
      net.onTime();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A write to an attribute of this kernel, the way {@code echo value > attribute} does it: the
   * path is followed through its symbolic links to the attribute, which acts on the value (one
   * trailing newline is ignored, as the kernel's handlers do).
   *
   * @throws AttributeWriteException with the kernel's errno: ENOENT for a missing file, EACCES for
   *     a read-only attribute, EISDIR for a directory, or what the attribute answers
   */
  @Override
  public void write(Path file, String hostPath, String value) {
    lock.lock();
    try {
      Path real;
      try {
        real = file.toRealPath();
      } catch (NoSuchFileException e) {
        throw fail(hostPath, value, KernelException.of(Errno.ENOENT), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!real.startsWith(realRoot)) {
        throw fail(hostPath, value, KernelException.of(Errno.EACCES, "outside the simulated root"), null);
      }
      String key = "/" + realRoot.relativize(real).toString();
      Tree.Attr a = tree.handler(key);
      if (a == null) {
        throw fail(hostPath, value, KernelException.of(Files.isDirectory(real) ? Errno.EISDIR : Errno.EACCES), null);
      }
      String v = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      try {
        a.write(v);
      } catch (KernelException e) {
        throw fail(hostPath, value, e, e);
      }
    } finally {
      lock.unlock();
    }
  }

  private AttributeWriteException fail(String hostPath, String value, KernelException k, Throwable cause) {
    String detail = k.coreErrno().isPresent() ? k.extack().orElse("") : k.errnoName() + " (" + k.strerror() + ")"
        + k.extack().map(x -> "; " + x).orElse("");
    return new AttributeWriteException(name.value(), hostPath, value, k.coreErrno().orElse(null), detail,
        cause == null ? k : cause);
  }

  // ------------------------------------------------------------------ package internals

  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  void sanChanged() {
    lock.lock();
    try {
      scsi.fabricChanged();
    } finally {
      lock.unlock();
    }
  }

  void diskRemoved(String disk) {
    // device-mapper keeps the tables that name it; Blocks has already cut the holder links
  }

  @Override
  public String toString() {
    return "SimulatedKernel[" + name + " at " + root + "]";
  }
}
