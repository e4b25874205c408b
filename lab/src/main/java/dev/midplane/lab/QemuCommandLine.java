package dev.midplane.lab;

import com.google.common.base.Preconditions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The QEMU argv of a lab guest: a PC with one CPU under TCG (no KVM needed), the kernel and
 * initramfs loaded directly, the serial console on stdout, and one virtio NIC on QEMU's user
 * network that reaches nothing outside QEMU ({@code restrict=on}) except the guest's port 22,
 * forwarded from a port on 127.0.0.1. {@code panic=-1} with {@code -no-reboot} makes a kernel
 * panic end QEMU instead of hanging.
 */
final class QemuCommandLine {
  static final String PROGRAM = "qemu-system-x86_64";

  private QemuCommandLine() {}

  static List<String> argv(LabImage image, int sshPort, int memoryMb, Duration lifetime) {
    Preconditions.checkArgument(sshPort > 0 && sshPort < 65536, "port out of range: %s", sshPort);
    Preconditions.checkArgument(memoryMb >= 256, "a lab guest needs at least 256 MiB, not %s", memoryMb);
    Preconditions.checkArgument(lifetime.getSeconds() >= 60, "lifetime under a minute: %s", lifetime);
    return List.of(PROGRAM,
        "-nographic", "-no-reboot", "-machine", "pc", "-accel", "tcg", "-smp", "1", "-m", Integer.toString(memoryMb),
        "-kernel", plainPath(image.kernel()),
        "-initrd", plainPath(image.initrd()),
        "-append", "console=ttyS0 panic=-1 loglevel=4 midplane.lifetime=" + lifetime.getSeconds(),
        "-netdev", "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22",
        "-device", "virtio-net-pci,netdev=n0,romfile=");
  }

  /** QEMU splits some option values at commas; the lab's own paths never need one. */
  private static String plainPath(Path p) {
    String s = p.toAbsolutePath().toString();
    Preconditions.checkArgument(s.indexOf(',') < 0, "QEMU cannot take a path with a comma: %s", s);
    return s;
  }
}
