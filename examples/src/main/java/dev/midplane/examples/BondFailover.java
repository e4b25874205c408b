package dev.midplane.examples;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedKernel;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Bond failover, on blade1 of the embedded chassis: bond0's active NIC loses its link, the MII
 * monitor moves traffic to the NIC on the other midplane, the link comes back, and the operator
 * moves traffic back — after the SDK refused to release the active slave and the kernel refused
 * to make a NIC without link active.
 *
 * <pre>
 * java -cp "$(./midplane classpath)" dev.midplane.examples.BondFailover
 * </pre>
 */
public final class BondFailover {
  private BondFailover() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) {
    try (DemoChassis chassis = DemoChassis.create()) {
      SimulatedKernel blade1 = chassis.blade("blade1");
      Sysfs sysfs = Sysfs.on(blade1.host());
      InterfaceName bond0 = InterfaceName.of("bond0");
      InterfaceName eth0 = InterfaceName.of("eth0");
      InterfaceName eth1 = InterfaceName.of("eth1");
      out.println("before:   " + summary(sysfs.procBonding(bond0)));

      try {
        sysfs.bonding().release(bond0, eth0);
      } catch (UnsafeOperationException e) {
        out.println("refused:  " + e.getMessage());
      }

      blade1.net().setCarrier(eth0, false);          // midplane A's switch port goes down
      blade1.advance(Duration.ofMillis(300));        // three MII polls later
      out.println("eth0 down: " + summary(sysfs.procBonding(bond0)));

      try {
        sysfs.bonding().setActiveSlave(bond0, eth0);
      } catch (AttributeWriteException e) {
        out.println("refused:  " + e.getMessage());
      }

      blade1.net().setCarrier(eth0, true);           // repaired
      blade1.advance(Duration.ofMillis(300));
      out.println("eth0 back: " + summary(sysfs.procBonding(bond0)));
      sysfs.bonding().setActiveSlave(bond0, eth0);   // the operator moves traffic back to midplane A
      out.println("moved:    " + summary(sysfs.procBonding(bond0)));
      out.println("eth1 stayed a slave: " + sysfs.procBonding(bond0).slave(eth1).isPresent());
    }
  }

  /** {@code active eth1; eth0 down (1 failure), eth1 up (0 failures)}. */
  static String summary(ProcBonding b) {
    StringBuilder s = new StringBuilder("active ").append(b.activeSlave().map(Object::toString).orElse("none"));
    String sep = "; ";
    for (ProcBonding.Slave slave : b.slaves()) {
      s.append(sep).append(slave.name()).append(' ').append(slave.miiStatus().text())
          .append(" (").append(slave.linkFailureCount()).append(slave.linkFailureCount() == 1 ? " failure)" : " failures)");
      sep = ", ";
    }
    return s.toString();
  }
}
