package dev.midplane.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The backend contract on a fresh simulated kernel with the simulated tools, set up outside JUnit's
 * lifecycle: for the lab, which runs a contract test on a real kernel, then the same test on a
 * twin, and compares what each saw ({@link LinkBackendContract#saw}) step by step. Each twin has a
 * temporary root of its own, deleted by {@link #close()}.
 */
public final class SimulatedTwin extends SimulatedKernelContract implements AutoCloseable {
  private final Network.Backend backend;
  private final BiConsumer<String, String> seen;
  private final Path twinRoot;

  private SimulatedTwin(Network.Backend backend, BiConsumer<String, String> seen, Path twinRoot) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.twinRoot = twinRoot;
  }

  /**
   * A twin on a new simulated kernel, its network through {@code backend}; each step a test
   * reports goes to {@code seen} as (step, view).
   */
  public static SimulatedTwin start(Network.Backend backend, BiConsumer<String, String> seen) {
    try {
      SimulatedTwin twin = new SimulatedTwin(backend, seen, Files.createTempDirectory("midplane-contract-twin"));
      twin.start(twin.twinRoot);
      return twin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the simulated twin's root", e);
    }
  }

  /**
   * Runs one test of {@link LinkBackendContract} (as JUnit reflects it) on this twin.
   *
   * @throws IllegalArgumentException when {@code test} is not a contract test
   * @throws Throwable whatever the test throws (an {@link AssertionError} when the simulation breaks the contract)
   */
  public void run(Method test) throws Throwable {
    if (!test.getDeclaringClass().equals(LinkBackendContract.class) || test.getParameterCount() != 0) {
      throw new IllegalArgumentException(test + " is not a test of the link backend contract");
    }
    try {
      test.invoke(this);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  Network.Backend backend() {
    return backend;
  }

  @Override
  protected void saw(String step, String view) {
    seen.accept(step, view);
  }

  /** Deletes the twin's simulated root. */
  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(twinRoot)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the simulated twin's root " + twinRoot, e);
    }
  }
}
