// Live migration between the blades of the embedded simulated chassis, with preflight.
//   jshell --class-path "$(./midplane classpath)" examples/jshell/migration.jsh
import dev.midplane.core.names.*;
import dev.midplane.examples.demo.*;
import dev.midplane.xen.chassis.*;

var chassis = Demo.prepared();              // web01 (xenbr0) and db01 (xenbr1) run on blade1, vifs locked
var xen = chassis.xen();                    // Xen across both blades, profiles and placement in the shared directory
var blade2 = HostName.of("blade2");
var web01 = DomainName.of("web01");

System.out.println(xen.preflight(web01, blade2));             // clear

var migration = xen.migrate(web01, blade2);
System.out.print(migration.dryRun());                          // the preflight and the plan: lock, migrate, unlock, placement
var outcome = migration.call();
System.out.print(outcome.report());
System.out.println("web01 runs on " + xen.whereIs(web01).runningOn() + ", placed on " + xen.placement().hostOf(web01).orElseThrow());

System.out.println(xen.preflight(DomainName.of("db01"), blade2));   // blocked: every reason

chassis.close();
/exit
