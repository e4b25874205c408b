package dev.midplane.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison of the real kernel with the simulated one, step by step: each difference is
 * written to {@code <lab dir>/fidelity.txt} and logged. The real kernel's behaviour is what the
 * lab's tests assert; the simulation's is compared, and {@link #verify()} (at the end of each test
 * class) fails when they differed: every difference the lab finds is fixed in the simulation, or
 * the build is red. The system property {@code midplane.lab.fidelity=lenient} only records them
 * (for exploring a new kernel, never in CI).
 */
final class Fidelity {
  private static final Logger LOG = LoggerFactory.getLogger(Fidelity.class);
  private final String scenario;
  private final List<String> differences = new ArrayList<>();
  private int compared;

  Fidelity(String scenario) {
    this.scenario = scenario;
  }

  /** Compares what one step showed on each kernel; returns whether they agree. */
  boolean compare(String step, Object real, Object simulated) {
    compared++;
    if (Objects.equals(real, simulated)) {
      LOG.info("fidelity: {}: {}: both kernels {}", scenario, step, real);
      return true;
    }
    String line = scenario + ": " + step + ": real kernel " + real + ", simulation " + simulated;
    differences.add(line);
    LOG.warn("fidelity: {}", line);
    append(line);
    return false;
  }

  /** Runs {@code step} on the real side, then on the simulated one, compares the outcomes and returns the real one. */
  <K, T> T onBoth(String step, K real, K simulated, Function<? super K, T> action) {
    T r = action.apply(real);
    T s = action.apply(simulated);
    compare(step, r, s);
    return r;
  }

  List<String> differences() {
    return List.copyOf(differences);
  }

  int compared() {
    return compared;
  }

  /** Records the tally; fails when the kernels differed, unless the lenient mode is asked for. */
  void verify() {
    String summary = scenario + ": " + compared + " comparisons, " + differences.size() + " differences";
    LOG.info("fidelity: {}", summary);
    append("# " + summary);
    if (compared == 0) {
      throw new AssertionError(scenario + ": nothing was compared between the kernels");
    }
    if (!"lenient".equals(System.getProperty("midplane.lab.fidelity")) && !differences.isEmpty()) {
      throw new AssertionError("the simulated kernel differs from the real one:\n" + String.join("\n", differences));
    }
  }

  private static void append(String line) {
    LabExtension.append("fidelity.txt", line);
  }

}
