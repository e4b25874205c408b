package dev.midplane.multipath.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.MultipathEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips of the inventory file, and the generated config for any valid inventory. */
class LunInventoryPropertiesTest {

  /** Inventory text: unique aliases and WWIDs of every real shape, comments and blank lines between. */
  @Provide
  Arbitrary<String> inventories() {
    return Generators.inventoryText();
  }

  @Property(tries = 300)
  void renderThenParseIsTheIdentity(@ForAll("inventories") String text) {
    LunInventory inv = LunInventory.parse(text);
    assertThat(LunInventory.parse(inv.render())).isEqualTo(inv);
    assertThat(inv.render()).isEqualTo(LunInventory.parse(inv.render()).render());
  }

  @Property(tries = 300)
  void theGeneratedConfigListsExactlyTheInventory(@ForAll("inventories") String text) {
    LunInventory inv = LunInventory.parse(text);
    MultipathConfig c = inv.toConfig(MultipathConfig.empty());

    assertThat(c.lint()).isEmpty();
    assertThat(MultipathConfig.parse(c.write())).isEqualTo(c);
    assertThat(inv.toConfig(c)).as("idempotent").isEqualTo(c);
    assertThat(c.blacklist().wwids()).containsExactly(".*");
    Map<String, String> aliases = c.multipaths().stream()
        .collect(Collectors.toMap(MultipathEntry::wwid, e -> e.alias().orElseThrow()));
    assertThat(aliases).isEqualTo(inv.luns().stream().collect(Collectors.toMap(l -> l.wwid().value(), l -> l.alias().value())));

    List<String> exceptions = c.blacklistExceptions().wwids();
    assertThat(exceptions).hasSameSizeAs(inv.luns());
    for (int i = 0; i < exceptions.size(); i++) {
      Pattern p = Pattern.compile(exceptions.get(i));
      for (int j = 0; j < inv.luns().size(); j++) {
        String wwid = inv.luns().get(j).wwid().value();
        assertThat(p.matcher(wwid).find()).as("%s against %s", exceptions.get(i), wwid).isEqualTo(i == j);
      }
    }
  }

  @Property(tries = 100)
  void addingThenRemovingALunGivesBackTheInventory(@ForAll("inventories") String text) {
    LunInventory inv = LunInventory.parse(text);
    List<Lun> luns = new ArrayList<>(inv.luns());
    if (luns.isEmpty()) {
      return;
    }
    Lun last = luns.get(luns.size() - 1);
    LunInventory without = inv.remove(last.wwid());
    assertThat(without.luns()).containsExactlyElementsOf(luns.subList(0, luns.size() - 1));
    assertThat(without.add(last).luns()).containsExactlyElementsOf(luns);
  }
}
