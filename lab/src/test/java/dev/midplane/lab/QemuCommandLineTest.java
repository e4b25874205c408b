package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
  static LabImage image(String dir) {
    return new LabImage(Path.of(dir, "vmlinuz"), Path.of(dir, "initrd.img"), "6.1.0-56-amd64", "k",
        Path.of(dir, "id_ecdsa"), List.of(), new LabImage.BuildReport(0, 0, false, false, Duration.ZERO));
  }

  @Test
  void bootsOneSoftwareCpuWithTheConsoleOnStdoutAndOnlyTheSshPortForwarded() {
    List<String> argv = QemuCommandLine.argv(image("/cache/base/x"), 41022, 1024, Duration.ofMinutes(20));

    assertThat(argv.get(0)).isEqualTo("qemu-system-x86_64");
    assertThat(String.join(" ", argv)).contains(
        "-nographic -no-reboot -machine pc -accel tcg -smp 1 -m 1024",
        "-kernel /cache/base/x/vmlinuz -initrd /cache/base/x/initrd.img",
        "-netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:41022-:22",
        "-device virtio-net-pci,netdev=n0,romfile=");
    String append = argv.get(argv.indexOf("-append") + 1);
    assertThat(append.split(" ")).containsExactly("console=ttyS0", "panic=-1", "loglevel=4", "midplane.lifetime=1200");
  }

  @Test
  void refusesWhatQemuWouldMisread() {
    assertThatThrownBy(() -> QemuCommandLine.argv(image("/cache/a,b"), 41022, 1024, Duration.ofMinutes(5)))
        .hasMessageContaining("comma");
    assertThatThrownBy(() -> QemuCommandLine.argv(image("/c"), 0, 1024, Duration.ofMinutes(5)))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> QemuCommandLine.argv(image("/c"), 41022, 128, Duration.ofMinutes(5)))
        .hasMessageContaining("256 MiB");
    assertThatThrownBy(() -> QemuCommandLine.argv(image("/c"), 41022, 1024, Duration.ofSeconds(30)))
        .hasMessageContaining("lifetime");
  }
}
