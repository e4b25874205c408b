package dev.midplane.examples.cli;

import static dev.midplane.examples.cli.Cli.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code midplane demo --json} through the entry point, step by step: not only that it ran, but
 * the facts of each step — the bonds built, the generated config, the maps and their sizes, the
 * locks and the frames they drop, the grown map, the failover's new active slave, the refusals.
 */
class DemoCommandTest {
  private static final long GIB = 1L << 30;
  private static Map<String, JsonNode> steps;

  @BeforeAll
  static void runTheDemo() {
    Cli.Run run = Cli.run("demo", "--json");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    steps = new LinkedHashMap<>();
    int n = 1;
    for (JsonNode line : run.jsonLines()) {
      assertThat(Cli.fields(line)).containsExactly("step", "title", "lines", "facts");
      assertThat(line.get("step").asInt()).isEqualTo(n++);
      steps.put(line.get("title").asText(), line.get("facts"));
    }
  }

  private static JsonNode facts(String titleStart) {
    return steps.entrySet().stream().filter(e -> e.getKey().startsWith(titleStart)).map(Map.Entry::getValue)
        .findFirst().orElseThrow(() -> new AssertionError("no step '" + titleStart + "…' in " + steps.keySet()));
  }

  @Test
  void theStepsComeInTheScenariosOrder() {
    assertThat(List.copyOf(steps.keySet())).containsExactly(
        "Two blades, one storage array",
        "bond0/bond1 active-backup on the midplane NIC pairs, xenbr0/xenbr1 on them",
        "The shared LUN inventory and the multipath.conf it generates",
        "LUN scan, and maps named after the VMs",
        "Two VMs on their VLAN bridges, disks on /dev/mapper/<alias>",
        "Anti-spoofing locked on the VMs' vifs (ebtables)",
        "A LUN grown on the array, its paths rescanned, its map resized",
        "bond0 fails over when its active NIC loses its link",
        "web01 migrates live to blade2, after its preflight",
        "db01's preflight to blade2 is refused, with every reason",
        "blade1 reboots; each blade starts exactly the VMs placed on it",
        "A LUN removed safely");
  }

  @Test
  void twoBladesWithFourNicsAndTwoHbasEach() {
    JsonNode f = facts("Two blades");
    assertThat(f.get("blades")).hasSize(2);
    for (JsonNode b : f.get("blades")) {
      assertThat(texts(b.get("nics"))).containsExactly("eth0", "eth1", "eth2", "eth3");
      assertThat(b.get("fcHosts").asInt()).isEqualTo(2);
    }
  }

  @Test
  void bondsAreActiveBackupOnTheMidplanePairsAndBridgesSitOnThem() {
    JsonNode layout = facts("bond0/bond1").get("layout");
    for (String blade : List.of("blade1", "blade2")) {
      JsonNode bonds = layout.get(blade).get("bonds");
      assertThat(bonds.get(0).get("name").asText()).isEqualTo("bond0");
      assertThat(bonds.get(0).get("mode").asText()).isEqualTo("active-backup");
      assertThat(texts(bonds.get(0).get("slaves"))).containsExactly("eth0", "eth1");
      assertThat(bonds.get(0).get("activeSlave").asText()).isEqualTo("eth0");
      assertThat(texts(bonds.get(1).get("slaves"))).containsExactly("eth2", "eth3");
      assertThat(texts(layout.get(blade).get("bridges").get("xenbr0"))).containsExactly("bond0");
      assertThat(texts(layout.get(blade).get("bridges").get("xenbr1"))).containsExactly("bond1");
    }
  }

  @Test
  void theGeneratedConfigBlacklistsEverythingButTheInventoryAndIsTheSameEverywhere() {
    JsonNode f = facts("The shared LUN inventory");
    assertThat(f.get("inventory").findValuesAsText("alias")).containsExactly("web01", "db01", "scratch01");
    assertThat(f.get("inventory").findValuesAsText("vm")).containsExactly("web01", "db01", "");
    assertThat(texts(f.get("blacklist"))).containsExactly(".*");
    List<String> exceptions = texts(f.get("blacklistExceptions"));
    assertThat(exceptions).hasSize(3);
    List<String> wwids = f.get("inventory").findValuesAsText("wwid");
    for (int i = 0; i < 3; i++) {
      assertThat(exceptions.get(i)).isEqualTo("^" + wwids.get(i) + "$");
    }
    assertThat(f.get("configsIdentical").asBoolean()).isTrue();
  }

