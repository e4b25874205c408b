package dev.midplane.benchmarks;

import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.VifPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Locking {@code vifs} VM interfaces against spoofing, in a fresh network namespace each time
 * (root needed): the SDK's lock with each backend — one writing process, plus the reads around it
 * (ebtables: read, restore, read back; nftables: nft -f, read back) — the bare writing process
 * alone, and the baseline: the same rules made with one {@code ebtables} process per rule, as a
 * shell script calling ebtables would. Report {@code ebtablesProcessPerRule} divided by the others.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar VifLock</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class VifLockBenchmark {
  @Param("500")
  public int vifs;

  private NetworkBenchNamespace ns;
  private List<VifPolicy> policies;
  private String ebtablesScript;
  private String nftScript;

  @Setup(Level.Iteration)
  public void setUp() {
    ns = new NetworkBenchNamespace();
    policies = new ArrayList<>();
    for (int i = 0; i < vifs; i++) {
      policies.add(VifPolicy.of(InterfaceName.xenVif(i + 1, 0), MacAddress.fromBits(0x00163e000000L + i + 1),
          Ipv4Address.fromBits(Ipv4Address.of("192.0.2.0").bits() + 1 + i % 254)));
    }
    ebtablesScript = AntiSpoofing.on(ns.host, AntiSpoofing.Backend.EBTABLES).script(policies);
    nftScript = AntiSpoofing.on(ns.host, AntiSpoofing.Backend.NFTABLES).script(policies);
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    ns.close();
  }

  @Benchmark
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public Object nftablesLock() {
    return AntiSpoofing.on(ns.host, AntiSpoofing.Backend.NFTABLES).lock(policies);
  }

  @Benchmark
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public Object ebtablesLock() {
    return AntiSpoofing.on(ns.host, AntiSpoofing.Backend.EBTABLES).lock(policies);
  }

  @Benchmark
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public Object nftablesOneProcess() {
    return ns.host.execute(Command.builder("nft", "-f", "-").stdin(nftScript).build());
  }

  @Benchmark
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public Object ebtablesOneProcess() {
    return ns.host.execute(Command.builder("ebtables-restore", "--noflush").stdin(ebtablesScript).build());
  }

  /** The same rules, one ebtables process per chain and per rule. */
  @Benchmark
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public int ebtablesProcessPerRule() {
    int n = 0;
    for (String line : ebtablesScript.split("\n")) {
      List<String> argv = new ArrayList<>(List.of("ebtables"));
      if (line.startsWith(":")) {
        String[] p = line.substring(1).split(" ");
        argv.addAll(List.of("-N", p[0], "-P", p[1]));
      } else if (line.startsWith("-")) {
        argv.addAll(List.of(line.split(" ")));
      } else {
        continue; // *filter, COMMIT
      }
      ns.host.execute(Command.of(argv));
      n++;
    }
    return n;
  }
}
