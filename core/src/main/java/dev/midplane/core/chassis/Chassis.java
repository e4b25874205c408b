package dev.midplane.core.chassis;

import com.google.common.base.Preconditions;
import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.HostName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of hosts operated in parallel: the blades of one chassis (or of several), local, simulated
 * or remote alike. {@link #onEach} runs a task on every host at once and gives back every host's
 * result — value, exception or timeout — in the chassis's order.
 *
 * <pre>{@code
 * try (Chassis blades = Chassis.of(blade1, blade2, blade3)) {
 *   ChassisResults<String> kernels = blades.onEach(Duration.ofSeconds(20),
 *       h -> h.execute("uname", "-r").stdout().strip());
 *   kernels.failed().forEach(r -> log.warn("{}", r));
 *   Map<HostName, String> byHost = kernels.values();
 * }
 * }</pre>
 *
 * <p>Guarantees of {@link #onEach}:
 * <ul>
 *   <li>each host's task runs on a thread of its own; at most {@link #parallelism()} tasks run at
 *       once, started in chassis order;
 *   <li>a task's timeout counts from its own start; when it is up the task's thread is interrupted,
 *       its result is recorded as {@link HostResult.Outcome#TIMED_OUT} at once, and its slot goes
 *       to the next host — a task that ignores the interrupt keeps its (daemon) thread but delays
 *       nobody;
 *   <li>a task that throws is recorded as {@link HostResult.Outcome#FAILED} with the exception as
 *       thrown; one host's failure never affects another's task;
 *   <li>the call returns when every host has a result, so it takes at most about
 *       {@code ceil(hosts / parallelism) × timeout}.
 * </ul>
 *
 * <p>This is the extension point for whole-chassis operations: inventory, homogeneity reports and
 * migration preflight are {@link HostTask}s run through {@link #onEach}, owned by the modules that
 * know the subject (for instance a preflight that checks, on every host of {@link #except}, the
 * disks and bridges a domain needs). They compare the per-host values of {@link ChassisResults}
 * rather than talk to hosts themselves.
 */
public final class Chassis implements AutoCloseable {
  /** The default bound on tasks running at once. */
  public static final int DEFAULT_PARALLELISM = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Chassis.class);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "midplane-chassis-timer");
    t.setDaemon(true);
    return t;
  });

  private final List<Host> hosts;
  private final int parallelism;

  private Chassis(List<Host> hosts, int parallelism) {
    Preconditions.checkArgument(parallelism > 0, "parallelism must be positive: %s", parallelism);
    Set<HostName> seen = new HashSet<>();
    for (Host h : hosts) {
      Objects.requireNonNull(h, "host");
      Preconditions.checkArgument(seen.add(h.name()), "host %s appears twice in the chassis", h.name());
    }
    this.hosts = List.copyOf(hosts);
    this.parallelism = parallelism;
  }

  /** A chassis of {@code hosts} (distinct names), in that order. */
  public static Chassis of(Host... hosts) {
    return of(List.of(hosts));
  }

  /** A chassis of {@code hosts} (distinct names), in iteration order. */
  public static Chassis of(Collection<Host> hosts) {
    return new Chassis(new ArrayList<>(hosts), DEFAULT_PARALLELISM);
  }

  /** The same hosts with at most {@code n} tasks running at once. */
  public Chassis withParallelism(int n) {
    return new Chassis(hosts, n);
  }

  public int parallelism() {
    return parallelism;
  }

  public List<Host> hosts() {
    return hosts;
  }

  public int size() {
    return hosts.size();
  }

  /** The host called {@code name}; {@link NotFoundException} when the chassis has none. */
  public Host host(HostName name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new NotFoundException("host", name.value(), "not in the chassis " + names()));
  }

  public Host host(String name) {
    return host(HostName.of(name));
  }

  /**
   * The other hosts: what a migration preflight from {@code name} checks against. The returned
   * chassis shares the hosts; closing it closes them.
   */
  public Chassis except(HostName name) {
    host(name);
    return new Chassis(hosts.stream().filter(h -> !h.name().equals(name)).toList(), parallelism);
  }

  /** The host names, in order. */
  public List<HostName> names() {
    return hosts.stream().map(Host::name).toList();
  }

  /**
   * Runs {@code task} on every host in parallel, each within {@code perHostTimeout}, and returns
   * every host's result in chassis order. Never throws for a host's failure; see the class
   * comment for the guarantees.
   *
   * @throws MidplaneException when the calling thread is interrupted while waiting: the running
   *     tasks are interrupted too, and the interrupt flag is kept
   */
  public <T> ChassisResults<T> onEach(Duration perHostTimeout, HostTask<T> task) {
    Objects.requireNonNull(task, "task");
    Preconditions.checkArgument(!perHostTimeout.isNegative() && !perHostTimeout.isZero(),
        "timeout must be positive: %s", perHostTimeout);
    Semaphore slots = new Semaphore(parallelism);
    List<Run<T>> runs = new ArrayList<>();
    try {
      for (Host h : hosts) {
        slots.acquire();
        Run<T> run = new Run<>(h, task, perHostTimeout, slots);
        runs.add(run);
        run.start();
      }
      List<HostResult<T>> results = new ArrayList<>();
      for (Run<T> r : runs) {
        results.add(r.result.get());
      }
      return new ChassisResults<>(results);
    } catch (InterruptedException e) {
      runs.forEach(Run::cancel);
      Thread.currentThread().interrupt();
      throw new MidplaneException("interrupted while waiting for the chassis's hosts " + names(), e);
    } catch (ExecutionException e) {
      // Run completes its future only normally; this is a bug, not a host's failure.
      throw new IllegalStateException(e);
    }
  }

  /** Closes every host, even when some fail to close; failures are thrown together afterwards. */
  @Override
  public void close() {
    MidplaneException failure = null;
    for (Host h : hosts) {
      try {
        h.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new MidplaneException("closing the chassis's hosts failed");
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "chassis " + names();
  }

  /** One host's task: its thread, its timeout guard, its result. */
  private static final class Run<T> {
    final CompletableFuture<HostResult<T>> result = new CompletableFuture<>();
    private final Host host;
    private final HostTask<T> task;
    private final Duration timeout;
    private final Semaphore slots;
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    private final Thread thread;
    private volatile long startNanos;
    private ScheduledFuture<?> guard;

    Run(Host host, HostTask<T> task, Duration timeout, Semaphore slots) {
      this.host = host;
      this.task = task;
      this.timeout = timeout;
      this.slots = slots;
      this.thread = new Thread(this::work, "midplane-chassis-" + host.name());
      this.thread.setDaemon(true);
    }

    void start() {
      startNanos = System.nanoTime();
      guard = TIMER.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
      thread.start();
    }

    private void work() {
      HostResult<T> r;
      try {
        T v = task.call(host);
        r = HostResult.succeeded(host.name(), v, elapsed());
      } catch (Throwable e) {
        r = HostResult.failed(host.name(), e, elapsed());
      }
      if (!result.complete(r)) {
        LOG.debug("host {} finished after its timeout; its late result is dropped: {}", host.name(), r);
      }
      guard.cancel(false);
      releaseSlot();
    }

    private void expire() {
      if (result.complete(HostResult.timedOut(host.name(), timeout, elapsed()))) {
        thread.interrupt();
        LOG.warn("host {} did not finish within {} ms; interrupted", host.name(), timeout.toMillis());
        releaseSlot();
      }
    }

    void cancel() {
      guard.cancel(false);
      thread.interrupt();
      result.complete(HostResult.failed(host.name(),
          new MidplaneException("chassis operation on " + host.name() + " cancelled: the caller was interrupted"),
          elapsed()));
    }

    private Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void releaseSlot() {
      if (slotReleased.compareAndSet(false, true)) {
        slots.release();
      }
    }
  }
}
