package dev.midplane.lab;

import dev.midplane.core.Host;
import dev.midplane.network.HostKernelContract;
import dev.midplane.network.Network;
import dev.midplane.network.SimulatedTwin;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The network module's link backend contract on the lab guest's real kernel, compared step by step
 * with the simulated kernel: each contract test runs on the guest (its assertions are the
 * contract), then the same test runs on a fresh simulated kernel with the simulated tools and the
 * same backend ({@link SimulatedTwin}), and every view the test reported at a step
 * ({@code LinkBackendContract.saw}) is compared through one {@link Fidelity} per class, tallied in
 * {@code @AfterAll}. Whether the simulation passed the whole test is compared too.
 */
@ExtendWith(KernelsComparedContract.OnTheSimulatedKernelToo.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KernelsComparedContract extends HostKernelContract {
  private final Network.Backend backend;
  private final Fidelity fidelity;
  private List<Seen> seen = new ArrayList<>();

  /** What a test reported at one step. */
  private record Seen(String step, String view) {}

  KernelsComparedContract(String scenario, Network.Backend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.fidelity = new Fidelity(scenario);
  }

  @BeforeAll
  void guest(Host host) {
    use(host, backend);
  }

  @AfterAll
  void tally() {
    fidelity.verify();
  }

  @Override
  protected void saw(String step, String view) {
    seen.add(new Seen(step, view));
  }

  /** Compares the steps of one test on both kernels, in order; a step one kernel did not reach is compared as such. */
  private void compare(String test, List<Seen> real, List<Seen> simulated, String simulatedOutcome) {
    for (int i = 0; i < Math.max(real.size(), simulated.size()); i++) {
      Seen r = i < real.size() ? real.get(i) : null;
      Seen s = i < simulated.size() ? simulated.get(i) : null;
      String step = r != null ? r.step() : s.step();
      fidelity.compare(test + ": " + step, r == null ? "(not reached)" : r.view(),
          s == null ? "(not reached)" : s.step().equals(step) ? s.view() : "(at step '" + s.step() + "') " + s.view());
    }
    fidelity.compare(test + ": the whole test", "passed", simulatedOutcome);
  }

  /** After a contract test passed on the guest, runs it on a simulated twin and compares what both saw. */
  static final class OnTheSimulatedKernelToo implements InvocationInterceptor {
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
        ExtensionContext extensionContext) throws Throwable {
      KernelsComparedContract test = (KernelsComparedContract) context.getTarget().orElseThrow();
      List<Seen> real = new ArrayList<>();
      test.seen = real;
      invocation.proceed();
      List<Seen> simulated = new ArrayList<>();
      test.seen = simulated; // not used by the twin, but nothing from it may land among the real steps
      String outcome;
      try (SimulatedTwin twin = SimulatedTwin.start(test.backend, (s, v) -> simulated.add(new Seen(s, v)))) {
        twin.run(context.getExecutable());
        outcome = "passed";
      } catch (Exception | AssertionError e) {
        outcome = "failed: " + e;
      }
      test.compare(context.getExecutable().getName(), real, simulated, outcome);
    }
  }
}
