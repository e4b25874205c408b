package dev.midplane.core;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.exec.Runners;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.files.AttributeWriter;
import dev.midplane.core.names.HostName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A machine as the SDK sees it: a name, a {@link CommandRunner} for its programs, and a root
 * {@link Path} under which its {@code /sys}, {@code /proc}, {@code /etc}, {@code /dev} and
 * {@code /run} are found. The same code serves the local machine (root {@code /}), a simulated blade
 * (root = a directory, runner = simulated tools) and, with an SSH runner and an SFTP file system, a
 * remote one. Nothing in the SDK reads {@code /sys} except through a host.
 *
 * <pre>{@code
 * Host h = Host.local();
 * Path bonding = h.path("/proc/net/bonding/bond0");
 * CommandResult r = h.execute(Command.of("ip", "-j", "link", "show"));
 * }</pre>
 */
public final class Host implements AutoCloseable {
  /** Where the host's commands and files really are. */
  public enum Kind {
    /** This machine: real processes, real {@code /}. */
    LOCAL,
    /** A directory tree and simulated tools in this JVM. */
    SIMULATED,
    /** Another machine, reached over a transport such as SSH. */
    REMOTE
  }

  /** The timeout {@link #local()} gives commands that do not set one. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final HostName name;
  private final Kind kind;
  private final CommandRunner runner;
  private final Path root;
  private final AttributeWriter attributes;
  private final AutoCloseable resources;

  private Host(HostName name, Kind kind, CommandRunner runner, Path root, AttributeWriter attributes,
      AutoCloseable resources) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.root = Objects.requireNonNull(root, "root");
    this.attributes = attributes == null ? AttributeWriter.direct(name.value()) : attributes;
    this.resources = resources;
  }

  /**
   * This machine: local processes (logged, with a {@link #DEFAULT_COMMAND_TIMEOUT} default) and the
   * real root directory. The name is the kernel's host name.
   */
  public static Host local() {
    Path root = Path.of("/");
    HostName name = readHostName(root);
    CommandRunner r = Runners.logging(Runners.withDefaultTimeout(
        new LocalCommandRunner(name.value(), LocalCommandRunner.DEFAULT_MAX_OUTPUT_BYTES, Duration.ofSeconds(1)),
        DEFAULT_COMMAND_TIMEOUT));
    return new Host(name, Kind.LOCAL, r, root, null, null);
  }

  /** This machine's processes, but files under {@code root} (e.g. a captured sysfs tree). */
  public static Host local(Path root) {
    return new Host(readHostName(Path.of("/")), Kind.LOCAL,
        Runners.withDefaultTimeout(new LocalCommandRunner(), DEFAULT_COMMAND_TIMEOUT), root, null, null);
  }

  /**
   * A simulated machine: files under {@code root}, commands answered by {@code runner}, attribute
   * writes landing in the files as they are (use the overload with a simulated kernel's
   * {@link AttributeWriter} to have writes acted upon).
   */
  public static Host simulated(String name, Path root, SimulatedRunner runner) {
    return new Host(HostName.of(name), Kind.SIMULATED, runner, root, null, null);
  }

  /** A simulated machine whose attribute writes go to {@code kernel}, which reacts like Linux. */
  public static Host simulated(String name, Path root, SimulatedRunner runner, AttributeWriter kernel) {
    return new Host(HostName.of(name), Kind.SIMULATED, runner, root, kernel, null);
  }

  /**
   * Any combination, for transports and decorators: e.g. a remote host (SSH runner, SFTP root,
   * attribute writes over SFTP). {@code attributes} may be {@code null} for direct file writes;
   * {@code resources} is closed with the host.
   */
  public static Host of(HostName name, Kind kind, CommandRunner runner, Path root, AttributeWriter attributes,
      AutoCloseable resources) {
    return new Host(name, kind, runner, root, attributes, resources);
  }

  /** The same machine seen through another runner (a decorator around this one's, typically). */
  public Host withRunner(CommandRunner other) {
    return new Host(name, kind, other, root, attributes, null);
  }

  private static HostName readHostName(Path root) {
    try {
      String n = Files.readString(root.resolve("proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
      if (HostName.isValid(n)) {
        return HostName.of(n);
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    try {
      String n = java.net.InetAddress.getLocalHost().getHostName();
      if (HostName.isValid(n)) {
        return HostName.of(n);
      }
    } catch (IOException e) {
      // fall through
    }
    return HostName.of("localhost");
  }

  public HostName name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public CommandRunner runner() {
    return runner;
  }

  /** The directory that stands for {@code /} on this host. */
  public Path root() {
    return root;
  }

  /**
   * Resolves an absolute path of the host ({@code "/sys/class/net"}) under its root. Refuses
   * relative paths and {@code ..} segments, so a name can never lead outside the root.
   */
  public Path path(String absolute) {
    Objects.requireNonNull(absolute, "absolute");
    if (!absolute.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute path: " + absolute);
    }
    if (absolute.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains NUL");
    }
    for (String seg : absolute.split("/")) {
      if (seg.equals("..")) {
        throw new IllegalArgumentException("'..' is not allowed in a host path: " + absolute);
      }
    }
    String rel = absolute.replaceAll("^/+", "");
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  public Path sys() {
    return path("/sys");
  }

  public Path proc() {
    return path("/proc");
  }

  public Path etc() {
    return path("/etc");
  }

  public Path dev() {
    return path("/dev");
  }

  public Path run() {
    return path("/run");
  }

  /** How this host's kernel attributes are written. */
  public AttributeWriter attributes() {
    return attributes;
  }

  /**
   * Writes a kernel attribute ({@code "/sys/class/scsi_host/host1/scan"}, {@code "- - -"}) the way
   * {@code echo} would: one write of the whole value. A refusal throws
   * {@link dev.midplane.core.files.AttributeWriteException} with the path, value and errno.
   */
  public void writeAttribute(String absolutePath, String value) {
    attributes.write(path(absolutePath), absolutePath, value);
  }

  /** Runs a command and returns its result whatever the exit code. */
  public CommandResult run(Command command) {
    return runner.run(command);
  }

  /** Runs a command and returns its result; a non-zero exit throws {@link CommandFailedException}. */
  public CommandResult execute(Command command) {
    return runner.run(command).requireSuccess(name.value());
  }

  /** {@link #execute(Command)} for a plain argv. */
  public CommandResult execute(String... argv) {
    return execute(Command.of(argv));
  }

  @Override
  public void close() {
    if (resources != null) {
      try {
        resources.close();
      } catch (Exception e) {
        throw new MidplaneException("closing host " + name + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + (kind == Kind.LOCAL && root.toString().equals("/") ? "" : ", root " + root) + ")";
  }
}
