package dev.midplane.benchmarks;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline every "fewer processes" claim is measured against: the cost of one external process
 * through {@link LocalCommandRunner} ({@code true}: fork, exec, drain, reap) next to the same call
 * answered by a {@link SimulatedRunner}. Report other benchmarks as ratios to {@code localTrue}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProcessSpawnBenchmark {
  private final LocalCommandRunner local = new LocalCommandRunner();
  private final SimulatedRunner simulated = new SimulatedRunner("bench").register("true", inv -> Reply.ok());
  private final Command cmd = Command.of("true");

  @Benchmark
  public int localTrue() {
    return local.run(cmd).exitCode();
  }

  @Benchmark
  public int simulatedTrue() {
    return simulated.run(cmd).exitCode();
  }
}
