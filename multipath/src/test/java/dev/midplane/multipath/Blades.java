package dev.midplane.multipath;

import dev.midplane.core.Host;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.files.AttributeWriter;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Simulated blades with multipath-tools for the lifecycle tests: a kernel of the {@code blade}
 * preset on a shared array, its simulated tools, a recording runner in front of them (for faults
 * and for the commands a plan ran) and a {@link Multipath} over it all with short waits.
 */
final class Blades {
  /** A blade of the chassis. */
  static final class Blade {
    final SimulatedKernel kernel;
    final SimulatedMultipathTools tools;
    final RecordingRunner runner;
    final Host host;
    final Multipath multipath;

    Blade(SimulatedKernel kernel, SimulatedMultipathTools tools, Path inventory, AttributeWriter attributes) {
      this.kernel = kernel;
      this.tools = tools;
      this.runner = RecordingRunner.wrapping(kernel.runner());
      this.host = Host.of(kernel.name(), Host.Kind.SIMULATED, runner, kernel.root(), attributes, null);
      this.multipath = Multipath.on(host).withInventory(inventory).withDeadline(Duration.ofMillis(300))
          .withSettleTime(Duration.ZERO);
    }

    Topology storage() {
      return Sysfs.on(kernel.host()).discover().network(false).call();
    }

    long mapSize(String name) {
      return storage().multipathMap(name).orElseThrow().sizeBytes();
    }
  }

  private Blades() {}

  static Blade blade(Path dir, String name, SimulatedSan san, Path inventory) {
    return blade(dir, name, san, inventory, SimulatedMultipathTools.DEFAULT_VERSION, true, null);
  }

  /** {@code attributes} may wrap the kernel's attribute writer (null: the kernel's own). */
  static Blade blade(Path dir, String name, SimulatedSan san, Path inventory, ToolsVersion version, boolean daemon,
      java.util.function.UnaryOperator<AttributeWriter> attributes) {
    SimulatedKernel k = SimulatedKernel.blade(dir.resolve(name), HostName.of(name), san);
    SimulatedMultipathTools t = SimulatedMultipathTools.on(k).version(version).daemonRunning(daemon).install();
    return new Blade(k, t, inventory, attributes == null ? k : attributes.apply(k));
  }

  /** A LUN of {@code bytes} on the array, presented to every HBA of {@code blades}. */
  static Wwid presented(SimulatedSan san, long bytes, Blade... blades) {
    Wwid w = san.createLun(bytes);
    for (Blade b : blades) {
      san.present(w, b.kernel.scsi().initiatorPorts());
    }
    return w;
  }

  /** A new LUN presented to {@code b} only, and found by a scan of {@code b}'s multipath. */
  static Wwid presentedAndScanned(SimulatedSan san, long bytes, Blade b) {
    Wwid w = presented(san, bytes, b);
    b.multipath.scan().call();
    return w;
  }
}
