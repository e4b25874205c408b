package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link MultipathToolsContract} and the {@link DeviceMapperContract} for the command-line
 * backends over the simulated tools, on a blade (two FC HBAs, two target ports: four paths) whose map of one LUN was made through
 * {@link Multipath#create}: with multipathd running, and (multipath only) without it.
 */
class SimulatedToolsContractTest {
  static final MultipathAlias ALIAS = MultipathAlias.of("vm-contract");

  /** A blade with the map of one LUN, built again for every test. */
  static final class Blade implements BackendFixture {
    private final Path dir;
    private final boolean daemon;
    private SimulatedKernel kernel;
    private Wwid lun;

    Blade(Path dir, boolean daemon) {
      this.dir = dir;
      this.daemon = daemon;
    }

    @Override
    public Host host() {
      return kernel.host();
    }

    @Override
    public Wwid lun() {
      return lun;
    }

    @Override
    public MultipathAlias alias() {
      return ALIAS;
    }

    @Override
    public int pathCount() {
      return 4;
    }

    @Override
    public boolean daemonRunning() {
      return daemon;
    }

    @Override
    public void reset() {
      SimulatedSan san = SimulatedSan.create();
      kernel = SimulatedKernel.blade(dir.resolve("blade1"), HostName.of("blade1"), san);
      SimulatedMultipathTools.on(kernel).daemonRunning(daemon).install();
      lun = san.createLun(10L << 30);
      san.present(lun, kernel.scsi().initiatorPorts());
      Multipath mp = Multipath.on(kernel.host()).withInventory(dir.resolve("luns"))
          .withDeadline(Duration.ofMillis(300)).withSettleTime(Duration.ZERO);
      mp.scan().call();
      mp.create(ALIAS, lun).call();
    }

    @Override
    public AutoCloseable holdOpen() {
      kernel.deviceMapper().open(ALIAS.value());
      return () -> kernel.deviceMapper().close(ALIAS.value());
    }
  }

  /** One blade per test, made when the suite first asks for it. */
  private Blade blade;

  private BackendFixture blade(Path dir, boolean daemon) {
    if (blade == null) {
      blade = new Blade(dir, daemon);
    }
    return blade;
  }

  @Nested
  class WithMultipathd extends MultipathToolsContract {
    @TempDir
    Path dir;

    @Override
    protected BackendFixture fixture() {
      return blade(dir, true);
    }
  }

  @Nested
  class WithoutMultipathd extends MultipathToolsContract {
    @TempDir
    Path dir;

    @Override
    protected BackendFixture fixture() {
      return blade(dir, false);
    }
  }

  @Nested
  class DeviceMapperOnTheBlade extends DeviceMapperContract {
    @TempDir
    Path dir;

    @Override
    protected BackendFixture fixture() {
      return blade(dir, true);
    }
  }
}
