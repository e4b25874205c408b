package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The parts of the guest handle that need no QEMU. */
class GuestTest {
  @Test
  void killEndsTheProcessByItsPid() throws Exception {
    Process p = new ProcessBuilder("sleep", "300").start();
    try {
      assertThat(Guest.kill(p)).isEqualTo(Guest.PowerOff.How.TERMINATED);
      assertThat(p.isAlive()).isFalse();
      assertThat(ProcessHandle.of(p.pid())).isEmpty();
      assertThat(Guest.kill(p)).isEqualTo(Guest.PowerOff.How.ALREADY_OFF);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilled() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done").start();
    try {
      assertThat(new String(p.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("ready\n");
      assertThat(Guest.kill(p)).isEqualTo(Guest.PowerOff.How.KILLED);
      assertThat(p.isAlive()).isFalse();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void onlyAnSshBannerCountsAsAnswering() throws Exception {
    assertThat(answers("SSH-2.0-dropbear_2022.83\r\n")).isTrue();
    assertThat(answers("")).isFalse();
    assertThat(answers("HTTP/1.1 400\r\n")).isFalse();
  }

  @Test
  void aClosedPortDoesNotAnswer() {
    int port = Guest.freePort();
    assertThat(port).isBetween(1024, 65535);
    assertThat(Guest.answersWithBanner(port)).isFalse();
  }

  /** Whether a server on 127.0.0.1 that sends {@code greeting} and hangs up counts as an sshd. */
  private static boolean answers(String greeting) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
          out.write(greeting.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      boolean answered = Guest.answersWithBanner(server.getLocalPort());
      served.get();
      return answered;
    }
  }
}
