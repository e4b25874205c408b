package dev.midplane.multipath.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.multipath.RealMultipathT;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.MultipathEntry;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The real {@code multipath -t} accepts every generated file without a word and dumps the same
 * blacklist exceptions and aliases; the dump is read back with our own parser.
 */
@RequiresReal(tools = {"multipath", "unshare", "mount", "sh"}, root = true)
class GeneratedConfigRealToolTest {

  private static void assertTheToolAgrees(LunInventory inv, MultipathConfig generated) {
    RealMultipathT.Result real = RealMultipathT.run(generated.write());
    assertThat(real.messages()).as("multipath -t warnings for\n%s", generated.write()).isEmpty();

    MultipathConfig dump = MultipathConfig.parse(real.dump());
    assertThat(dump.blacklist().wwids()).contains(".*");
    assertThat(dump.blacklistExceptions().wwids()).containsExactlyInAnyOrderElementsOf(generated.blacklistExceptions().wwids());
    assertThat(dump.blacklistExceptions().wwids()).hasSameSizeAs(inv.luns());
    Map<String, String> dumped = dump.multipaths().stream()
        .collect(Collectors.toMap(MultipathEntry::wwid, e -> e.alias().orElse("")));
    assertThat(dumped).isEqualTo(inv.luns().stream().collect(Collectors.toMap(l -> l.wwid().value(), l -> l.alias().value())));
    assertThat(dump.defaultValue("find_multipaths")).hasValue("off");
  }

  @Test
  void theSampleInventoryFromScratch() {
    LunInventory inv = LunInventory.parse(Fixtures.text(getClass(), "luns.txt"));
    assertTheToolAgrees(inv, inv.toConfig(MultipathConfig.empty()));
  }

  @Test
  void theSampleInventoryOnAnOperatorsConfigKeepsTheirSettings() {
    LunInventory inv = LunInventory.parse(Fixtures.text(getClass(), "luns.txt"));
    MultipathConfig base = MultipathConfig.parse(Fixtures.text(getClass(), "operator-multipath.conf"));
    MultipathConfig generated = inv.toConfig(base);
    assertTheToolAgrees(inv, generated);

    MultipathConfig dump = MultipathConfig.parse(RealMultipathT.run(generated.write()).dump());
    assertThat(dump.defaultValue("polling_interval")).hasValue("10");
    assertThat(dump.defaultValue("no_path_retry")).hasValue("queue");
    assertThat(dump.blacklist().devnodes()).contains("^(ram|raw|loop|fd|md|dm-|sr|scd|st)[0-9]*", "^hd[a-z]");
    assertThat(dump.devices()).anySatisfy(d -> {
      assertThat(d.value("vendor")).hasValue("IBM");
      assertThat(d.value("product")).hasValue("^2145");
      assertThat(d.value("hardware_handler")).hasValue("1 alua");
    });
  }

  @Test
  void theRealHostsConfigRegeneratedStaysWhatTheToolSaw() {
    MultipathConfig real = MultipathConfig.parse(Fixtures.text(getClass(), "real-multipath-conf.txt"));
    LunInventory inv = LunInventory.fromConfig(real);
    assertTheToolAgrees(inv, inv.toConfig(real));
  }

  @Provide
  Arbitrary<String> inventories() {
    return Generators.inventoryText();
  }

  @Property(tries = 15)
  void anyInventory(@ForAll("inventories") String text) {
    LunInventory inv = LunInventory.parse(text);
    assertTheToolAgrees(inv, inv.toConfig(MultipathConfig.empty()));
  }
}
