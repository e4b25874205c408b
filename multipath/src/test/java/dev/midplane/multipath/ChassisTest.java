package dev.midplane.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two blades on one array with one shared inventory: the same {@code multipath.conf} on both, and
 * each blade makes only the maps whose paths it sees.
 */
class ChassisTest {
  static final long GIB = 1L << 30;
  static final MultipathAlias SHARED = MultipathAlias.of("vm-web01");
  static final MultipathAlias ONLY_ONE = MultipathAlias.of("vm-db01");

  @TempDir
  Path dir;

  @Test
  void eachBladeMakesOnlyTheMapsItSeesFromTheSameFile() throws Exception {
    SimulatedSan san = SimulatedSan.create();
    Path inventory = dir.resolve("shared/luns");
    Blades.Blade one = Blades.blade(dir, "blade1", san, inventory);
    Blades.Blade two = Blades.blade(dir, "blade2", san, inventory);
    Wwid shared = Blades.presented(san, 10 * GIB, one, two);
    Wwid onlyOne = Blades.presented(san, 5 * GIB, one);

    one.multipath.scan().call();
    one.multipath.create(SHARED, shared).call();
    one.multipath.create(ONLY_ONE, onlyOne).call();
    assertThat(one.storage().multipathMaps()).extracting(MultipathMap::name).containsExactlyInAnyOrder("vm-web01", "vm-db01");

    // blade2 reads the same inventory: its scan makes the shared LUN's map and nothing else
    ScanCommand.Report r = two.multipath.scan().call();
    assertThat(r.mapsMade()).containsExactly(SHARED);
    assertThat(two.storage().multipathMaps()).extracting(MultipathMap::name).containsExactly("vm-web01");
    assertThat(two.storage().pathsTo(onlyOne)).as("not zoned to blade2").isEmpty();
    assertThat(two.multipath.device(ONLY_ONE).exists()).isFalse();
    assertThat(two.multipath.inventory().luns()).extracting(Lun::alias).containsExactly(SHARED, ONLY_ONE);

    String conf1 = Files.readString(one.kernel.root().resolve("etc/multipath.conf"));
    String conf2 = Files.readString(two.kernel.root().resolve("etc/multipath.conf"));
    assertThat(conf2).as("every host has the same file").isEqualTo(conf1).contains(onlyOne.value());

    // both blades grow the shared map once the array grows it; each host's map is its own
    san.grow(shared, 15 * GIB);
    assertThat(one.multipath.device(SHARED).resize().call().sizeBytes()).isEqualTo(15 * GIB);
    assertThat(two.mapSize("vm-web01")).isEqualTo(10 * GIB);
    assertThat(two.multipath.device(SHARED).resize().call().sizeBytes()).isEqualTo(15 * GIB);
  }

  @Test
  void aBladeCatchesUpWithTheInventoryThroughConfigure() throws Exception {
    SimulatedSan san = SimulatedSan.create();
    Path inventory = dir.resolve("shared/luns");
    Blades.Blade one = Blades.blade(dir, "blade1", san, inventory);
    Blades.Blade two = Blades.blade(dir, "blade2", san, inventory);
    Wwid shared = Blades.presented(san, 10 * GIB, one, two);
    one.multipath.scan().call();
    two.multipath.scan().call();
    one.multipath.create(SHARED, shared).call();

    Plan p = two.multipath.configure();
    assertThat(p.isEmpty()).isFalse();
    assertThat(p.dryRun()).contains("write /etc/multipath.conf from the inventory: 1 LUN(s)").contains("$ multipathd reconfigure");
    p.apply();
    assertThat(two.storage().multipathMap("vm-web01")).as("multipathd made it when it read the file").isPresent();
    assertThat(two.multipath.configure().isEmpty()).isTrue();

    // retired on blade1 and forgotten: blade2's next configure lets it go too
    one.multipath.device(SHARED).remove().forget(true).call();
    assertThat(one.multipath.inventory().luns()).isEmpty();
    two.multipath.device(SHARED).remove().call();
    two.multipath.configure().apply();
    assertThat(Files.readString(two.kernel.root().resolve("etc/multipath.conf"))).doesNotContain(shared.value());
    two.multipath.scan().call();
    assertThat(two.storage().multipathMaps()).isEmpty();
  }
}
