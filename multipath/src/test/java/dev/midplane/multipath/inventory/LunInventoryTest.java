package dev.midplane.multipath.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory file: reading, the rules, editing and atomic writing. */
class LunInventoryTest {
  private static String fixture(String name) {
    return Fixtures.text(LunInventoryTest.class, name);
  }

  @Test
  void readsTheFormat() {
    LunInventory inv = LunInventory.parse(fixture("luns.txt"));

    assertThat(inv.luns()).extracting(l -> l.alias().value()).containsExactly("web01", "web01-data", "db01", "legacy-sata", "vm-test");
    Lun data = inv.find(MultipathAlias.of("web01-data")).orElseThrow();
    assertThat(data.wwid()).isEqualTo(Wwid.of("3600a0b800026b2820000004e4d2f6b4c"));
    assertThat(data.vm()).hasValue(DomainName.of("web01"));
    assertThat(data.note()).hasValue("second disk of web01");
    assertThat(inv.find(Wwid.of("1ATA     WDC WD1003FBYX"))).hasValueSatisfying(l -> {
      assertThat(l.alias().value()).isEqualTo("legacy-sata");
      assertThat(l.vm()).isEmpty();
    });
    assertThat(inv.disksOf(DomainName.of("web01"))).extracting(l -> l.alias().value()).containsExactly("web01", "web01-data");
  }