  @Test
  void mapsAreNamedAfterTheVmsWithTheirSizesAndOnlyWhereThePathsAre() {
    JsonNode maps = facts("LUN scan").get("maps");
    assertThat(Cli.fields(maps.get("blade1"))).containsExactly("web01", "db01", "scratch01");
    assertThat(Cli.fields(maps.get("blade2"))).containsExactly("web01", "scratch01");
    assertThat(maps.get("blade1").get("web01").get("sizeBytes").asLong()).isEqualTo(20 * GIB);
    assertThat(maps.get("blade1").get("db01").get("sizeBytes").asLong()).isEqualTo(40 * GIB);
    assertThat(maps.get("blade1").get("web01").get("paths").asInt()).isEqualTo(4);
    assertThat(maps.get("blade2").get("web01").get("wwid").asText())
        .isEqualTo(maps.get("blade1").get("web01").get("wwid").asText());
  }

  @Test
  void theVmsSitOnTheirVlansBridgesWithMultipathDisks() {
    JsonNode vms = facts("Two VMs").get("vms");
    assertThat(vms.findValuesAsText("name")).containsExactly("web01", "db01");
    assertThat(vms.findValuesAsText("bridge")).containsExactly("xenbr0", "xenbr1");
    assertThat(vms.findValuesAsText("disk")).containsExactly("/dev/mapper/web01", "/dev/mapper/db01");
    assertThat(vms.findValuesAsText("vif")).containsExactly("web01-0", "db01-0");
    assertThat(vms.findValuesAsText("vifInBridge")).containsExactly("true", "true");
    assertThat(texts(facts("Two VMs").get("started"))).containsExactlyInAnyOrder("web01", "db01");
    assertThat(vms.findValuesAsText("host")).containsExactly("blade1", "blade1");
  }

  @Test
  void bothVifsAreLockedAndEverySpoofedFrameIsDropped() {
    JsonNode f = facts("Anti-spoofing");
    assertThat(f.get("backend").asText()).isEqualTo("ebtables");
    assertThat(texts(f.get("locked"))).containsExactlyInAnyOrder("web01-0", "db01-0");
    JsonNode probes = f.get("probes");
    assertThat(probes.get("honest IPv4 from web01").asBoolean()).isTrue();
    assertThat(probes.get("web01 with db01's MAC").asBoolean()).isFalse();
    assertThat(probes.get("web01 with db01's IP").asBoolean()).isFalse();
    assertThat(probes.get("web01 forging ARP for db01's IP").asBoolean()).isFalse();
    assertThat(probes.get("db01's unicast flooded to web01").asBoolean()).isFalse();
  }

  @Test
  void theGrownLunsMapIsResizedOnBothBladesAndAWrongSizeIsRefused() {
    JsonNode f = facts("A LUN grown");
    assertThat(f.get("beforeBytes").asLong()).isEqualTo(20 * GIB);
    assertThat(f.get("pathBytes").get(0).asLong()).isEqualTo(30 * GIB);
    assertThat(f.get("pathBytes")).hasSize(1);
    assertThat(f.get("afterBytes").asLong()).isEqualTo(30 * GIB);
    assertThat(f.get("afterBytesBlade2").asLong()).isEqualTo(30 * GIB);
    assertThat(f.get("refusedWrongSize")).hasSize(1);
    assertThat(f.get("refusedWrongSize").get(0).asText())
        .contains("the paths report " + 30 * GIB + " bytes, not the expected " + 40 * GIB + " bytes");
  }

