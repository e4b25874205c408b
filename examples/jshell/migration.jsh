// Live migration between the blades of the embedded simulated chassis, with preflight.
//   jshell --class-path "$(./midplane classpath)" examples/jshell/migration.jsh
import dev.midplane.core.names.*;
import dev.midplane.examples.demo.*;
import dev.midplane.xen.*;

var chassis = Demo.prepared();              // web01 (xenbr0) and db01 (xenbr1) run on blade1, vifs locked
var blade1 = chassis.host("blade1");
var blade2 = chassis.host("blade2");
var web01 = DomainName.of("web01");

var pre = MigrationPreflight.check(blade1, blade2, web01);
pre.checks().forEach(System.out::println);

var done = LockedMigration.of(blade1, blade2, web01).call();   // paused on arrival, lock moved, unpaused
System.out.println("migrated: " + done.migration().target() + " in " + done.migration().events().size() + " progress lines");
System.out.print(ToolstackOutputs.renderList(java.util.List.of(Xen.on(blade2).domain(web01).status())));   // as xl list prints it

var refused = MigrationPreflight.check(blade1, blade2, DomainName.of("db01"));
System.out.println("db01 blockers: " + refused.blockers());

chassis.close();
/exit
