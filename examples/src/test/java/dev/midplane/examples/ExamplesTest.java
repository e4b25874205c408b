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
  void lunGrowResizesOnlyToTheSizeEveryRescannedPathReports() {
    String out = output(LunGrow::run);
    assertThat(out).contains("provisioned: blade1 /dev/mapper/web01 20 GiB over 4 paths (paths [20 GiB]), "
            + "blade2 /dev/mapper/web01 20 GiB over 4 paths (paths [20 GiB])")
        .contains("array grew the LUN to 30 GiB: blade1 /dev/mapper/web01 20 GiB")
        .contains("plan: grow multipath map web01 on blade1\n")
        .contains("5. check that every path of web01 is up and reports the same size, 32212254720 bytes\n")
        .contains("       $ multipathd resize map web01\n")
        .contains("blade1: refused to grow to 32 GiB, rolled back: [the paths report 32212254720 bytes, "
            + "not the expected 34359738368 bytes")
        .contains("blade1: resized to 30 GiB\n")
        .contains("blade2: refused to grow to 32 GiB, rolled back: [the paths report 32212254720 bytes")
        .contains("blade2: resized to 30 GiB\n")
        .contains("rescanned and resized: blade1 /dev/mapper/web01 30 GiB over 4 paths (paths [30 GiB]), "
            + "blade2 /dev/mapper/web01 30 GiB over 4 paths (paths [30 GiB])");
  }

  @Test
  void migrationMovesWeb01WithItsLockAndPlacementAndRefusesDb01WithEveryReason() {
    String out = output(Migration::run);
    assertThat(out).contains("preflight: migrate web01 from blade1 to blade2: clear")
        .contains("  xl: Migration successful.")
        .contains("1. lock vif web01-0 (00:16:3e:00:01:01 [192.0.2.11]) in one ebtables-restore transaction on blade2 "
            + "before web01 runs there: applied")
        .contains("web01 runs on [blade2], placed on blade2")
        .contains("refused to migrate db01 from blade1 to blade2:\n"
            + "  - blade2 has 6656 MiB free, db01 needs 10240 MiB\n"
            + "  - blade2 has no multipath map db01 (xvda of db01, LUN 36001405")
        .contains("db01 runs on [blade1]");
  }
}
