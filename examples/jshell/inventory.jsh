// A blade's topology as the SDK reads it from sysfs, and as `midplane inventory --json` prints it.
//   jshell --class-path "$(./midplane classpath)" examples/jshell/inventory.jsh
import dev.midplane.core.names.*;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.examples.json.*;
import dev.midplane.sysfs.*;

var chassis = DemoChassis.create();
chassis.provisionLun(MultipathAlias.of("db01"), 40L << 30, "blade1");   // zoned to blade1 only

Topology t = Sysfs.on(chassis.host("blade1")).topology();
for (BondDevice b : t.bonds()) {
  System.out.println(b.name() + " " + b.mode().option() + " active " + b.activeSlave().orElseThrow() + " slaves " + b.slaves().size());
}
t.multipathMaps().forEach(m -> System.out.println("/dev/mapper/" + m.name() + " " + m.wwid() + " " + (m.sizeBytes() >> 30) + " GiB"));
System.out.println(Json.line(InventoryView.of(t).maps()));        // the "maps" of `midplane inventory --json`

var t2 = Sysfs.on(chassis.host("blade2")).topology();
System.out.println("blade2 maps: " + t2.multipathMaps().size());

chassis.close();
/exit
