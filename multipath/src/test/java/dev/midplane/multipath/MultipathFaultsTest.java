package dev.midplane.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.AttributeWriter;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.StepOutcome;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.ScanAddress;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedScsi;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults at every step of create, grow and remove — a command that fails, one that times out, a
 * path that drops or a map that is opened in the middle, a kernel write that is refused, a daemon
 * that dies: each operation either completes or is refused or rolled back with an error that says
 * what happened, and never flushes a map in use, deletes a path of a live map, or shrinks a map.
 */
class MultipathFaultsTest extends OnASimulatedArray {
  /** Kernel writes made to fail or to do something first, per scenario. */
  final Attributes attributes = new Attributes();
  /** Paths deleted while a map held them: must stay empty. */
  final List<String> heldPathsDeleted = new ArrayList<>();

  /** An attribute writer in front of the kernel's, with one scripted fault. */
  static final class Attributes {
    Predicate<String> when = p -> false;
    int skip;
    Runnable before = () -> { };
    Errno refuse;
    /** Set while the test itself deletes a held path (a fault), which the watcher then excuses. */
    boolean deliberate;

    AttributeWriter wrap(AttributeWriter kernel) {
      return (file, hostPath, value) -> {
        if (when.test(hostPath) && skip-- == 0) {
          before.run();
          if (refuse != null) {
            throw new AttributeWriteException("blade1", hostPath, value, refuse, "injected", null);
          }
        }
        kernel.write(file, hostPath, value);
      };
    }
  }

