package dev.midplane.xen.exec;

import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.testkit.CommandRunnerContract;
import dev.midplane.core.testkit.RequiresReal;
import java.time.Duration;

/** The streaming runner keeps core's runner contract when used as a plain runner. */
@RequiresReal(tools = {"printf", "cat", "head", "sleep", "ls", "printenv"})
class LocalStreamingRunnerContractTest extends CommandRunnerContract {
  private final LocalStreamingRunner runner =
      new LocalStreamingRunner("contract", LocalStreamingRunner.DEFAULT_MAX_OUTPUT_BYTES, Duration.ofMillis(500));

  @Override
  protected CommandRunner runner() {
    return runner;
  }
}
