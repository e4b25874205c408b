package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.WwidSource;
import dev.midplane.sysfs.Wwn;
import dev.midplane.ssh.FileAccess;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.sysfs.sim.SimulatedScsi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One LUN on two SCSI hosts (scsi_debug) in the real kernel, discovered over SSH with the sysfs
 * module; a path deleted and scanned back through its API; refused writes and their errnos. Each
 * step is repeated on the simulated kernel (the same LUN behind two FC HBAs, one target port
 * each) and compared.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScsiPathsIT {
  /** What multipath calls scsi_debug's LUN: udev's ID_SERIAL, a T10 vendor-id designator. */
  static final Wwid LUN = Wwid.of("1Linux_scsi_debug_2000");
  /** The same LUN as the kernel's sysfs {@code wwid} spells it (VPD page 0x83, NAA). */
  static final String SYSFS_WWID = "naa.33333330000007d0";
  static final long SIZE = 64L << 20;
  static final Duration SETTLE = Duration.ofSeconds(60);

  private final Fidelity fidelity = new Fidelity("scsi paths");
  private Host real;
  private SimulatedKernel sim;
  /** The path that is deleted and scanned back, on each kernel. */
  private Hctl realGone;
  private Hctl simGone;

  @BeforeAll
  void presentOneLunOnTwoPaths(Host host, @TempDir Path simRoot) {
    real = host;
    SimulatedSan san = SimulatedSan.builder().identity("Linux", "scsi_debug", "0191")
        .targetPort(new Wwn(0x2100001b32aa0001L), "A", Optional.empty())
        .targetPort(new Wwn(0x2100001b32bb0001L), "B", Optional.empty())
        .build();
    san.createLun(LUN, SYSFS_WWID, SIZE);
    sim = SimulatedKernel.create(simRoot, HostName.of("lab-sim"), san);
    sim.scsi().addFcHba("A");
    sim.scsi().addFcHba("B");
    san.present(LUN, sim.scsi().initiatorPorts());
    // A LUN mapped after the HBAs logged in shows after a scan, as loading scsi_debug scans its hosts.
    for (int h : sim.scsi().hbas().stream().map(SimulatedScsi.Hba::hostNumber).toList()) {
      Sysfs.on(sim.host()).scan(h);
    }
  }

  @AfterAll
  void tally() {
    fidelity.verify();
  }

  /**
   * Before any SCSI device handler is loaded, the kernel has an {@code access_state} attribute it
   * cannot read (EINVAL): a host without multipath's ALUA handler looks like this. Afterwards the
   * LUN is presented again with {@code scsi_dh_alua} loaded, as on a host running multipath.
   */
  @Test
  @Order(0)
  void withoutADeviceHandlerAccessStateCannotBeRead() {
    loadScsiDebug();
    List<String> disks = list(real, "/sys/block").stream().filter(x -> x.startsWith("sd")).toList();
    assertThat(disks).hasSize(2);
    for (String sd : disks) {
      CommandResult r = real.run(Command.of("cat", "/sys/block/" + sd + "/device/access_state"));
      assertThat(r.exitCode()).isNotZero();
      assertThat(Errno.fromMessage(r.stderr())).hasValue(Errno.EINVAL);
    }
    fidelity.compare("discovery with no device handler loaded", view(storage(real)), view(storage(sim.host())));

    real.execute(Command.builder("rmmod", "scsi_debug").timeout(Duration.ofSeconds(60)).build());
    real.execute(Command.builder("modprobe", "scsi_dh_alua").timeout(Duration.ofSeconds(60)).build());
    loadScsiDebug();
  }

  private void loadScsiDebug() {
    real.execute(Command.builder("modprobe", "scsi_debug", "add_host=2", "num_tgts=1", "max_luns=1",
        "dev_size_mb=64", "vpd_use_hostno=0").timeout(Duration.ofSeconds(60)).build());
    real.execute(Command.builder("udevadm", "settle", "--timeout=60").timeout(Duration.ofSeconds(70)).build());
  }

  @Test
  @Order(1)
  void oneLunOnTwoHostsCarriesTheWwidMultipathUses() {
    Topology t = Poll.until("two scsi_debug paths with udev's ID_SERIAL", SETTLE, Poll.REAL_TIME,
        () -> storage(real), x -> x.pathsTo(LUN).size() == 2);

    List<ScsiPath> paths = t.pathsTo(LUN);
    assertThat(t.paths()).hasSize(2);
    assertThat(paths).allSatisfy(p -> {
      assertThat(p.wwidSource()).hasValue(WwidSource.UDEV_ID_SERIAL);
      assertThat(p.vendor()).isEqualTo("Linux");
      assertThat(p.model()).isEqualTo("scsi_debug");
      assertThat(p.sizeBytes()).isEqualTo(SIZE);
      assertThat(p.isRunning()).isTrue();
    });
    assertThat(paths.stream().map(p -> p.hctl().host()).distinct()).hasSize(2);
    for (ScsiPath p : paths) {
      assertThat(t.scsiHost(p.hctl().host())).hasValueSatisfying(h -> assertThat(h.procName()).isEqualTo("scsi_debug"));
      // The kernel's own wwid attribute names the LUN differently; multipath does not use it.
      String sysfs = LabExtension.read(real, "/sys/block/" + p.device().value() + "/device/wwid");
      assertThat(sysfs).isEqualTo(SYSFS_WWID);
      assertThat(Wwid.fromSysfs(sysfs)).isNotEqualTo(LUN);
    }
    // multipath's own derivation, path by path.
    CommandResult mp = real.run(Command.builder("multipath", "-d", "-v3").timeout(Duration.ofSeconds(60)).build());
    for (ScsiPath p : paths) {
      assertThat(mp.stdout() + mp.stderr()).contains(p.device().value() + ": uid = " + LUN + " (udev)");
    }

    fidelity.compare("discovery of one LUN on two paths", view(t), view(storage(sim.host())));
  }

  @Test
  @Order(2)
  void deletingOnePathThroughSysfsLeavesTheOther() {
    realGone = deleteLastPath(real, Poll.REAL_TIME);
    Topology t = storage(real);
    assertThat(t.pathsTo(LUN)).singleElement().satisfies(p -> assertThat(p.hctl().host()).isNotEqualTo(realGone.host()));
    assertThat(t.path(realGone)).isEmpty();

    simGone = deleteLastPath(sim.host(), () -> sim.advance(Duration.ofMillis(100)));
    fidelity.compare("delete a path: what is left", view(t), view(storage(sim.host())));
  }

  @Test
  @Order(3)
  void scanningTheHostBringsThePathBackAtItsAddress() {
    Sysfs.on(real).scan(realGone.host());
    Topology t = Poll.until("path " + realGone + " back", SETTLE, Poll.REAL_TIME, () -> storage(real),
        x -> x.path(realGone).flatMap(ScsiPath::wwid).filter(LUN::equals).isPresent() && x.pathsTo(LUN).size() == 2);
    assertThat(t.path(realGone)).hasValueSatisfying(p -> assertThat(p.isRunning()).isTrue());

    Sysfs.on(sim.host()).scan(simGone.host());
    Topology s = Poll.until("simulated path back", Duration.ofSeconds(10), () -> sim.advance(Duration.ofMillis(100)),
        () -> storage(sim.host()), x -> x.pathsTo(LUN).size() == 2);
    fidelity.compare("scan the host: the path is back", view(t), view(s));
    fidelity.compare("scan the host: at the same address", t.path(realGone).isPresent(), s.path(simGone).isPresent());
  }

  @Test
  @Order(4)
  void writesTheKernelRefusesComeBackWithItsErrno() {
    Map<String, String> realSdk = new LinkedHashMap<>();
    Map<String, String> realShell = new LinkedHashMap<>();
    Map<String, String> simSdk = new LinkedHashMap<>();
    Topology realTopology = storage(real);
    Topology simTopology = storage(sim.host());
    for (BadWrite w : badWrites()) {
      String path = w.path(realTopology);
      realSdk.put(w.what, Refusal.of(() -> real.writeAttribute(path, w.value)));
      realShell.put(w.what, shellWrite(real, path, w.value));
      String simPath = w.path(simTopology);
      simSdk.put(w.what, Refusal.of(() -> sim.host().writeAttribute(simPath, w.value)));
    }

    // What the SDK reports is what the kernel told the guest's own shell.
    assertThat(realSdk).isEqualTo(realShell);
    assertThat(realSdk).containsEntry("rescan a disk", "ok")
        .containsEntry("unknown device state", "EINVAL")
        .containsEntry("scan address with two words", "EINVAL")
        .containsEntry("scan a channel the host lacks", "EINVAL")
        .containsEntry("write a read-only attribute", "EACCES")
        .containsEntry("scan a host that does not exist", "ENOENT")
        .containsEntry("write to a directory", "EISDIR");
    realSdk.forEach((what, errno) -> fidelity.compare("refused write: " + what, errno, simSdk.get(what)));
  }

  /**
   * The same discovery through the ssh module's SFTP file access (OpenSSH's sftp-server, which the
   * image carries, linked where dropbear looks for it) as through its command fallback.
   */
  @Test
  @Order(5)
  void discoveryOverSftpSeesWhatTheCommandFallbackSees(Guest guest) {
    real.execute("ln", "-sf", "/usr/lib/openssh/sftp-server", "/usr/lib/sftp-server");
    try (Host sftp = guest.sshTarget().fileAccess(FileAccess.SFTP).connect();
         Host commands = guest.sshTarget().fileAccess(FileAccess.COMMANDS).connect()) {
      long t0 = System.nanoTime();
      Topology overSftp = storage(sftp);
      long t1 = System.nanoTime();
      Topology overCommands = storage(commands);
      long t2 = System.nanoTime();
      LabExtension.record(String.format(java.util.Locale.ROOT,
          "ScsiPathsIT storage discovery %.2f s over SFTP, %.2f s over commands (%d file operations)",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, overCommands.stats().operations()));

      assertThat(overSftp.paths()).isEqualTo(overCommands.paths()).hasSize(2);
      assertThat(overSftp.scsiHosts()).isEqualTo(overCommands.scsiHosts());
      assertThat(overSftp.skipped()).isEqualTo(overCommands.skipped());
    } finally {
      real.execute("rm", "-f", "/usr/lib/sftp-server");
    }
  }

  /** One write a kernel should refuse (or, for contrast, accept); paths name the first path's disk and host. */
  private record BadWrite(String what, String template, String value) {
    String path(Topology t) {
      ScsiPath p = t.pathsTo(LUN).get(0);
      return template.replace("%sd", p.device().value()).replace("%h", Integer.toString(p.hctl().host()));
    }
  }

  private static List<BadWrite> badWrites() {
    return List.of(
        new BadWrite("rescan a disk", "/sys/block/%sd/device/rescan", "1"),
        new BadWrite("unknown device state", "/sys/block/%sd/device/state", "bogus"),
        new BadWrite("scan address with two words", "/sys/class/scsi_host/host%h/scan", "- -"),
        new BadWrite("scan a channel the host lacks", "/sys/class/scsi_host/host%h/scan", "7 0 0"),
        new BadWrite("write a read-only attribute", "/sys/block/%sd/size", "1"),
        new BadWrite("scan a host that does not exist", "/sys/class/scsi_host/host77/scan", "- - -"),
        new BadWrite("write to a directory", "/sys/block/%sd/device", "1"));
  }

  /** The same write by the guest's own shell; the errno read from the strerror text it prints. */
  private static String shellWrite(Host host, String path, String value) {
    CommandResult r = host.run(Command.builder("bash", "-c", "printf %s \"$1\" > \"$2\"", "bash", value, path)
        .timeout(Duration.ofSeconds(30)).build());
    if (r.isSuccess()) {
      return "ok";
    }
    return Errno.fromMessage(r.stderr()).map(Enum::name).orElseGet(() -> r.stderr().contains("Directory not empty")
        ? "ENOTEMPTY" : "unrecognised: " + r.stderr().strip());
  }

  /** Deletes the path with the highest address to the LUN and waits until it is gone; returns its address. */
  private static Hctl deleteLastPath(Host host, Runnable tick) {
    ScsiPath last = storage(host).pathsTo(LUN).stream().max(Comparator.comparing(ScsiPath::hctl)).orElseThrow();
    Sysfs.on(host).delete(last.device());
    Poll.until("path " + last.hctl() + " gone", SETTLE, tick, () -> storage(host), t -> t.path(last.hctl()).isEmpty());
    return last.hctl();
  }

  private static Topology storage(Host host) {
    return Sysfs.on(host).discover().network(false).call();
  }

  private static List<String> list(Host host, String dir) {
    try (var s = Files.list(host.path(dir))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What both kernels should agree on, whatever the transport (FC in the simulation, pseudo bus here). */
  private static Map<String, Object> view(Topology t) {
    List<ScsiPath> paths = t.pathsTo(LUN);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("paths", t.paths().size());
    v.put("paths to the LUN", paths.size());
    v.put("wwid sources", set(paths.stream().map(p -> p.wwidSource().map(Enum::name).orElse("none"))));
    v.put("sizes", set(paths.stream().map(p -> Long.toString(p.sizeBytes()))));
    v.put("inquiry", set(paths.stream().map(p -> p.vendor() + "/" + p.model())));
    v.put("states", set(paths.stream().map(ScsiPath::state)));
    v.put("SCSI hosts used", paths.stream().map(p -> p.hctl().host()).distinct().count());
    return v;
  }

  private static Set<String> set(java.util.stream.Stream<String> s) {
    return s.collect(Collectors.toCollection(TreeSet::new));
  }
}
