// Growing a VM's LUN live on the embedded simulated chassis: array, rescan, resize.
//   jshell --class-path "$(./midplane classpath)" examples/jshell/lun-grow.jsh
import dev.midplane.core.names.*;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.sysfs.*;

var chassis = DemoChassis.create();
var alias = MultipathAlias.of("web01");
var wwid = chassis.provisionLun(alias, 20L << 30);          // presented to both blades, scanned, /dev/mapper/web01
System.out.print(chassis.inventory().render());             // the shared LUN inventory

chassis.san().grow(wwid, 30L << 30);                         // the array grows the LUN

var web01 = chassis.multipath("blade1").device(alias);        // a handle on /dev/mapper/web01 of blade1
System.out.print(web01.resize().toSize(30L << 30).plan().dryRun());   // rescan every path, then multipathd resize map
web01.resize().toSize(30L << 30).call();

var sysfs = Sysfs.on(chassis.host("blade1"));
var map = sysfs.topology().multipathMap("web01").orElseThrow();
System.out.println("blade1 /dev/mapper/web01: " + (map.sizeBytes() >> 30) + " GiB over " + map.paths());

chassis.close();
/exit
