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

var sysfs = Sysfs.on(chassis.host("blade1"));
for (ScsiPath p : sysfs.topology().pathsTo(wwid)) {
  sysfs.rescan(p.device());                                  // echo 1 > /sys/block/sdX/device/rescan
}
chassis.resizeMap("blade1", alias);                          // multipathd resize map web01

var map = sysfs.topology().multipathMap("web01").orElseThrow();
System.out.println("blade1 /dev/mapper/web01: " + (map.sizeBytes() >> 30) + " GiB over " + map.paths());

chassis.close();
/exit
