package dev.midplane.benchmarks;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.Xen;
import dev.midplane.xen.chassis.MigrationOutcome;
import dev.midplane.xen.chassis.MigrationPreflight;
import dev.midplane.xen.chassis.XenChassis;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.sim.SimulatedChassis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What the chassis layer adds on top of the toolstack commands it runs, on two simulated blades
 * (the xen module's {@code SimulatedChassis}), each next to its baseline in the same run:
 *
 * <ul>
 *   <li>{@code preflight}: the whole migration preflight of a VM (both hosts' facts read in
 *       parallel, parsed and compared, the ssh probe); baseline {@code preflightCommandsOnly}: the
 *       same commands, recorded from one preflight, replayed one after the other through the same
 *       runners with their output thrown away (the blades have no nft or ebtables: the probes for
 *       them fail to start in both).
 *   <li>{@code chassisMigration}: a migration as the plan (preflight, migrate, check that the VM
 *       runs on exactly one host, placement moved) to the other blade, alternately; baseline
 *       {@code bareXlMigrate}: {@code xl migrate vm1 <other blade>} alone, run through the source's
 *       runner.
 * </ul>
 * The simulated tools answer in microseconds where real ones take milliseconds to seconds, so the
 * ratios are an upper bound of the SDK's share on a real chassis.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar XenChassis</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class XenChassisBenchmark {
  private static final DomainName VM = DomainName.of("vm1");
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");

  private Path dir;
  private SimulatedChassis sim;
  private XenChassis xc;
  private final List<Map.Entry<Host, Command>> preflightCommands = new ArrayList<>();
  private HostName at = BLADE1;

  @Setup(Level.Trial)
  public void chassis() throws IOException {
    dir = Files.createTempDirectory("xen-chassis-bench");
    sim = SimulatedChassis.builder().blades(2).build(dir);
    sim.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
    DomainConfig vm = VifNames.assign(DomainConfig.parse("""
        name = "vm1"
        type = "pvh"
        kernel = "/boot/vmlinuz-guest"
        memory = 512
        vcpus = 2
        disk = [ 'phy:/dev/mapper/vm1,xvda,w' ]
        vif = [ 'mac=00:16:3e:00:01:01, bridge=xenbr1' ]
        """, Dialect.XL, "vm1.cfg"));
    Xen.on(sim.host(BLADE1)).create(vm);
    xc = XenChassis.of(sim.chassis(), sim.sharedDirectory());
    xc.profiles().save(vm);
    xc.placement().place(VM, BLADE1);

    List<RecordingRunner> recorders = new ArrayList<>();
    for (HostName h : List.of(BLADE1, BLADE2)) {
      RecordingRunner r = RecordingRunner.wrapping(sim.host(h).runner());
      recorders.add(r);
      sim.decorate(h.value(), x -> r);
    }
    MigrationPreflight p = XenChassis.of(sim.chassis(), sim.sharedDirectory()).preflight(VM, BLADE2);
    if (!p.isClear()) {
      throw new IllegalStateException("the preflight should be clear: " + p);
    }
    sim.undecorate("blade1");
    sim.undecorate("blade2");
    for (int i = 0; i < 2; i++) {
      Host h = sim.host(i == 0 ? BLADE1 : BLADE2);
      // ssh from blade1 replays blade2's side through blade1's runner; drop what it ran on blade2
      recorders.get(i).commands().stream().filter(c -> !(h.name().equals(BLADE2) && c.argv().get(0).equals("true")))
          .forEach(c -> preflightCommands.add(Map.entry(h, c)));
    }
    if (preflightCommands.size() < 4) {
      throw new IllegalStateException("the preflight ran too few commands to be measured: " + preflightCommands);
    }
  }

  @TearDown(Level.Trial)
  public void remove() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private HostName other() {
    return at.equals(BLADE1) ? BLADE2 : BLADE1;
  }

  @Benchmark
  public MigrationPreflight preflight() {
    return xc.preflight(VM, BLADE2);
  }

  @Benchmark
  public long preflightCommandsOnly() {
    long n = 0;
    for (Map.Entry<Host, Command> e : preflightCommands) {
      try {
        n += e.getKey().run(e.getValue()).stdout().length();
      } catch (CommandFailedException notInstalled) { // the probes for nft and ebtables, absent here
        n--;
      }
    }
    return n;
  }

  @Benchmark
  public MigrationOutcome chassisMigration() {
    MigrationOutcome o = xc.migrate(VM, other()).call();
    at = other();
    return o;
  }

  @Benchmark
  public int bareXlMigrate() {
    int exit = sim.host(at).execute("xl", "migrate", VM.value(), other().value()).exitCode();
    at = other();
    return exit;
  }
}
