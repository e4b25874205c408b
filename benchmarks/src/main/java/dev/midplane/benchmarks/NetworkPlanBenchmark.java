package dev.midplane.benchmarks;

import dev.midplane.core.exec.Command;
import dev.midplane.core.plan.Plan;
import dev.midplane.network.BridgeOptions;
import dev.midplane.network.Network;
import dev.midplane.network.NetworkChange;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 100-step network plan (10 bridges, 40 ports attached and set up, the bridges set up) in a
 * fresh namespace each time (root needed): the SDK's plan — one read to plan, one {@code ip
 * -batch}, one read-back — against the same steps as one {@code ip} process each, with and without
 * a read-back after each step (what a plan of independent steps would do).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar NetworkPlan</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(1)
public class NetworkPlanBenchmark {
  private NetworkBenchNamespace ns;
  private Network net;
  private Plan plan;

  @Setup(Level.Iteration)
  public void setUp() {
    ns = new NetworkBenchNamespace();
    StringBuilder veths = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      veths.append("link add p").append(i).append(" type veth peer name p").append(i).append("p\n");
    }
    ns.host.execute(Command.builder("ip", "-batch", "-").stdin(veths.toString()).build());
    net = Network.on(ns.host, Network.Backend.IPROUTE2);
    plan = change().plan();
  }

  private NetworkChange change() {
    NetworkChange c = net.change("ten bridges of four ports");
    for (int b = 0; b < 10; b++) {
      c.createBridge("xb" + b, BridgeOptions.xen());
    }
    for (int p = 0; p < 40; p++) {
      c.attach("p" + p, "xb" + (p / 4)).up("p" + p);
    }
    for (int b = 0; b < 10; b++) {
      c.up("xb" + b);
    }
    return c;
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    ns.close();
  }

  /** Plan (one read) and apply (one ip -batch, one read-back). */
  @Benchmark
  public Object batchedPlan() {
    return change().apply();
  }

  @Benchmark
  public int processPerStep() {
    int n = 0;
    for (Command c : plan.commands()) {
      ns.host.execute(c);
      n++;
    }
    return n;
  }

  @Benchmark
  public int processPerStepWithReadBack() {
    int n = 0;
    for (Command c : plan.commands()) {
      ns.host.execute(c);
      n += ns.host.execute("ip", "-j", "-d", "addr", "show").stdout().length() > 0 ? 1 : 0;
    }
    return n;
  }
}
