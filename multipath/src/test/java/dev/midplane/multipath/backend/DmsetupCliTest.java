package dev.midplane.multipath.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.sysfs.DevNumber;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dmsetup backend builds exact argv lists and reads the real outputs. */
class DmsetupCliTest {
  private static final MapName VM_TEST = MapName.of(MultipathAlias.of("vm-test"));
  /** dmsetup's words for a missing device (device-mapper 1.02; written by hand, no capture of it exists here). */
  private static final Reply NO_SUCH_DEVICE = Reply.fail(1, "Device does not exist.\nCommand failed.");
  private final RecordingRunner runner = RecordingRunner.scripted();
  private final DeviceMapper dm = DeviceMapper.dmsetup(Captures.host(runner), Duration.ofSeconds(20));

  @Test
  void listingAndTree() {
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-ls.txt")));
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-ls-after-teardown.txt")));
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-ls-tree.txt")));

    assertThat(dm.multipathMaps()).singleElement().satisfies(d -> assertThat(d.number()).hasValue(new DevNumber(254, 0)));
    assertThat(dm.multipathMaps()).isEmpty();
    assertThat(dm.tree().get(0).children()).hasSize(2);
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("dmsetup", "ls", "--target", "multipath"), List.of("dmsetup", "ls", "--target", "multipath"),
        List.of("dmsetup", "ls", "--tree"));
    assertThat(runner.commands()).allSatisfy(c -> assertThat(c.timeout()).hasValue(Duration.ofSeconds(20)));
  }

  @Test
  void infoOfAMapOrNothing() {
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-info-c.txt")));
    assertThat(dm.info(VM_TEST)).hasValueSatisfying(i -> {
      assertThat(i.openCount()).isZero();
      assertThat(i.isMultipath()).isTrue();
    });
    assertThat(runner.takeCommand().argv()).containsExactly("dmsetup", "info", "-c", "vm-test");

    runner.enqueue(NO_SUCH_DEVICE);
    assertThat(dm.info(VM_TEST)).isEmpty();

    runner.enqueue(Reply.fail(1, "/dev/mapper/control: open failed: No such device\nFailure to communicate with kernel device-mapper driver."));
    assertThatThrownBy(() -> dm.info(VM_TEST)).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("Failure to communicate with kernel device-mapper driver");

    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-info-c.txt").replace("vm-test ", "vm-else ")));
    assertThatThrownBy(() -> dm.info(VM_TEST)).isInstanceOf(MultipathParseException.class).hasMessageContaining("[vm-else]");
  }

  @Test
  void tableStatusAndDependencies() {
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-table-resized.txt")));
    runner.enqueue(Reply.ok(Captures.text("dm/dmsetup-status-path-failed.txt")));
    runner.enqueue(Reply.ok("2 dependencies\t: (8, 0) (8, 16)\n"));

    DmTarget table = dm.table(VM_TEST);
    assertThat(table.lengthBytes()).isEqualTo(1L << 30);
    assertThat(table.multipathTable().devices()).containsExactly(new DevNumber(8, 16), new DevNumber(8, 0));
    assertThat(dm.status(VM_TEST).activePaths()).hasSize(1);
    assertThat(dm.dependencies(VM_TEST)).containsExactly(new DevNumber(8, 0), new DevNumber(8, 16));
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("dmsetup", "table", "vm-test"), List.of("dmsetup", "status", "vm-test"), List.of("dmsetup", "deps", "vm-test"));

    runner.enqueue(Reply.ok("0 2097152 linear 8:0 0\n"));
    assertThatThrownBy(() -> dm.table(VM_TEST)).isInstanceOf(MultipathParseException.class).hasMessageContaining("type linear");
  }

  @Test
  void theSuspendReloadResumeOfTheLab() {
    runner.on("dmsetup").reply(Reply.ok(""));
    DmTarget grown = new DmTarget(0, 2097152, "multipath",
        "0 1 alua 2 1 service-time 0 1 2 8:0 1 1 service-time 0 1 2 8:16 1 1");

    dm.suspend(VM_TEST);
    dm.reload(VM_TEST, grown);
    dm.resume(VM_TEST);
    dm.remove(VM_TEST);

    // The lab ran: dmsetup reload vm-test --table 0 2097152 multipath 0 1 alua 2 1 service-time 0 1 2 8:0 1 1 service-time 0 1 2 8:16 1 1
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("dmsetup", "suspend", "vm-test"),
        List.of("dmsetup", "reload", "vm-test", "--table",
            "0 2097152 multipath 0 1 alua 2 1 service-time 0 1 2 8:0 1 1 service-time 0 1 2 8:16 1 1"),
        List.of("dmsetup", "resume", "vm-test"),
        List.of("dmsetup", "remove", "vm-test"));
  }

  @Test
  void aReloadThatIsNotAMultipathTableIsRefusedBeforeItRuns() {
    assertThatThrownBy(() -> dm.reload(VM_TEST, new DmTarget(0, 8, "linear", "8:0 0"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> dm.reload(VM_TEST, new DmTarget(0, 8, "multipath", "0 0 1 1 service-time 0 1 2 8:0")))
        .isInstanceOf(MultipathParseException.class);
    assertThat(runner.commandCount()).isZero();
  }

  @Test
  void aMissingMapIsNotFoundWithEvidence() {
    for (Runnable op : List.<Runnable>of(() -> dm.table(VM_TEST), () -> dm.status(VM_TEST), () -> dm.suspend(VM_TEST),
        () -> dm.resume(VM_TEST), () -> dm.remove(VM_TEST), () -> dm.dependencies(VM_TEST))) {
      runner.enqueue(NO_SUCH_DEVICE);
      assertThatThrownBy(op::run).isInstanceOfSatisfying(NotFoundException.class, e -> {
        assertThat(e.kind()).isEqualTo("device-mapper device");
        assertThat(e.object()).isEqualTo("vm-test");
        assertThat(e.getMessage()).contains("on blade1: Device does not exist.");
      });
    }
    // what dmsetup 1.02.185 says of a missing device to the ioctl commands (the lab's guest)
    runner.enqueue(Reply.fail(1, "device-mapper: table ioctl on vm-test  failed: No such device or address\nCommand failed."));
    assertThatThrownBy(() -> dm.table(VM_TEST)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("No such device or address");
    runner.enqueue(Reply.fail(1, "device-mapper: remove ioctl on vm-test  failed: Device or resource busy\nCommand failed."));
    assertThatThrownBy(() -> dm.remove(VM_TEST)).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("Device or resource busy");
  }
}
