package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The twin the lab compares a real kernel with: it runs one contract test outside JUnit and reports each step. */
class SimulatedTwinTest {
  @Test
  void aContractTestRunsOnTheTwinAndReportsItsStepsInOrder() throws Throwable {
    List<String> seen = new ArrayList<>();
    Method test = LinkBackendContract.class.getDeclaredMethod("failoverMovesTheActiveSlaveAndOnlyToASlaveWithLink");
    Path root;
    try (SimulatedTwin twin = SimulatedTwin.start(Network.Backend.IPROUTE2, (s, v) -> seen.add(s + " = " + v))) {
      twin.run(test);
      root = twin.kernel.root();
      assertThat(root).isDirectory();
    }
    assertThat(root).doesNotExist();
    assertThat(seen).extracting(x -> x.substring(0, x.indexOf(" = "))).containsExactly("failed over to k2b",
        "fail over to k2ap", "k2a lost its carrier", "fail over to k2a", "after the refusals");
    assertThat(seen.get(1)).isEqualTo("fail over to k2ap = UnsafeOperationException: fail k2bond over to k2ap: k2ap is not a slave of k2bond");
    assertThat(seen.get(2)).contains("active k2b").contains("links [k2a:DOWN k2b:UP:active]")
        .doesNotContain(":ff:").doesNotContain("contract");
  }

  @Test
  void onlyContractTestsRun() throws Exception {
    try (SimulatedTwin twin = SimulatedTwin.start(Network.Backend.SYSFS, (s, v) -> {})) {
      assertThatThrownBy(() -> twin.run(Object.class.getMethod("toString")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a test of the link backend contract");
    }
  }
}
