package dev.midplane.multipath.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.multipath.config.Admission;
import dev.midplane.multipath.config.MultipathConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link MultipathConfig#admission}: what the real multipathd did with a real configuration, and
 * what the configuration an inventory generates admits.
 */
class InventoryAdmissionTest {
  private static final Pattern WHITELISTED = Pattern.compile("^\\S+: wwid (\\S+) whitelisted$", Pattern.MULTILINE);
  private static final Pattern ALIAS = Pattern.compile("^(\\S+): alias = (\\S+) \\(setting: multipath\\.conf multipaths section\\)$",
      Pattern.MULTILINE);

  @Test
  void whatTheRealDaemonLetThroughAndNamedUnderThisConfigIsAdmitted() {
    MultipathConfig c = MultipathConfig.parse(Fixtures.text(getClass(), "real-multipath-conf.txt"));
    String log = Fixtures.text(getClass(), "multipathd-v3.txt");
    Map<String, String> named = new LinkedHashMap<>();
    for (Matcher m = ALIAS.matcher(log); m.find(); ) {
      named.put(m.group(1), m.group(2));
    }
    List<String> whitelisted = WHITELISTED.matcher(log).results().map(r -> r.group(1)).distinct().toList();
    assertThat(whitelisted).as("the daemon's own words").containsExactly("1Linux_scsi_debug_2000");
    assertThat(named).containsExactly(Map.entry("1Linux_scsi_debug_2000", "vm-test"));
    named.forEach((w, a) -> assertThat(c.admission(Wwid.of(w), MultipathAlias.of(a)).refusals()).isEmpty());

    Admission other = c.admission(Wwid.of("1Linux_scsi_debug_2001"), MultipathAlias.of("vm-test"));
    assertThat(other.refusals()).extracting(Admission.Refusal::reason)
        .containsExactly(Admission.Reason.BLACKLISTED, Admission.Reason.NO_ALIAS, Admission.Reason.ALIAS_TAKEN);
    assertThat(other.refusals(Admission.Reason.BLACKLISTED).get(0).found()).contains(".*");
    assertThat(other.refusals(Admission.Reason.ALIAS_TAKEN).get(0).found()).contains("1Linux_scsi_debug_2000");
    assertThat(c.admission(Wwid.of("1Linux_scsi_debug_2000"), MultipathAlias.of("vm-other")).refusals())
        .extracting(Admission.Refusal::reason, r -> r.found().orElseThrow())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Admission.Reason.OTHER_ALIAS, "vm-test"));
  }

  @Test
  void theOperatorsHandWrittenFileAdmitsItsExceptionsWithTheirAliasesOnly() {
    MultipathConfig c = MultipathConfig.parse(Fixtures.text(getClass(), "operator-multipath.conf"));
    assertThat(c.admits(Wwid.of("3600a0b800026b2820000004d4d2f6b4b"), MultipathAlias.of("vm-web01"))).isTrue();
    assertThat(c.admits(Wwid.of("eui.0025388b71b2b3f4"), MultipathAlias.of("vm-db01"))).isTrue();
    assertThat(c.admission(Wwid.of("eui.0025388b71b2b3f4"), MultipathAlias.of("vm-web01")).refusals())
        .extracting(Admission.Refusal::reason)
        .containsExactly(Admission.Reason.OTHER_ALIAS, Admission.Reason.ALIAS_TAKEN);
    // an entry with an alias but no exception: the blacklist's ".*" keeps it out whatever its name
    Admission ata = c.admission(Wwid.of("1ATA     WDC WD1003FBYX"), MultipathAlias.of("vm-ata"));
    assertThat(ata.refusals()).extracting(Admission.Refusal::reason)
        .containsExactly(Admission.Reason.BLACKLISTED, Admission.Reason.OTHER_ALIAS);
    assertThat(ata.refusals().get(0).detail())
        .isEqualTo("blacklist wwid \".*\" matches 1ATA     WDC WD1003FBYX and no blacklist_exceptions wwid does");
  }

  @Provide
  Arbitrary<String> inventories() {
    return Generators.inventoryText();
  }

  @Property(tries = 200)
  void theGeneratedConfigAdmitsEveryInventoriedLunUnderItsAliasAndNothingElse(@ForAll("inventories") String text,
      @ForAll("wwids") String stranger) {
    LunInventory inv = LunInventory.parse(text);
    MultipathConfig c = MultipathConfig.parse(inv.toConfig(MultipathConfig.empty()).write());
    for (Lun l : inv.luns()) {
      assertThat(c.admission(l.wwid(), l.alias()).refusals()).as(l.toString()).isEmpty();
    }
    if (inv.find(Wwid.of(stranger)).isEmpty()) {
      MultipathAlias free = MultipathAlias.of("stranger-disk");
      assertThat(c.admission(Wwid.of(stranger), free).refusals()).extracting(Admission.Refusal::reason)
          .containsExactly(Admission.Reason.BLACKLISTED, Admission.Reason.NO_ALIAS);
    }
    if (inv.luns().size() >= 2) {
      Lun a = inv.luns().get(0);
      Lun b = inv.luns().get(1);
      assertThat(c.admission(a.wwid(), b.alias()).refusals()).extracting(Admission.Refusal::reason, r -> r.found().orElseThrow())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(Admission.Reason.OTHER_ALIAS, a.alias().value()),
              org.assertj.core.groups.Tuple.tuple(Admission.Reason.ALIAS_TAKEN, b.wwid().value()));
    }
  }

  @Provide
  Arbitrary<String> wwids() {
    return Generators.wwid();
  }
}