  @Test
  void writingKeepsCommentsAndBlankLinesAndReadsBackEqual() {
    LunInventory inv = LunInventory.parse(fixture("luns.txt"));
    String text = inv.render();

    assertThat(text).startsWith("# midplane LUN inventory: alias wwid [vm]\n# Blade chassis 1, array A (two fabrics)\n\nweb01 ");
    assertThat(text).contains("web01-data 3600a0b800026b2820000004e4d2f6b4c web01 # second disk of web01\n");
    assertThat(text).contains("legacy-sata \"1ATA     WDC WD1003FBYX\"\n");
    assertThat(LunInventory.parse(text)).isEqualTo(inv);
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsLine() {
    String text = String.join("\n",
        "# broken on purpose",                                  // 1
        "web01 3600a0b800026b2820000004d4d2f6b4b",              // 2
        "web02 3600a0b800026b2820000004d4d2f6b4b",              // 3 duplicate WWID
        "web01 3600a0b800026b2820000004e4d2f6b4c",              // 4 duplicate alias
        "mpathb 3600a0b800026b2820000004f4d2f6b4d",             // 5 generated shape
        "mpath12 3600a0b80002600000000000000000001",            // 6 generated shape (old numbering)
        "sdb 3600a0b80002600000000000000000002",                // 7 kernel name
        "3600a0b800026b2820000004d4d2f6b4b 3600a0b80002600000000000000000003", // 8 alias = WWID of line 2
        "");
    assertThatThrownBy(() -> LunInventory.parse(text, "luns"))
        .isInstanceOf(InventoryException.class)
        .hasMessageStartingWith("LUN inventory luns: 6 problems: line 3: WWID 3600a0b800026b2820000004d4d2f6b4b is already listed on line 2")
        .satisfies(e -> assertThat(((InventoryException) e).problems()).extracting(InventoryProblem::line)
            .containsExactly(3, 4, 5, 6, 7, 8))
        .satisfies(e -> assertThat(((InventoryException) e).problems()).extracting(InventoryProblem::message).satisfiesExactly(
            m -> assertThat(m).contains("already listed on line 2"),
            m -> assertThat(m).isEqualTo("alias web01 is already used on line 2"),
            m -> assertThat(m).contains("alias mpathb has the shape of the names multipath generates itself"),
            m -> assertThat(m).contains("alias mpath12 has the shape"),
            m -> assertThat(m).contains("alias sdb looks like a kernel block device name"),
            m -> assertThat(m).contains("is the WWID of the LUN on line 2")));
  }

  @Test
  void syntaxProblemsNameTheLineAndTheRule() {
    String text = String.join("\n",
        "ok1 3600a0b800026b2820000004d4d2f6b4b",
        "onlyalias",
        "a b c d",
        "bad;alias 3600a0b800026b2820000004d4d2f6b4c",
        "ok2 \"unclosed",
        "ok3 36005$(reboot)",
        "ok4 3600a0b8000260000000000000000000a bad/vm",
        "");
    assertThatThrownBy(() -> LunInventory.parse(text))
        .isInstanceOfSatisfying(InventoryException.class, e -> assertThat(e.problems()).satisfiesExactly(
            p -> assertThat(p).hasToString("line 2: expected '<alias> <wwid> [<vm>]', found 1 field (quote a WWID that contains spaces)"),
            p -> assertThat(p.toString()).startsWith("line 3: expected '<alias> <wwid> [<vm>]', found 4 fields"),
            p -> assertThat(p.toString()).startsWith("line 4: invalid multipath alias \"bad;alias\""),
            p -> assertThat(p.toString()).isEqualTo("line 5: missing closing quote"),
            p -> assertThat(p.toString()).startsWith("line 6: invalid WWID \"36005$(reboot)\""),
            p -> assertThat(p.toString()).startsWith("line 7: invalid Xen domain name \"bad/vm\"")));
  }

  @Test
  void addingAndRemovingKeepTheRules() {
    LunInventory inv = LunInventory.parse(fixture("luns.txt"));
    Wwid fresh = Wwid.of("3600a0b800026b28200000050a4d2f6b4f");

    LunInventory more = inv.add(Lun.diskOf(DomainName.of("app07"), fresh).withNote("ticket 4711"));
    assertThat(more.find(fresh)).hasValueSatisfying(l -> assertThat(l.alias().value()).isEqualTo("app07"));
    assertThat(more.render()).endsWith("vm-test 1Linux_scsi_debug_2000\napp07 3600a0b800026b28200000050a4d2f6b4f app07 # ticket 4711\n");

    assertThatThrownBy(() -> inv.add(Lun.of(MultipathAlias.of("other"), Wwid.of("eui.0025388b71b2b3f4"))))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("adding other eui.0025388b71b2b3f4")
        .hasMessageContaining("line 9: WWID eui.0025388b71b2b3f4 is already listed on line 6");
    assertThatThrownBy(() -> inv.add(Lun.of(MultipathAlias.of("db01"), fresh)))
        .hasMessageContaining("alias db01 is already used on line 6");

    LunInventory less = more.remove(Wwid.of("3600a0b800026b2820000004e4d2f6b4c"));
    assertThat(less.find(MultipathAlias.of("web01-data"))).isEmpty();
    assertThat(less.render()).startsWith("# midplane LUN inventory");
    assertThatThrownBy(() -> less.remove(Wwid.of("3600a0b800026b2820000004e4d2f6b4c")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("inventoried LUN '3600a0b800026b2820000004e4d2f6b4c' not found");
  }

  @Test
  void writesAtomicallyKeepingThePreviousVersion(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("luns");
    LunInventory first = LunInventory.parse(fixture("luns.txt"));
    first.write(file);
    LunInventory second = first.remove(Wwid.of("1Linux_scsi_debug_2000"));
    second.write(file);

    assertThat(LunInventory.read(file)).isEqualTo(second);
    assertThat(LunInventory.read(dir.resolve("luns.bak"))).isEqualTo(first);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("luns", "luns.bak");
    }
  }

  @Test
  void anEmptyInventoryIsValid() {
    assertThat(LunInventory.parse("").luns()).isEmpty();
    assertThat(LunInventory.empty().render()).isEmpty();
    assertThat(LunInventory.of(java.util.List.of(Lun.of(MultipathAlias.of("a1"), Wwid.of("1a")))).luns()).hasSize(1);
    assertThat(Lun.of(MultipathAlias.of("a1"), Wwid.of("1a")).withNote("  ").note()).isEqualTo(Optional.empty());
  }
}
