package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.names.HostName;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded chassis: two blades, {@code blade1} and {@code blade2}, each a simulated Linux
 * kernel in a directory of its own (four NICs, two FC HBA ports, unconfigured), behind one
 * simulated FC storage array; plus a shared directory, as an NFS export would be, for the LUN
 * inventory and the VM configs. Everything lives under one temporary directory that
 * {@link #close()} deletes. No root, no real device is touched.
 *
 * <pre>{@code
 * try (DemoChassis c = DemoChassis.create()) {
 *   Host blade1 = c.blade1().host();        // Sysfs.on(blade1), Multipath.on(blade1), ...
 *   c.san().createLun(20L << 30);
 * }
 * }</pre>
 */
public final class DemoChassis implements AutoCloseable {
  private final Path dir;
  private final SimulatedSan san;
  private final SimulatedKernel blade1;
  private final SimulatedKernel blade2;
  private final Path shared;

  private DemoChassis(Path dir) throws IOException {
    this.dir = dir;
    this.san = SimulatedSan.create();
    this.blade1 = blade(dir, "blade1");
    this.blade2 = blade(dir, "blade2");
    this.shared = Files.createDirectories(dir.resolve("shared"));
  }

  private SimulatedKernel blade(Path parent, String name) throws IOException {
    SimulatedKernel k = SimulatedKernel.bareBlade(Files.createDirectories(parent.resolve(name)), HostName.of(name), san);
    SimulatedEbtables.install(k.runner());
    return k;
  }

  /** A chassis in a new temporary directory. */
  public static DemoChassis create() {
    try {
      return new DemoChassis(Files.createTempDirectory("midplane-demo-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo chassis's directory", e);
    }
  }

  /** The storage array both blades' HBAs log into. */
  public SimulatedSan san() {
    return san;
  }

  public SimulatedKernel blade1() {
    return blade1;
  }

  public SimulatedKernel blade2() {
    return blade2;
  }

  /** Both blades, in order. */
  public List<SimulatedKernel> blades() {
    return List.of(blade1, blade2);
  }

  /** The blade called {@code name}. */
  public SimulatedKernel blade(HostName name) {
    return blades().stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new dev.midplane.core.NotFoundException("blade", name.value(), "the chassis has blade1 and blade2"));
  }

  /** The blades' hosts as a chassis, for operations on every blade at once. */
  public Chassis chassis() {
    return Chassis.of(blades().stream().map(SimulatedKernel::host).toList());
  }

  /** The hosts, in order. */
  public List<Host> hosts() {
    return blades().stream().map(SimulatedKernel::host).toList();
  }

  /** The directory every blade mounts: LUN inventory, VM configs, placement. */
  public Path shared() {
    return shared;
  }

  /** Deletes the chassis's directory. */
  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new MidplaneException("could not delete the demo chassis in " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "demo chassis [blade1, blade2] in " + dir;
  }
}