  private Blades.Blade blade(boolean daemon) {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory, SimulatedMultipathTools.DEFAULT_VERSION, daemon,
        attributes::wrap);
    b.kernel.scsi().addListener(new SimulatedScsi.DiskListener() {
      @Override
      public void removed(SimulatedScsi.Disk d) {
        if (!d.holders().isEmpty() && !attributes.deliberate) {
          heldPathsDeleted.add(d.name() + " held by " + d.holders());
        }
      }
    });
    return b;
  }

  /** A blade that sees a 10 GiB LUN over four paths, with its map when {@code mapped}. */
  private Blades.Blade ready(boolean daemon, boolean mapped, Wwid[] lun) {
    Blades.Blade b = blade(daemon);
    lun[0] = Blades.presentedAndScanned(san, 10 * GIB, b);
    if (mapped) {
      b.multipath.create(WEB, lun[0]).call();
    }
    return b;
  }

  private static void cutFabricB(Blades.Blade b, SimulatedSan san) {
    san.cutPort(b.kernel.scsi().initiatorPorts().get(1));
  }

  /** What happened, for the assertions: completed, or the failure with its report. */
  private record Outcome(Optional<PlanFailedException> failure) {
    boolean completed() {
      return failure.isEmpty();
    }

    PlanReport report() {
      return failure.orElseThrow().report();
    }
  }

  private static Outcome attempt(Runnable op) {
    try {
      op.run();
      return new Outcome(Optional.empty());
    } catch (PlanFailedException e) {
      assertThat(e.getMessage()).as("the error says which step failed").contains("failed:");
      assertThat(e.report().steps()).anyMatch(s -> s.status() == StepOutcome.Status.FAILED);
      return new Outcome(Optional.of(e));
    }
  }

  // ------------------------------------------------------------------ create

  static Stream<Arguments> createFaults() {
    return Stream.of(
        fault("multipathd reconfigure exits 1", c -> c.b().runner.on("multipathd", "reconfigure")
            .fault(Fault.exit(1, "")).once()),
        fault("multipathd reconfigure times out", c -> c.b().runner.on("multipathd", "reconfigure")
            .fault(Fault.timeout()).once()),
        fault("every path is deleted just before the reload", c -> c.b().runner.on("multipathd", "reconfigure")
            .fault(Fault.sideEffectBefore("paths deleted", () -> deleteAll(c.b()))).once()),
        fault("multipathd dies just before the reload", c -> c.b().runner.on("multipathd", "reconfigure")
            .fault(Fault.sideEffectBefore("daemon dies", c.b().tools::stopDaemon)).once()),
        fault("fabric B is cut just before the reload", c -> c.b().runner.on("multipathd", "reconfigure")
            .fault(Fault.sideEffectBefore("fabric B cut", () -> cutFabricB(c.b(), c.san()))).once()));
  }

  private static Arguments fault(String name, Consumer<Ctx> inject) {
    return Arguments.of(name, inject);
  }

  /** What a scenario acts on: the blade, the array, the blade's attribute writes. */
  record Ctx(Blades.Blade b, SimulatedSan san, Attributes attributes) {
    /** The {@code skip}+1-th write matching {@code when} runs {@code before} first, then fails with {@code errno} (if any). */
    void onWrite(Predicate<String> when, int skip, Errno errno, Runnable before) {
      attributes.when = when;
      attributes.skip = skip;
      attributes.refuse = errno;
      attributes.before = before == null ? () -> { } : before;
    }

    /** Runs a fault that deletes a path a map holds: the test's doing, not the SDK's. */
    void deliberately(Runnable fault) {
      attributes.deliberate = true;
      try {
        fault.run();
      } finally {
        attributes.deliberate = false;
      }
    }
  }

  private static void deleteAll(Blades.Blade b) {
    for (ScsiPath p : b.storage().paths()) {
      Sysfs.on(b.kernel.host()).deleteEvenIfHeld(p.device());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createFaults")
  void createCompletesOrLeavesInventoryConfigAndMapsAsTheyWere(String name, Consumer<Ctx> inject)
      throws Exception {
    Wwid[] lun = new Wwid[1];
    Blades.Blade b = ready(true, false, lun);
    Path conf = b.kernel.root().resolve("etc/multipath.conf");
    Optional<String> confBefore = Files.exists(conf) ? Optional.of(Files.readString(conf)) : Optional.empty();
    inject.accept(new Ctx(b, san, attributes));

    Outcome o = attempt(() -> b.multipath.create(WEB, lun[0]).call());

    if (o.completed()) {
      assertThat(b.storage().multipathMap("vm-web01")).isPresent();
      assertThat(b.multipath.inventory().find(lun[0])).isPresent();
    } else {
      assertThat(b.storage().multipathMaps()).as(name).isEmpty();
      assertThat(b.multipath.inventory().find(lun[0])).as("the inventory is as it was").isEmpty();
      assertThat(Files.exists(conf) ? Optional.of(Files.readString(conf)) : Optional.empty())
          .as("multipath.conf is as it was").isEqualTo(confBefore);
    }
    if (name.contains("exits") || name.contains("times out") || name.contains("deleted")) {
      assertThat(o.completed()).as(name).isFalse();
      assertThat(o.report().rolledBackCleanly()).isTrue();
    }
    if (name.contains("dies")) {
      // putting the file back worked; telling the dead daemon did not, and the report says so
      assertThat(o.report().rolledBackCleanly()).isFalse();
      assertThat(o.report().steps()).anyMatch(s -> s.status() == StepOutcome.Status.UNDO_FAILED);
    }
    if (name.contains("fabric")) {
      assertThat(o.completed()).as("two paths are enough to make the map").isTrue();
      assertThat(b.multipath.device(WEB).status().upPaths()).hasSize(2);
    }
    assertThat(heldPathsDeleted).isEmpty();
  }

  // ------------------------------------------------------------------ resize

  static Stream<Arguments> resizeFaults() {
    return Stream.of(
        fault("multipathd resize map fails", c -> c.b().runner.on("multipathd", "resize").fault(Fault.exit(1, "")).once()),
        fault("multipathd resize map times out", c -> c.b().runner.on("multipathd", "resize").fault(Fault.timeout()).once()),
        fault("fabric B is cut after the rescans", c -> c.b().runner.on("multipath", "-ll", "vm-web01")
            .fault(Fault.sideEffectBefore("fabric B cut", () -> cutFabricB(c.b(), c.san()))).afterMatches(1).once()),
        fault("fabric B is cut just before the resize", c -> c.b().runner.on("multipathd", "resize")
            .fault(Fault.sideEffectBefore("fabric B cut", () -> cutFabricB(c.b(), c.san()))).once()),
        fault("the LUN grows again and only one path sees it", c -> c.b().runner.on("multipath", "-ll", "vm-web01")
            .fault(Fault.sideEffectBefore("grown again", () -> {
              c.san().grow(c.b().kernel.scsi().disks().get(0).wwid(), 30 * GIB);
              Sysfs.on(c.b().kernel.host()).rescan(BlockDeviceName.of("sda"));
            })).afterMatches(1).once()),
        fault("a path is deleted after the rescans", c -> c.b().runner.on("multipath", "-ll", "vm-web01")
            .fault(Fault.sideEffectBefore("sdd deleted", () -> c.deliberately(() -> Sysfs.on(c.b().kernel.host())
                .deleteEvenIfHeld(BlockDeviceName.of("sdd"))))).afterMatches(1).once()),
        fault("a rescan write is refused", c -> c.onWrite(p -> p.endsWith("/device/rescan"), 2, Errno.EIO, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resizeFaults")
  void growCompletesOrLeavesTheMapAsItWasNeverSmaller(String name, Consumer<Ctx> inject) {
    Wwid[] lun = new Wwid[1];
    Blades.Blade b = ready(true, true, lun);
    san.grow(lun[0], 20 * GIB);
    inject.accept(new Ctx(b, san, attributes));

    Outcome o = attempt(() -> b.multipath.device(WEB).resize().call());

    long size = b.mapSize("vm-web01");
    assertThat(size).as(name).isIn(10 * GIB, 20 * GIB);
    assertThat(b.kernel.deviceMapper().device("vm-web01").orElseThrow().suspended()).isFalse();
    if (o.completed()) {
      assertThat(size).isEqualTo(20 * GIB);
    } else {
      assertThat(size).isEqualTo(10 * GIB);
    }
    if (name.contains("after the rescans") || name.contains("only one path") || name.contains("deleted")) {
      assertThat(o.report().failure().orElseThrow()).as(name).isInstanceOf(UnsafeOperationException.class);
    }
    if (name.contains("only one path")) {
      assertThat(o.report().failure().orElseThrow()).hasMessageContaining("the paths report different sizes")
          .hasMessageContaining("sda (").hasMessageContaining("=" + 30 * GIB);
    }
    if (name.contains("just before the resize")) {
      assertThat(o.completed()).as("the paths still up carry the new size").isTrue();
    }
    if (name.contains("fails") || name.contains("times out") || name.contains("refused")) {
      assertThat(o.completed()).isFalse();
    }
    assertThat(heldPathsDeleted).isEmpty();
  }

  static Stream<Arguments> commandResizeFaults() {
    return Stream.of(
        fault("dmsetup suspend times out", c -> c.b().runner.on("dmsetup", "suspend").fault(Fault.timeout()).once()),
        fault("dmsetup reload fails", c -> c.b().runner.on("dmsetup", "reload")
            .fault(Fault.exit(1, "device-mapper: reload ioctl on vm-web01  failed: Invalid argument\nCommand failed.")).once()),
        fault("dmsetup resume fails", c -> c.b().runner.on("dmsetup", "resume").fault(Fault.exit(1, "Command failed.")).once()));
  }

  @ParameterizedTest(name = "without multipathd: {0}")
  @MethodSource("commandResizeFaults")
  void growWithoutADaemonIsUndoneStepByStep(String name, Consumer<Ctx> inject) {
    Wwid[] lun = new Wwid[1];
    Blades.Blade b = ready(false, true, lun);
    san.grow(lun[0], 20 * GIB);
    inject.accept(new Ctx(b, san, attributes));

    Outcome o = attempt(() -> b.multipath.device(WEB).resize().call());

    assertThat(o.completed()).isFalse();
    assertThat(o.report().rolledBackCleanly()).as(o.report().toString()).isTrue();
    assertThat(b.mapSize("vm-web01")).isEqualTo(10 * GIB);
    assertThat(b.kernel.deviceMapper().device("vm-web01").orElseThrow().suspended()).as("resumed again").isFalse();
    assertThat(b.kernel.deviceMapper().device("vm-web01").orElseThrow().inactiveTable()).as("reload cleared").isEmpty();
  }

  // ------------------------------------------------------------------ remove

  static Stream<Arguments> removeFaults() {
    return Stream.of(
        fault("multipath -f fails: map in use", c -> c.b().runner.on("multipath", "-f")
            .fault(Fault.exit(1, "vm-web01: map in use")).once()),
        fault("multipath -f times out", c -> c.b().runner.on("multipath", "-f").fault(Fault.timeout()).once()),
        fault("a VM opens the map just before the flush", c -> c.b().runner.on("multipath", "-f")
            .fault(Fault.sideEffectBefore("VM starts", () -> c.b().kernel.deviceMapper().open("vm-web01"))).once()),
        fault("the third path delete is refused", c -> c.onWrite(p -> p.endsWith("/device/delete"), 2, Errno.EIO, null)),
        fault("paths come back while the last is deleted", c -> c.onWrite(p -> p.endsWith("/device/delete"), 3, null,
            () -> List.of(1, 2).forEach(h -> Sysfs.on(c.b().kernel.host()).scan(h, ScanAddress.ALL)))),
        fault("the third delete is refused and re-making the map fails", c -> {
          c.onWrite(p -> p.endsWith("/device/delete"), 2, Errno.EIO, null);
          c.b().runner.on("multipath", c.b().kernel.scsi().disks().get(0).wwid().value()).fault(Fault.exit(1, "")).once();
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("removeFaults")
  void removeCompletesOrPutsPathsAndMapBack(String name, Consumer<Ctx> inject) {
    Wwid[] lun = new Wwid[1];
    Blades.Blade b = ready(true, true, lun);
    inject.accept(new Ctx(b, san, attributes));
    Outcome o = attempt(() -> b.multipath.device(WEB).remove().call());

    List<ScsiPath> left = b.storage().pathsTo(lun[0]);
    if (o.completed()) {
      assertThat(b.storage().multipathMaps()).isEmpty();
      assertThat(left).isEmpty();
    } else if (name.contains("re-making the map fails")) {
      assertThat(o.report().rolledBackCleanly()).isFalse();
      assertThat(left).as("the paths are scanned back").hasSize(4);
      assertThat(b.storage().multipathMaps()).as("the map could not be made again, and the report says so").isEmpty();
    } else {
      assertThat(b.storage().multipathMap("vm-web01")).as(name).isPresent();
      assertThat(left).as("every path is back").hasSize(4);
      assertThat(b.multipath.device(WEB).status().paths()).hasSize(4);
    }
    if (name.contains("opens")) {
      assertThat(o.completed()).isFalse();
      assertThat(o.report().failure().orElseThrow()).hasMessageContaining("map in use");
      assertThat(b.kernel.deviceMapper().device("vm-web01").orElseThrow().openCount()).isEqualTo(1);
    }
    if (!name.contains("come back")) {
      assertThat(o.completed()).as(name).isFalse();
    } else {
      assertThat(o.report().failure().orElseThrow()).hasMessageContaining("came back");
    }
    assertThat(heldPathsDeleted).as("no path was deleted while a map held it").isEmpty();
  }
}