  @Test
  void bond0FailsOverToTheOtherMidplane() {
    JsonNode f = facts("bond0 fails over");
    assertThat(f.get("activeBefore").asText()).isEqualTo("eth0");
    assertThat(f.get("lostSlave").asText()).isEqualTo("eth0");
    assertThat(f.get("activeAfter").asText()).isEqualTo("eth1");
    assertThat(f.get("lostSlaveMii").asText()).isEqualTo("down");
    assertThat(f.get("linkFailureCount").asInt()).isEqualTo(1);
    assertThat(f.get("networkActive").asText()).as("the network module reads the same").isEqualTo("eth1");
    assertThat(texts(f.get("slavesWithLink"))).containsExactly("eth1");
  }

  @Test
  void web01MigratesAfterAClearPreflightWithItsLockInPlaceBeforeItRuns() {
    JsonNode f = facts("web01 migrates");
    assertThat(f.get("preflightClear").asBoolean()).isTrue();
    List<String> steps = texts(f.get("planSteps"));
    assertThat(steps).hasSize(4);
    assertThat(steps.get(0)).startsWith("lock vif web01-0").contains("on blade2 before web01 runs there");
    assertThat(steps.get(1)).startsWith("migrate web01 from blade1 to blade2");
    assertThat(steps.get(2)).startsWith("unlock vif web01-0").contains("from blade1");
    assertThat(steps.get(3)).startsWith("move web01's placement from blade1 to blade2");
    assertThat(texts(f.get("runningOn"))).containsExactly("blade2");
    assertThat(f.get("lockedOnTarget").asBoolean()).isTrue();
    assertThat(f.get("rulesLeftOnSource").asBoolean()).isFalse();
    assertThat(f.get("placement").asText()).isEqualTo("blade2");
  }

  @Test
  void db01sPreflightIsRefusedWithEveryReasonAndNothingMoves() {
    JsonNode f = facts("db01's preflight");
    assertThat(f.get("clear").asBoolean()).isFalse();
    assertThat(texts(f.get("blockerKinds"))).containsExactlyInAnyOrder("MEMORY", "DISK");
    assertThat(texts(f.get("blockers"))).anySatisfy(b -> assertThat(b).contains("blade2 has no multipath map db01"))
        .anySatisfy(b -> assertThat(b).contains("blade2 has 6656 MiB free, db01 needs 10240 MiB"));
    assertThat(texts(f.get("refusalReasons"))).containsExactlyInAnyOrderElementsOf(texts(f.get("blockers")));
    assertThat(texts(f.get("runningOn"))).containsExactly("blade1");
  }

  @Test
  void afterARebootEachBladeStartsExactlyItsVmsAndNoneTwice() {
    JsonNode f = facts("blade1 reboots");
    assertThat(f.get("startAll").get("blade1").get("db01").asText()).isEqualTo("STARTED");
    assertThat(Cli.fields(f.get("startAll").get("blade1"))).containsExactly("db01");
    assertThat(f.get("startAll").get("blade2").get("web01").asText()).isEqualTo("ALREADY_RUNNING");
    assertThat(texts(f.get("running").get("blade1"))).containsExactly("db01");
    assertThat(texts(f.get("running").get("blade2"))).containsExactly("web01");
    assertThat(f.get("db01Locked").asBoolean()).isTrue();
  }

  @Test
  void theLunInUseIsRefusedAndTheOtherLeavesNothingBehind() {
    JsonNode f = facts("A LUN removed safely");
    List<String> refusals = texts(f.get("refusals"));
    assertThat(refusals).hasSize(2);
    assertThat(refusals.get(0)).contains("refused to remove multipath map web01 and its paths from blade2")
        .contains("web01 is open (1 opener(s)");
    assertThat(refusals.get(1)).contains("delete SCSI device").contains("held by dm-");
    assertThat(f.get("mapGone").asBoolean()).isTrue();
    assertThat(f.get("pathsGone").asBoolean()).isTrue();
    assertThat(f.get("configsClean").asBoolean()).isTrue();
    assertThat(texts(f.get("inventoryAliases"))).containsExactly("web01", "db01");
  }

  @Test
  void theTextForPeopleNumbersTheStepsAndEveryStepUsesTheModules() {
    Cli.Run run = Cli.run("demo");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("== 1. Two blades, one storage array").contains("== 12. A LUN removed safely")
        .contains("done: 12 steps").doesNotContain("standing in for");
  }
}
