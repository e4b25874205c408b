package dev.midplane.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenSSH's ssh-agent started by a test in the foreground ({@code ssh-agent -D -a <socket>}) in a
 * temp directory, with keys made by {@code ssh-keygen} and loaded by {@code ssh-add}; ended by PID.
 */
final class RealAgent implements AutoCloseable {
  final Path dir;
  final Path socket;
  private final Process process;

  private RealAgent(Path dir, Path socket, Process process) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
  }

  static RealAgent start(Path dir) throws IOException, InterruptedException {
    Path socket = dir.resolve("agent.sock");
    Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
    RealAgent a = new RealAgent(dir, socket, p);
    for (int i = 0; i < 500 && !Files.exists(socket); i++) {
      if (!p.isAlive()) {
        throw new AssertionError("ssh-agent exited " + p.exitValue() + ": " + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(20);
    }
    if (!Files.exists(socket)) {
      a.close();
      throw new AssertionError("ssh-agent made no socket " + socket);
    }
    return a;
  }

  /** Makes an unencrypted key of {@code type} ("ed25519", "rsa") named {@code name} in the directory. */
  Path keygen(String type, String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString()));
    return key;
  }

  /** {@code ssh-add key} against this agent. */
  void add(Path key) throws IOException, InterruptedException {
    run(List.of("ssh-add", key.toString()));
  }

  /** {@code ssh-add -D}: the agent forgets every key. */
  void removeAll() throws IOException, InterruptedException {
    run(List.of("ssh-add", "-D"));
  }

  private void run(List<String> argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("SSH_AUTH_SOCK", socket.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
