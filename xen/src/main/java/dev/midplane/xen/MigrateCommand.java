package dev.midplane.xen;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.OutputListener;
import dev.midplane.core.exec.ShellQuoting;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One live migration, configured and then run once with {@link #call()} — the JGit pattern: the
 * mandatory domain and target come from {@link Toolstack#migrate}, options from the setters.
 *
 * <pre>{@code
 * MigrationResult r = xl.migrate(DomainName.of("vm1"), HostName.of("blade08"))
 *     .timeout(Duration.ofMinutes(20))
 *     .progress(e -> log.info("{}", e))
 *     .call();
 * }</pre>
 *
 * <p>{@code xl migrate <dom> <host>} runs {@code ssh <host> xl migrate-receive} through
 * {@code sh -c} on the source; the host is a validated {@link HostName} and an
 * {@link #sshCommand(List) ssh command} is given as words that are shell-quoted, so neither can
 * inject shell code. {@code xm migrate --live <dom> <host>} talks to xend's relocation server on the
 * target. Options that only one toolstack has are refused on the other when set.
 */
public final class MigrateCommand {
  /** The timeout when none is set: migrations of big guests over slow links take long. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final CliToolstack toolstack;
  private final DomainName domain;
  private final HostName target;
  private boolean live = true;
  private Duration timeout = DEFAULT_TIMEOUT;
  private MigrationListener listener;
  private List<String> sshCommand;
  private String targetConfig;
  private boolean debug;
  private boolean pausedOnTarget;
  private Integer port;
  private boolean called;

  MigrateCommand(CliToolstack toolstack, DomainName domain, HostName target) {
    this.toolstack = toolstack;
    this.domain = domain;
    this.target = target;
  }

  /**
   * Live (the default: the guest keeps running while its memory is copied) or not (xm only: the
   * guest is paused for the whole copy).
   *
   * @throws UnsupportedOperationException for {@code false} on xl, whose migrations are always live
   */
  public MigrateCommand live(boolean live) {
    if (!live && toolstack.kind() == Toolstack.Kind.XL) {
      throw new UnsupportedOperationException("xl migrate is always live; save and restore move a stopped domain");
    }
    this.live = live;
    return this;
  }

  /**
   * How long the toolstack may run (default {@link #DEFAULT_TIMEOUT}). When it runs out the local
   * toolstack is killed: before the stage {@link MigrationEvent.Stage#STARTING} the domain stays at
   * the source, after it the domain may be suspended there — {@link MigrationFailedException} says
   * which stage was reached.
   */
  public MigrateCommand timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Hears every line the migration prints, as it arrives when the toolstack's runner can stream. */
  public MigrateCommand progress(MigrationListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * xl only ({@code -s}): the command that reaches the target instead of {@code ssh}, as words
   * ({@code List.of("ssh", "-p", "2222", "-i", "/root/.ssh/migrate")}); they are shell-quoted into
   * the one string xl hands to {@code sh -c}, followed by the host.
   */
  public MigrateCommand sshCommand(List<String> words) {
    xlOnly("-s (ssh command)");
    if (words.isEmpty() || words.stream().anyMatch(w -> w.chars().anyMatch(c -> c == 0 || c == '\n'))) {
      throw new IllegalArgumentException("an ssh command is a non-empty list of words without NUL or line breaks");
    }
    this.sshCommand = List.copyOf(words);
    return this;
  }

  /** xl only ({@code -C}): the config the target uses instead of the one saved in the stream, a path on the source host. */
  public MigrateCommand targetConfig(String pathOnSource) {
    xlOnly("-C (config)");
    this.targetConfig = CliToolstack.absolute(pathOnSource);
    return this;
  }

  /** xl only ({@code --debug}): verifies the transferred memory, for diagnosis. */
  public MigrateCommand debug(boolean debug) {
    xlOnly("--debug");
    this.debug = debug;
    return this;
  }

  /** xl only ({@code -p}): leaves the domain paused on the target. */
  public MigrateCommand pausedOnTarget(boolean paused) {
    xlOnly("-p (paused on target)");
    this.pausedOnTarget = paused;
    return this;
  }

  /** xm only ({@code -p}): the target's relocation port when it is not xend's default. */
  public MigrateCommand port(int port) {
    if (toolstack.kind() != Toolstack.Kind.XM) {
      throw new UnsupportedOperationException("xl migrates over ssh and has no relocation port; use sshCommand(...)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    return this;
  }

  private void xlOnly(String option) {
    if (toolstack.kind() != Toolstack.Kind.XL) {
      throw new UnsupportedOperationException("xm migrate has no " + option + " option");
    }
  }

  /** The command {@link #call()} will run, for dry runs and logs. */
  public Command command() {
    List<String> args = new ArrayList<>(List.of("migrate"));
    if (toolstack.kind() == Toolstack.Kind.XL) {
      if (sshCommand != null) {
        args.add("-s");
        args.add(ShellQuoting.join(sshCommand));
      }
      if (targetConfig != null) {
        args.add("-C");
        args.add(targetConfig);
      }
      if (debug) {
        args.add("--debug");
      }
      if (pausedOnTarget) {
        args.add("-p");
      }
    } else {
      if (live) {
        args.add("--live");
      }
      if (port != null) {
        args.add("-p");
        args.add(port.toString());
      }
    }
    args.add(domain.value());
    args.add(target.value());
    return toolstack.command(timeout, args);
  }

  /**
   * Runs the migration and returns when the toolstack has finished.
   *
   * @throws MigrationFailedException when it exits non-zero, times out or cannot run, with the
   *     last stage reached and every line printed
   * @throws DomainNotFoundException when the domain does not exist on the source
   * @throws IllegalStateException when called a second time
   */
  public MigrationResult call() {
    synchronized (this) {
      if (called) {
        throw new IllegalStateException("a MigrateCommand runs once; make another with Toolstack.migrate(...)");
      }
      called = true;
    }
    Command c = command();
    String operation = "migrate domain " + domain + " to " + target;
    List<MigrationEvent> events = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    OutputListener lines = (stream, line) -> {
      if (line.isBlank()) {
        return;
      }
      MigrationEvent e = MigrationEvent.parse(line, Duration.ofNanos(System.nanoTime() - start));
      events.add(e);
      if (listener != null) {
        listener.onEvent(e);
      }
    };
    CommandResult r;
    try {
      r = toolstack.hostHandle().runner().run(c, lines);
    } catch (CommandTimeoutException e) {
      throw failed(c, OptionalInt.empty(), e.stderrTail(), operation, events,
          "the local " + toolstack.kind().program() + " was killed after " + timeout + "; " + whereIsTheDomain(events), e);
    } catch (CommandFailedException e) {
      throw failed(c, e.exitCode(), e.stderrTail(), operation, events, e.getMessage(), e);
    }
    if (!r.isSuccess()) {
      String text = r.stderr() + "\n" + r.stdout();
      if (ToolstackErrors.isDomainNotFound(text)) {
        throw new DomainNotFoundException(domain.value(), toolstack.hostName(), c.argv(), text);
      }
      throw failed(c, OptionalInt.of(r.exitCode()), text, operation, events, hint(text, events), null);
    }
    return new MigrationResult(domain, target, events, r.duration());
  }

  private MigrationFailedException failed(Command c, OptionalInt exit, String text, String operation, List<MigrationEvent> events,
      String hint, Throwable cause) {
    List<MigrationEvent> copy;
    synchronized (events) {
      copy = List.copyOf(events);
    }
    List<String> errors = copy.stream().filter(MigrationEvent::error).map(MigrationEvent::line).toList();
    if (errors.isEmpty()) {
      errors = ToolstackErrors.errorLines(text);
    }
    return new MigrationFailedException(toolstack.hostName(), c.argv(), exit, text, operation, errors, hint, lastStage(copy), copy,
        cause);
  }

  static MigrationEvent.Stage lastStage(List<MigrationEvent> events) {
    MigrationEvent.Stage last = MigrationEvent.Stage.OTHER;
    for (MigrationEvent e : events) {
      if (e.stage() != MigrationEvent.Stage.FAILED && e.stage().compareTo(last) > 0) {
        last = e.stage();
      }
    }
    return last;
  }

  private static String whereIsTheDomain(List<MigrationEvent> events) {
    MigrationEvent.Stage last = lastStage(List.copyOf(events));
    return last.compareTo(MigrationEvent.Stage.STARTING) < 0
        ? "the last stage reported was " + last + ", so the domain should still be at the source"
        : "the last stage reported was " + last + ": the domain may be suspended at the source or starting at the target; "
            + "look at both hosts before doing anything";
  }

  private String hint(String text, List<MigrationEvent> events) {
    if (text.contains("Failed to enable logdirty")) {
      return "the hypervisor cannot track this guest's dirty pages: a PV guest needs shadow paging ('shadow' in xl info's "
          + "virt_caps), a PVH or HVM guest HAP; the domain keeps running at the source";
    }
    if (events.stream().anyMatch(e -> e.stage() == MigrationEvent.Stage.CONNECTING && e.error())) {
      return "the source could not reach " + target + " over ssh (" + toolstack.kind().program()
          + " migrate runs 'ssh " + target + " xl migrate-receive'); the domain stays at the source";
    }
    return whereIsTheDomain(events);
  }

  @Override
  public String toString() {
    return command().toString();
  }
}
