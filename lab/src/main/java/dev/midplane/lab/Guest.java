package dev.midplane.lab;

import com.google.common.base.Preconditions;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.HostName;
import dev.midplane.ssh.SshTarget;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running lab guest: one QEMU process started by this JVM, whose sshd answers on a port of
 * 127.0.0.1. Obtained from {@link #boot(LabImage)}; {@link #connect()} gives a {@link Host} over
 * SSH that trusts exactly the host key the guest printed on its serial console.
 *
 * <p>The guest is always powered off: {@link #close()} (or {@link #powerOff()}) asks for an
 * orderly {@code poweroff} over SSH, waits for QEMU to exit, then ends the QEMU process by its PID
 * (SIGTERM, then SIGKILL); a JVM shutdown hook does the same if the JVM exits with the guest still
 * running, and the guest powers itself off after its {@linkplain Boot#lifetime(Duration) lifetime}
 * should the JVM be killed outright. The console is kept in the work directory for post-mortems.
 *
 * <p>Thread-safe; {@link #powerOff()} and {@link #close()} are idempotent.
 */
public final class Guest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Guest.class);
  private static final HostName NAME = HostName.of("lab-guest");
  private static final Duration POLL = Duration.ofMillis(100);

  private final Process process;
  private final Path console;
  private final Path knownHosts;
  private final LabImage image;
  private final int sshPort;
  private final String hostKey;
  private final Duration bootToSsh;
  private final Duration powerOffDeadline;
  private final Thread shutdownHook;
  private PowerOff powerOff;

  private Guest(Process process, Path console, Path knownHosts, LabImage image, int sshPort, String hostKey,
      Duration bootToSsh, Duration powerOffDeadline, Thread shutdownHook) {
    this.process = process;
    this.console = console;
    this.knownHosts = knownHosts;
    this.image = image;
    this.sshPort = sshPort;
    this.hostKey = hostKey;
    this.bootToSsh = bootToSsh;
    this.powerOffDeadline = powerOffDeadline;
    this.shutdownHook = shutdownHook;
  }

  /** Prepares the boot of {@code image}; {@link Boot#call()} starts QEMU and waits for sshd. */
  public static Boot boot(LabImage image) {
    return new Boot(Objects.requireNonNull(image, "image"));
  }

  /** The port on 127.0.0.1 that reaches the guest's sshd. */
  public int sshPort() {
    return sshPort;
  }

  /** The guest's host key as the guest announced it: {@code <type> <base64>}. */
  public String hostKey() {
    return hostKey;
  }

  /** A known_hosts file listing exactly this guest's key for {@code [127.0.0.1]:<port>}. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** The file the guest's serial console (and QEMU's own messages) are written to. */
  public Path console() {
    return console;
  }

  /** The PID of the QEMU process. */
  public long pid() {
    return process.pid();
  }

  public LabImage image() {
    return image;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Wall time from starting QEMU to the guest's sshd sending its banner. */
  public Duration bootToSsh() {
    return bootToSsh;
  }

  /** The boot stages the guest announced, each with the guest's uptime in seconds at that point. */
  public Map<String, Double> stages() {
    return events().stages();
  }

  /** How the guest ended, once it has. */
  public synchronized Optional<PowerOff> poweredOff() {
    return Optional.ofNullable(powerOff);
  }

  /**
   * The target this guest's sshd is reached through: root, the lab's client key, this guest's
   * known_hosts, strict host key checking. Adjust it (timeouts, file access) and connect.
   */
  public SshTarget.Builder sshTarget() {
    return SshTarget.builder("127.0.0.1")
        .port(sshPort)
        .user("root")
        .name(NAME)
        .addIdentities(image.clientKey())
        .knownHosts(knownHosts);
  }

  /** Connects a new {@link Host} to the guest; the caller closes it. */
  public Host connect() {
    return sshTarget().connect();
  }

  /** The last {@code lines} lines of the console. */
  public String consoleTail(int lines) {
    return ImageBuilder.tail(readConsole(console), lines);
  }

  /**
   * Powers the guest off: {@code poweroff} over SSH, then waits for QEMU to exit; if it has not
   * after the power-off deadline, SIGTERM to the QEMU process, and SIGKILL a few seconds later.
   * Returns at once when the guest is already off.
   */
  public synchronized PowerOff powerOff() {
    if (powerOff != null) {
      return powerOff;
    }
    long start = System.nanoTime();
    boolean wasRunning = process.isAlive();
    boolean requested = false;
    PowerOff.How how;
    try {
      requested = wasRunning && requestPoweroff();
    } finally {
      // Whatever the request did (even an Error), QEMU does not outlive this method.
      if (!wasRunning) {
        how = PowerOff.How.ALREADY_OFF;
      } else if (waitForExit(requested ? powerOffDeadline : Duration.ofSeconds(2))) {
        how = PowerOff.How.ORDERLY;
      } else {
        LOG.warn("lab guest (QEMU pid {}) did not power off{}; terminating it", pid(),
            requested ? " within " + powerOffDeadline : " (poweroff could not be requested)");
        how = kill(process);
      }
    }
    powerOff = new PowerOff(how, Duration.ofNanos(System.nanoTime() - start), exitCode());
    removeShutdownHook();
    LOG.info("lab guest (QEMU pid {}) is off: {}", pid(), powerOff);
    return powerOff;
  }

  /** {@link #powerOff()}. */
  @Override
  public void close() {
    powerOff();
  }

  /**
   * Runs {@code poweroff} in the guest; false when no session could be had. A session cut while
   * {@code poweroff} runs still counts as requested: the guest may be going down already.
   */
  private boolean requestPoweroff() {
    Host host;
    try {
      host = sshTarget().connectTimeout(Duration.ofSeconds(10)).authTimeout(Duration.ofSeconds(10))
          .keepAliveInterval(Duration.ZERO).connect();
    } catch (RuntimeException e) {
      LOG.warn("no SSH session to power the lab guest (QEMU pid {}) off: {}", pid(), e.toString());
      return false;
    }
    try (host) {
      // busybox init runs its shutdown entries, ends every process and powers the machine off.
      host.run(Command.builder("poweroff").timeout(Duration.ofSeconds(15)).build()).requireSuccess(NAME.value());
    } catch (RuntimeException e) {
      LOG.info("poweroff of the lab guest (QEMU pid {}) ended with: {}", pid(), e.toString());
    }
    return true;
  }

  private boolean waitForExit(Duration deadline) {
    try {
      return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGTERM (QEMU quits on it), then SIGKILL; by PID, this process only. */
  static PowerOff.How kill(Process p) {
    if (!p.isAlive()) {
      return PowerOff.How.ALREADY_OFF;
    }
    p.destroy();
    try {
      if (p.waitFor(5, TimeUnit.SECONDS)) {
        return PowerOff.How.TERMINATED;
      }
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return PowerOff.How.KILLED;
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it finds the process gone
    }
  }

  private ConsoleEvents events() {
    return ConsoleEvents.parse(readConsole(console));
  }

  static String readConsole(Path console) {
    try {
      return new String(Files.readAllBytes(console), StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the guest console " + console, e);
    }
  }

  @Override
  public String toString() {
    return "lab guest (QEMU pid " + pid() + ", ssh 127.0.0.1:" + sshPort + ", kernel " + image.kernelRelease()
        + (process.isAlive() ? ", running" : ", off") + ")";
  }

  /**
   * How a guest ended and how long that took.
   *
   * @param exitCode QEMU's exit code ({@code -1} if it could not be observed)
   */
  public record PowerOff(How how, Duration took, int exitCode) {
    /** How the QEMU process ended. */
    public enum How {
      /** The guest powered itself off after {@code poweroff}. */
      ORDERLY,
      /** QEMU was ended with SIGTERM. */
      TERMINATED,
      /** QEMU was ended with SIGKILL. */
      KILLED,
      /** QEMU had already exited (a panic, the guest's lifetime, an earlier power-off). */
      ALREADY_OFF
    }
  }

  /**
   * The boot of one guest, configured and then {@linkplain #call() called} once. Mandatory: the
   * image. Defaults: 1024 MiB, sshd within 3 minutes, power-off within 30 s, a 20-minute lifetime,
   * work directory {@code target/lab}.
   */
  public static final class Boot {
    private final LabImage image;
    private Path workDirectory = Path.of("target", "lab");
    private int memoryMb = 1024;
    private Duration sshDeadline = Duration.ofMinutes(3);
    private Duration powerOffDeadline = Duration.ofSeconds(30);
    private Duration lifetime = Duration.ofMinutes(20);
    private boolean called;

    private Boot(LabImage image) {
      this.image = image;
    }

    /** Where the console and the known_hosts file are written (created when absent). */
    public Boot workDirectory(Path dir) {
      this.workDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    public Boot memoryMb(int memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    /** How long to wait for the guest's sshd, from starting QEMU. */
    public Boot sshDeadline(Duration deadline) {
      this.sshDeadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** How long an orderly poweroff may take before QEMU is terminated. */
    public Boot powerOffDeadline(Duration deadline) {
      this.powerOffDeadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * After this long the guest powers itself off, whatever happens on the host: the last guard
     * against a QEMU left behind by a JVM that was killed. At least a minute.
     */
    public Boot lifetime(Duration lifetime) {
      this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * Starts QEMU and waits until the guest's sshd sends its banner.
     *
     * @throws LabException when QEMU exits, the guest reports a failure, or sshd does not answer
     *     before the deadline; the message carries the console's last lines, and QEMU is ended
     */
    public Guest call() {
      Preconditions.checkState(!called, "a Boot is used once");
      called = true;
      try {
        Files.createDirectories(workDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the lab work directory " + workDirectory, e);
      }
      Path console = workDirectory.resolve("console.log").toAbsolutePath();
      LabException last = null;
      for (int attempt = 1; attempt <= 3; attempt++) {
        int port = freePort();
        try {
          return start(console, port);
        } catch (PortTakenException e) {
          LOG.info("port {} was taken before QEMU could forward it; trying another", port);
          last = e;
        }
      }
      throw last;
    }

    private Guest start(Path console, int port) {
      List<String> argv = QemuCommandLine.argv(image, port, memoryMb, lifetime);
      ProcessBuilder pb = new ProcessBuilder(argv)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(console.toFile());
      long start = System.nanoTime();
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new LabException("cannot start " + QemuCommandLine.PROGRAM + ": " + e.getMessage(), null, e);
      }
      Thread hook = new Thread(() -> kill(process), "midplane-lab-qemu-" + process.pid() + "-killer");
      Runtime.getRuntime().addShutdownHook(hook);
      LOG.info("lab guest booting: QEMU pid {}, ssh on 127.0.0.1:{}, console {}", process.pid(), port, console);
      try {
        String key = awaitSsh(process, console, port, start);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Path knownHosts = workDirectory.resolve("known_hosts").toAbsolutePath();
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + key + "\n", StandardCharsets.US_ASCII);
        LOG.info("lab guest sshd answered after {} ms", took.toMillis());
        return new Guest(process, console, knownHosts, image, port, key, took, powerOffDeadline, hook);
      } catch (RuntimeException | IOException | InterruptedException e) {
        kill(process);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // nothing left to do
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (e instanceof LabException le) {
          throw le;
        }
        throw new LabException("booting the lab guest failed: " + e + "\nconsole " + console + ":\n"
            + ImageBuilder.tail(readConsole(console), 40), console, e);
      }
    }

    private String awaitSsh(Process process, Path console, int port, long start) throws InterruptedException {
      long deadline = start + sshDeadline.toNanos();
      while (true) {
        boolean alive = process.isAlive();
        ConsoleEvents ev = ConsoleEvents.parse(readConsole(console));
        if (ev.portTaken()) {
          kill(process);
          throw new PortTakenException(port, console);
        }
        if (!alive) {
          throw failure("QEMU exited with code " + process.exitValue() + " before the guest's sshd answered", console);
        }
        if (!ev.failures().isEmpty()) {
          throw failure("the guest could not boot: " + String.join("; ", ev.failures()), console);
        }
        if (ev.reached("sshd") && ev.hostKey().isPresent() && answersWithBanner(port)) {
          return ev.hostKey().get();
        }
        if (System.nanoTime() > deadline) {
          throw failure("the guest's sshd did not answer within " + sshDeadline, console);
        }
        Thread.sleep(POLL.toMillis());
      }
    }

    private static LabException failure(String what, Path console) {
      return new LabException(what + "\nconsole " + console + ":\n" + ImageBuilder.tail(readConsole(console), 40),
          console, null);
    }
  }

  /** Whether something on {@code port} of 127.0.0.1 greets with an SSH banner within two seconds. */
  static boolean answersWithBanner(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      byte[] b = new byte[4];
      int n = 0;
      while (n < 4) {
        int r = in.read(b, n, 4 - n);
        if (r < 0) {
          return false;
        }
        n += r;
      }
      return new String(b, StandardCharsets.US_ASCII).equals("SSH-");
    } catch (IOException e) {
      return false;
    }
  }

  /** A port of 127.0.0.1 that was free a moment ago (QEMU reports it if it was taken since). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** QEMU could not forward the port it was given. */
  private static final class PortTakenException extends LabException {
    private static final long serialVersionUID = 1L;

    PortTakenException(int port, Path console) {
      super("port " + port + " of 127.0.0.1 was taken before QEMU could forward it", console, null);
    }
  }
}
