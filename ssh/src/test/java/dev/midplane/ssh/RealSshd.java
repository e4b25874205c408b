package dev.midplane.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SSH server started by a test on a loopback port — OpenSSH's sshd or dropbear — with a
 * throw-away host key and authorized key in a temp directory, ended by PID.
 *
 * <p>Each runs in a mount namespace of its own ({@code unshare --mount}) so that nothing of the
 * machine's is touched: OpenSSH gets a private tmpfs {@code /run} for its privilege-separation
 * directory; dropbear, which reads {@code ~/.ssh/authorized_keys} only, gets the temp directory
 * bind-mounted over root's home, and a tmpfs over {@code /usr/lib/openssh} so that it finds no
 * {@code sftp-server} — a server without SFTP, as in the lab's initramfs.
 */
final class RealSshd implements AutoCloseable {
  enum Kind {
    OPENSSH,
    DROPBEAR
  }

  final Kind kind;
  final Path dir;
  final int port;
  final Path identity;
  final Path knownHosts;
  private final Process process;

  private RealSshd(Kind kind, Path dir, int port, Path identity, Path knownHosts, Process process) {
    this.kind = kind;
    this.dir = dir;
    this.port = port;
    this.identity = identity;
    this.knownHosts = knownHosts;
    this.process = process;
  }

  static RealSshd start(Kind kind, Path dir) throws IOException, InterruptedException {
    Path identity = dir.resolve("id_ed25519");
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "midplane-test", "-f", identity.toString());
    String clientPub = Files.readString(dir.resolve("id_ed25519.pub"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String hostPub;
    List<String> argv;
    if (kind == Kind.OPENSSH) {
      Path hostKey = dir.resolve("ssh_host_ed25519_key");
      run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
      hostPub = Files.readString(dir.resolve("ssh_host_ed25519_key.pub"));
      Path auth = Files.writeString(dir.resolve("authorized_keys"), clientPub);
      Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "Port " + port,
          "ListenAddress 127.0.0.1",
          "HostKey " + hostKey,
          "PidFile none",
          "AuthorizedKeysFile " + auth,
          "PermitRootLogin prohibit-password",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "UsePAM no",
          "StrictModes no",
          "Subsystem sftp internal-sftp",
          "LogLevel ERROR", ""));
      argv = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
          "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f \"$1\"",
          "sh", config.toString());
    } else {
      Path hostKey = dir.resolve("dropbear_ed25519_host_key");
      run("dropbearkey", "-t", "ed25519", "-f", hostKey.toString());
      hostPub = run("dropbearkey", "-y", "-f", hostKey.toString()).lines()
          .filter(l -> l.startsWith("ssh-")).findFirst().orElseThrow();
      Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(home.resolve(".ssh"), PosixFilePermissions.fromString("rwx------"));
      Files.writeString(home.resolve(".ssh/authorized_keys"), clientPub);
      argv = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
          "mount --bind \"$1\" /root && mount -t tmpfs tmpfs /usr/lib/openssh"
              + " && exec dropbear -F -E -s -p \"127.0.0.1:$2\" -r \"$3\" -P \"$4\"",
          "sh", home.toString(), Integer.toString(port), hostKey.toString(), dir.resolve("dropbear.pid").toString());
    }
    String[] f = hostPub.strip().split(" ");
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + f[0] + " " + f[1] + "\n");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    RealSshd s = new RealSshd(kind, dir, port, identity, knownHosts, p);
    try {
      s.awaitListening();
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      s.close();
      throw e;
    }
    return s;
  }

  SshTarget.Builder target() {
    return SshTarget.builder("127.0.0.1").port(port).addIdentities(identity).knownHosts(knownHosts);
  }

  private void awaitListening() throws IOException, InterruptedException {
    for (int i = 0; i < 250; i++) {
      if (!process.isAlive()) {
        throw new AssertionError(kind + " exited " + process.exitValue() + ": " + Files.readString(dir.resolve("server.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(40);
      }
    }
    throw new AssertionError(kind + " does not listen on " + port + ": " + Files.readString(dir.resolve("server.log")));
  }

  private static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  /** Ends the server and the connection processes it forked, by PID. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }
}
