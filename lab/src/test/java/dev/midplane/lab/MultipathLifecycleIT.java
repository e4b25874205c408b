package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.MultipathDevice;
import dev.midplane.multipath.MultipathDeviceStatus;
import dev.midplane.multipath.ScanCommand;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedScsiDebug;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
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
 * The multipath lifecycle of one LUN on the real kernel, driven through {@link Multipath}: the
 * scsi_debug LUN on two SCSI hosts gets its map {@code vm-test} from the inventory's
 * {@code multipath.conf} with a real multipathd; the LUN grows ({@code virtual_gb}) and the map is
 * resized; a path is deleted (the map is degraded) and scanned back; the map is removed with its
 * paths. Each step is repeated on the simulated kernel (the {@link SimulatedScsiDebug#lab()}
 * preset with the simulated multipath-tools) and compared.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultipathLifecycleIT {
  static final Wwid LUN = MultipathGuest.LUN;
  static final MultipathAlias ALIAS = MultipathGuest.ALIAS;
  static final long SIZE = 64L << 20;
  static final long GROWN = 1L << 30;
  static final String VIRTUAL_GB = "/sys/bus/pseudo/drivers/scsi_debug/virtual_gb";
  static final Duration SETTLE = MultipathGuest.SETTLE;

  private final Fidelity fidelity = new Fidelity("multipath lifecycle");
  private Host real;
  private MultipathGuest guest;
  private Multipath realMp;
  private SimulatedKernel sim;
  private Multipath simMp;

  @BeforeAll
  void aLunOnTwoScsiHostsAndMultipathd(Host host, @TempDir Path dir) {
    real = host;
    guest = timed("setup: modules, scsi_debug, multipath.conf, multipathd",
        () -> MultipathGuest.prepare(host, dir.resolve("real/luns")));
    realMp = guest.multipath();

    sim = SimulatedScsiDebug.lab().boot(dir.resolve("sim"), HostName.of("lab-sim"));
    SimulatedMultipathTools tools = SimulatedMultipathTools.on(sim).daemonRunning(false).install();
    simMp = Multipath.on(sim.host()).withInventory(dir.resolve("sim/luns")).withDeadline(Duration.ofSeconds(5))
        .withSettleTime(Duration.ZERO);
    simMp.configure().apply();
    tools.startDaemon();
  }

  @AfterAll
  void stopTheDaemon() {
    if (guest != null) {
      guest.stop();
    }
    fidelity.verify();
  }

  @Test
  @Order(1)
  void createMakesTheMapWithItsAlias() {
    assertThat(realMp.mode()).isEqualTo(Multipath.Mode.MULTIPATHD);
    assertThat(realMp.devices()).as("every WWID is blacklisted so far").isEmpty();

    MultipathDevice dev = timed("create", () -> realMp.create(ALIAS, LUN).call());
    MultipathDeviceStatus s = dev.status();
    assertThat(s.alias()).contains(ALIAS);
    assertThat(s.wwid()).isEqualTo(LUN);
    assertThat(s.sizeBytes()).isEqualTo(SIZE);
    assertThat(s.paths()).hasSize(2).allSatisfy(p -> assertThat(p.isUp()).as(p.toString()).isTrue());
    assertThat(s.isDegraded()).isFalse();
    assertThat(s.isOpen()).isFalse();
    assertThat(LabExtension.read(real, "/etc/multipath.conf")).contains("vm-test").contains(LUN.value());
    assertThat(real.path("/dev/mapper/vm-test")).exists();
    assertThat(realMp.create(ALIAS, LUN).plan().isEmpty()).as("creating it again changes nothing").isTrue();

    MultipathDeviceStatus simulated = simMp.create(ALIAS, LUN).call().status();
    fidelity.compare("create: the map", view(s), view(simulated));
  }

  @Test
  @Order(2)
  void anOpenMapIsNotRemoved() throws Exception {
    // a process of the guest holds the map open, as a running VM does
    try (AutoCloseable open = guest.holdOpen()) {
      assertThat(realMp.device(ALIAS).status().openCount()).isEqualTo(1);
      assertThatThrownBy(() -> realMp.device(ALIAS).remove().call()).isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("vm-test is open (1 opener(s)");
      assertThat(realMp.device(ALIAS).exists()).isTrue();

      sim.deviceMapper().open(ALIAS.value());
      try {
        fidelity.compare("an open map: the refusal", refusal(() -> realMp.device(ALIAS).remove().plan()),
            refusal(() -> simMp.device(ALIAS).remove().plan()));
      } finally {
        sim.deviceMapper().close(ALIAS.value());
      }
    }
    assertThat(realMp.device(ALIAS).status().isOpen()).isFalse();
  }

  /** The reasons of a refusal, without the host's name. */
  private static List<String> refusal(Runnable action) {
    try {
      action.run();
      return List.of("not refused");
    } catch (UnsafeOperationException e) {
      return e.reasons();
    }
  }

  @Test
  @Order(3)
  void theLunGrowsAndResizeGrowsTheMap() {
    real.writeAttribute(VIRTUAL_GB, "1");
    MultipathDevice dev = realMp.device(ALIAS);
    assertThat(dev.status().sizeBytes()).as("the map keeps its size until resized").isEqualTo(SIZE);
    MultipathDeviceStatus grown = timed("resize", () -> dev.resize().call());
    assertThat(grown.sizeBytes()).isEqualTo(GROWN);
    assertThat(grown.scsiPaths()).extracting(ScsiPath::sizeBytes).containsOnly(GROWN);
    assertThat(grown.paths()).hasSize(2).allSatisfy(p -> assertThat(p.isUp()).isTrue());
    assertThat(realMp.deviceMapper().table(grown.name()).lengthBytes()).isEqualTo(GROWN);

    sim.host().writeAttribute(VIRTUAL_GB, "1");
    MultipathDeviceStatus simulated = simMp.device(ALIAS).resize().call();
    fidelity.compare("resize: the grown map", view(grown), view(simulated));
  }

  @Test
  @Order(4)
  void aDeletedPathLeavesTheMapDegradedAndAScanBringsItBack() {
    ScsiPath last = last(real);
    timed("delete a path", () -> {
      // the path vanishes under the map, as when its port is lost: the SDK's safe delete refuses a held device
      assertThatThrownBy(() -> Sysfs.on(real).delete(last.device())).isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("held by dm-");
      Sysfs.on(real).deleteEvenIfHeld(last.device());
      return null;
    });
    MultipathDeviceStatus degraded = Poll.until("the map down to one path", SETTLE, Poll.REAL_TIME,
        () -> realMp.device(ALIAS).status(), s -> s.paths().size() == 1 && s.scsiPaths().size() == 1);
    assertThat(degraded.isDegraded()).isTrue();
    assertThat(degraded.upPaths()).hasSize(1);
    assertThat(degraded.paths()).noneMatch(p -> p.device().equals(java.util.Optional.of(last.device())));

    ScsiPath simLast = last(sim.host());
    Sysfs.on(sim.host()).deleteEvenIfHeld(simLast.device());
    MultipathDeviceStatus simDegraded = Poll.until("the simulated map down to one path", Duration.ofSeconds(10),
        () -> sim.advance(Duration.ofMillis(100)), () -> simMp.device(ALIAS).status(), s -> s.paths().size() == 1);
    fidelity.compare("delete a path: the degraded map", view(degraded), view(simDegraded));

    ScanCommand.Report scanned = timed("scan the path back",
        () -> realMp.scan().hosts(last.hctl().host()).call());
    assertThat(scanned.newPaths()).extracting(ScsiPath::hctl).containsExactly(last.hctl());
    assertThat(scanned.mapsMade()).as("the map exists already").isEmpty();
    MultipathDeviceStatus whole = Poll.until("the path back in the map", SETTLE, Poll.REAL_TIME,
        () -> realMp.device(ALIAS).status(), s -> s.upPaths().size() == 2);
    assertThat(whole.isDegraded()).isFalse();
    assertThat(whole.sizeBytes()).isEqualTo(GROWN);

    simMp.scan().hosts(simLast.hctl().host()).call();
    MultipathDeviceStatus simWhole = Poll.until("the simulated path back in the map", Duration.ofSeconds(10),
        () -> sim.advance(Duration.ofMillis(100)), () -> simMp.device(ALIAS).status(), s -> s.upPaths().size() == 2);
    fidelity.compare("scan: the path back in the map", view(whole), view(simWhole));
  }

  @Test
  @Order(5)
  void removeLeavesNothingBehind() {
    MultipathDevice dev = realMp.device(ALIAS);
    timed("remove", () -> dev.remove().call());
    assertThat(dev.exists()).isFalse();
    Topology t = storage(real);
    assertThat(t.pathsTo(LUN)).isEmpty();
    assertThat(t.multipathMaps()).isEmpty();
    assertThat(real.path("/dev/mapper/vm-test")).doesNotExist();
    assertThat(realMp.tools().mapNames()).isEmpty();
    assertThat(realMp.inventory().find(LUN)).as("the inventory keeps the LUN").isPresent();

    simMp.device(ALIAS).remove().call();
    Topology s = storage(sim.host());
    fidelity.compare("remove: what is left", List.of(t.paths().size(), t.multipathMaps().size(), t.dmDevices().size()),
        List.of(s.paths().size(), s.multipathMaps().size(), s.dmDevices().size()));
  }

  /** What both kernels should agree on about a map. */
  private static Map<String, Object> view(MultipathDeviceStatus s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", s.name().value());
    v.put("wwid", s.wwid().value());
    v.put("size", s.sizeBytes());
    v.put("features", s.features());
    v.put("hardware handler", s.hardwareHandler());
    v.put("groups", s.pathGroups().stream().map(MultipathLifecycleIT::group).toList());
    v.put("open", s.openCount());
    v.put("degraded", s.isDegraded());
    v.put("scsi paths", s.scsiPaths().size());
    return v;
  }

  private static String group(PathGroup g) {
    return (g.priority().isPresent() ? "prio " + g.priority().getAsInt() : "prio ?") + ": "
        + g.paths().stream().map(MultipathLifecycleIT::path).toList();
  }

  private static String path(MultipathPath p) {
    return p.hctl().map(Object::toString).orElse("?") + " "
        + p.dmState() + "/" + p.checkerState();
  }

  private static ScsiPath last(Host host) {
    return storage(host).pathsTo(LUN).stream().max(Comparator.comparing(ScsiPath::hctl)).orElseThrow();
  }

  private static Topology storage(Host host) {
    return Sysfs.on(host).discover().network(false).call();
  }

  /** Runs a step on the real kernel and records how long it took in the lab's timings. */
  private static <T> T timed(String step, Supplier<T> action) {
    long t0 = System.nanoTime();
    T result = action.get();
    LabExtension.record(String.format(Locale.ROOT, "MultipathLifecycleIT %s %.2f s", step, (System.nanoTime() - t0) / 1e9));
    return result;
  }
}
