package dev.midplane.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The example programs run to the end and print what their scenario promises. */
class ExamplesTest {
  private static String output(Consumer<PrintStream> example) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    example.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void bondFailoverMovesTrafficToTheOtherMidplaneAndBack() {
    String out = output(BondFailover::run);
    assertThat(out.lines().toList()).containsExactly(
        "before:   active eth0; eth0 up (0 failures), eth1 up (0 failures)",
        "refused:  refused to release eth0 from bond0: eth0 is the active slave of bond0, which is up; make another slave active first",
        "eth0 down: active eth1; eth0 down (1 failure), eth1 up (0 failures)",
        out.lines().toList().get(3),
        "eth0 back: active eth1; eth0 up (1 failure), eth1 up (0 failures)",
        "moved:    active eth0; eth0 up (1 failure), eth1 up (0 failures)",
        "eth1 stayed a slave: true");
    assertThat(out.lines().toList().get(3)).startsWith("refused:  ").contains("EINVAL").contains("active_slave");
  }

  @Test
  void lunGrowResizesOnlyAfterEveryPathWasRescanned() {
    String out = output(LunGrow::run);
    assertThat(out).contains("provisioned: blade1 /dev/mapper/web01 20 GiB over 4 paths (paths [20 GiB]), "
            + "blade2 /dev/mapper/web01 20 GiB over 4 paths (paths [20 GiB])")
        .contains("array grew the LUN to 30 GiB: blade1 /dev/mapper/web01 20 GiB")
        .contains("blade1: refused with one path rescanned: 3 paths still report the old size")
        .contains("blade2: refused with one path rescanned: 3 paths still report the old size")
        .contains("rescanned and resized: blade1 /dev/mapper/web01 30 GiB over 4 paths (paths [30 GiB]), "
            + "blade2 /dev/mapper/web01 30 GiB over 4 paths (paths [30 GiB])");
  }

  @Test
  void migrationMovesWeb01WithItsLockAndRefusesDb01WithEveryReason() {
    String out = output(Migration::run);
    assertThat(out).contains("  xl: Migration successful.")
        .contains("web01 on blade2: true, on blade1: false")
        .contains("locked on blade2 before it ran: [vif1.0] true")
        .contains("refused to migrate db01 from blade1 to blade2:\n"
            + "  - map db01 on blade2 is the same LUN: no /dev/mapper/db01 there (LUN not presented or not scanned)\n"
            + "  - blade2 can give db01 its 10240 MiB: 6656 MiB free\n")
        .contains("db01 on blade1: true");
  }
}
