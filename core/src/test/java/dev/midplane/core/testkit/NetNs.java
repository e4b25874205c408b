package dev.midplane.core.testkit;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.LocalCommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace made by a test and removed by it: a unique name ({@code mpt-<purpose>-<hex>}),
 * commands run inside it with {@code ip netns exec}, and on {@link #close()} the processes inside it
 * (which only this test can have started) are killed by PID before the namespace is deleted. Tests
 * use addresses from 192.0.2.0/24 only, and only inside their namespaces.
 */
public final class NetNs implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final String name;
  private final CommandRunner runner = new LocalCommandRunner();

  private NetNs(String name) {
    this.name = name;
  }

  /** Creates a namespace; {@code purpose} (letters and digits) makes leftovers recognisable. */
  public static NetNs create(String purpose) {
    String clean = purpose.replaceAll("[^A-Za-z0-9]", "");
    String n = "mpt-" + clean.substring(0, Math.min(clean.length(), 12)) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    NetNs ns = new NetNs(n);
    ns.host("ip", "netns", "add", n);
    try {
      ns.execute("ip", "link", "set", "lo", "up");
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** {@code argv} wrapped to run inside the namespace. */
  public Command inside(List<String> argv) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(argv);
    return Command.builder().args(full).timeout(TIMEOUT).build();
  }

  public Command inside(String... argv) {
    return inside(List.of(argv));
  }

  /** Runs inside the namespace, returning the result whatever the exit code. */
  public CommandResult run(String... argv) {
    return runner.run(inside(argv));
  }

  /** Runs inside the namespace; a non-zero exit fails. */
  public CommandResult execute(String... argv) {
    return runner.run(inside(argv)).requireSuccess("netns " + name);
  }

  /** A runner whose every command runs inside this namespace (for SDK code under test). */
  public CommandRunner runner() {
    return command -> runner.run(inside(command.argv()).toBuilder()
        .stdin(command.stdin().orElse(null))
        .timeout(command.timeout().orElse(TIMEOUT))
        .build());
  }

  private CommandResult host(String... argv) {
    return runner.run(Command.builder(argv).timeout(TIMEOUT).build()).requireSuccess("host");
  }

  @Override
  public void close() {
    try {
      CommandResult pids = runner.run(Command.builder("ip", "netns", "pids", name).timeout(TIMEOUT).build());
      for (String line : pids.stdoutLines()) {
        String p = line.strip();
        if (p.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } finally {
      runner.run(Command.builder("ip", "netns", "del", name).timeout(TIMEOUT).build());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
