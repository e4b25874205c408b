package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.ssh.HostKeyRejectedException;
import dev.midplane.ssh.SshConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One guest booted, used and powered off by hand: the harness's own promises. */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
class GuestLifecycleIT {
  @Test
  void bootsAnswersOnlyWithItsOwnKeyAndPowersOffInOrder(LabImage image) throws Exception {
    Path work = LabExtension.labDir().resolve(getClass().getSimpleName());
    Guest guest = Guest.boot(image).workDirectory(work).call();
    try {
      LabExtension.record(String.format(java.util.Locale.ROOT, "%s boot-to-sshd %.1f s (guest uptime at sshd %.2f s)",
          getClass().getSimpleName(), LabExtension.seconds(guest.bootToSsh()), guest.stages().get("sshd")));
      assertThat(guest.isRunning()).isTrue();
      assertThat(guest.stages()).containsKeys("init", "udev", "network", "sshd");
      assertThat(Files.readString(guest.knownHosts()))
          .isEqualTo("[127.0.0.1]:" + guest.sshPort() + " " + guest.hostKey() + "\n");

      try (Host host = guest.connect()) {
        assertThat(host.kind()).isEqualTo(Host.Kind.REMOTE);
        assertThat(host.execute("uname", "-r").stdout().strip()).isEqualTo(image.kernelRelease());
        assertThat(host.execute("id", "-u").stdout().strip()).isEqualTo("0");
        // The guest's kernel, not this machine's: its hostname and its loaded virtio NIC.
        assertThat(host.execute("cat", "/proc/sys/kernel/hostname").stdout().strip()).isEqualTo("lab");
        assertThat(host.execute("cat", "/sys/class/net/eth0/operstate").stdout().strip()).isEqualTo("up");
      }

      Path impostor = work.resolve("known_hosts.other");
      Files.writeString(impostor, "[127.0.0.1]:" + guest.sshPort() + " " + otherKey() + "\n");
      // The ssh module's contract says HostKeyRejectedException (CHANGED); against dropbear it
      // surfaces as an authentication failure "Server key did not validate". Either way: no session.
      assertThatThrownBy(() -> guest.sshTarget().knownHosts(impostor).connect())
          .isInstanceOf(SshConnectException.class)
          .satisfiesAnyOf(
              e -> assertThat(e).isInstanceOf(HostKeyRejectedException.class),
              e -> assertThat(e).hasMessageContaining("Server key did not validate"));

      Guest.PowerOff off = guest.powerOff();

      assertThat(off.how()).isEqualTo(Guest.PowerOff.How.ORDERLY);
      assertThat(off.exitCode()).isZero();
      assertThat(ProcessHandle.of(guest.pid())).isEmpty();
      assertThat(guest.consoleTail(10)).contains("midplane-lab: stage poweroff", "reboot: Power down");
      assertThat(guest.powerOff()).isSameAs(off);
      LabExtension.record(String.format(java.util.Locale.ROOT, "%s poweroff %s %.1f s", getClass().getSimpleName(),
          off.how().name().toLowerCase(java.util.Locale.ROOT), LabExtension.seconds(off.took())));
    } finally {
      guest.close();
    }
    assertThat(guest.isRunning()).isFalse();
  }

  /** A valid ECDSA host key that is not the guest's. */
  private static String otherKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return PublicKeyEntry.toString(g.generateKeyPair().getPublic());
  }
}
