package dev.midplane.core.exec;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A machine's programs, simulated in-process: argv[0]'s base name selects a registered
 * {@link Handler} (modules register {@code multipath}, {@code dmsetup}, {@code ip}, {@code brctl},
 * {@code ebtables}, {@code nft}, {@code xl}, {@code xm}, acting on a simulated kernel). It keeps the
 * {@link CommandRunner} contract: argv is passed as a list, a program nobody registered cannot be
 * started, timeouts interrupt the handler and throw {@link CommandTimeoutException}, output is
 * bounded.
 */
public final class SimulatedRunner implements CommandRunner {
  /** A simulated program. It may block; it must give up promptly when interrupted. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Invocation invocation) throws InterruptedException;
  }

  /** One call of a simulated program. */
  public record Invocation(Command command) {
    /** argv without the program name. */
    public List<String> args() {
      return command.arguments();
    }

    public Optional<String> stdin() {
      return command.stdin();
    }
  }

  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setDaemon(true).setNameFormat("midplane-simulated-%d").build());

  private final String hostName;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final int maxOutputBytes;

  public SimulatedRunner(String hostName) {
    this(hostName, LocalCommandRunner.DEFAULT_MAX_OUTPUT_BYTES);
  }

  public SimulatedRunner(String hostName, int maxOutputBytes) {
    this.hostName = hostName;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** Registers (or replaces) the handler for a program base name such as {@code "ip"}. */
  public SimulatedRunner register(String program, Handler handler) {
    if (program.isEmpty() || program.indexOf('/') >= 0) {
      throw new IllegalArgumentException("register a base name, not a path: " + program);
    }
    handlers.put(program, handler);
    return this;
  }

  public boolean handles(String program) {
    return handlers.containsKey(program);
  }

  @Override
  public CommandResult run(Command command) {
    Handler handler = handlers.get(command.programName());
    if (handler == null) {
      throw CommandFailedException.couldNotStart(
          hostName, command.argv(), "No such file or directory (no simulated '" + command.programName() + "')", null);
    }
    Invocation inv = new Invocation(command);
    long start = System.nanoTime();
    Reply reply;
    if (command.timeout().isEmpty()) {
      try {
        reply = handler.handle(inv);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException(hostName, command.argv(), OptionalInt.empty(), "", "was interrupted", e);
      }
    } else {
      reply = runWithTimeout(handler, inv, command.timeout().get());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return bound(reply.toResult(command, took));
  }

  private Reply runWithTimeout(Handler handler, Invocation inv, Duration timeout) {
    Future<Reply> f = WORKERS.submit(() -> handler.handle(inv));
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new CommandTimeoutException(hostName, inv.command().argv(), timeout, "", "");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new CommandFailedException(hostName, inv.command().argv(), OptionalInt.empty(), "", "was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("simulated " + inv.command().programName() + " failed", e.getCause());
    }
  }

  private CommandResult bound(CommandResult r) {
    boolean outCut = exceedsBound(r.stdout());
    boolean errCut = exceedsBound(r.stderr());
    if (!outCut && !errCut) {
      return r;
    }
    return CommandResult.builder().from(r)
        .stdout(outCut ? cut(r.stdout()) : r.stdout())
        .stderr(errCut ? cut(r.stderr()) : r.stderr())
        .stdoutTruncated(outCut)
        .stderrTruncated(errCut)
        .build();
  }

  private String cut(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new String(b, 0, maxOutputBytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private boolean exceedsBound(String s) {
    // UTF-8 needs at most 3 bytes per UTF-16 char, so most outputs are decided without encoding.
    if ((long) s.length() * 3 <= maxOutputBytes) {
      return false;
    }
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxOutputBytes;
  }
}
