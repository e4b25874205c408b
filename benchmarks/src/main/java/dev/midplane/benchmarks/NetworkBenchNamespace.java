package dev.midplane.benchmarks;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.names.HostName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace a benchmark makes and removes (it needs root): a {@link Host} whose commands
 * run inside it through {@code ip netns exec}, and whose files live in a temporary directory. On
 * close, processes left inside are killed by PID and the namespace is deleted.
 */
final class NetworkBenchNamespace implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private final LocalCommandRunner local = new LocalCommandRunner();
  private final String name;
  private final Path root;
  final Host host;

  NetworkBenchNamespace() {
    name = "mpb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    local.run(Command.builder("ip", "netns", "add", name).timeout(TIMEOUT).build()).requireSuccess("bench");
    try {
      root = Files.createTempDirectory("mpb-root");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CommandRunner inside = c -> {
      List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
      argv.addAll(c.argv());
      return local.run(Command.builder().args(argv).stdin(c.stdin().orElse(null)).timeout(c.timeout().orElse(TIMEOUT)).build());
    };
    host = Host.of(HostName.of("bench-ns"), Host.Kind.LOCAL, inside, root, null, null);
  }

  void execute(String... argv) {
    host.execute(argv);
  }

  @Override
  public void close() {
    for (String pid : local.run(Command.builder("ip", "netns", "pids", name).timeout(TIMEOUT).build()).stdoutLines()) {
      if (pid.strip().matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    local.run(Command.builder("ip", "netns", "del", name).timeout(TIMEOUT).build());
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp dir is harmless
    }
  }
}
