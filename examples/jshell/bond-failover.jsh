// Bond failover on blade1 of the embedded simulated chassis.
//   jshell --class-path "$(./midplane classpath)" examples/jshell/bond-failover.jsh
import dev.midplane.core.names.*;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.sysfs.*;
import java.time.Duration;

var chassis = DemoChassis.create();          // two blades: bond0 = eth0+eth1, bond1 = eth2+eth3, xenbr0/xenbr1
var blade1 = chassis.blade("blade1");
var sysfs = Sysfs.on(blade1.host());
var bond0 = InterfaceName.of("bond0");

System.out.println("active before: " + sysfs.procBonding(bond0).activeSlave().orElseThrow());

blade1.net().setCarrier(InterfaceName.of("eth0"), false);   // midplane A's switch port goes down
blade1.advance(Duration.ofMillis(300));                     // the MII monitor polls every 100 ms

var after = sysfs.procBonding(bond0);
System.out.println("active after: " + after.activeSlave().orElseThrow());
System.out.println("eth0 link failures: " + after.slave(InterfaceName.of("eth0")).orElseThrow().linkFailureCount());
System.out.print(after.render());                           // what /proc/net/bonding/bond0 shows now

chassis.close();                                            // deletes the chassis's directory
/exit
