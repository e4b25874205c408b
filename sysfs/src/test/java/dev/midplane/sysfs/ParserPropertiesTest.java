package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Generated bonds, VLAN tables and udev entries survive render → parse unchanged; corrupted text is refused with its line. */
class ParserPropertiesTest {
  record SlaveSpec(String name, SlaveLinkState link, OptionalInt speed, int failures, long mac) {}

  record BondSpec(BondMode mode, FailOverMac fom, Optional<String> primary, PrimaryReselect reselect, boolean miiUp,
      int miimon, int up, int down, int arp, List<Integer> targets, List<SlaveSpec> slaves) {}

  @Provide
  Arbitrary<BondSpec> bonds() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5)
        .map(s -> s + Arbitraries.integers().between(0, 9).sample());
    Arbitrary<SlaveSpec> slave = Combinators.combine(names, Arbitraries.of(SlaveLinkState.class),
        Arbitraries.of(OptionalInt.empty(), OptionalInt.of(1000), OptionalInt.of(10000), OptionalInt.of(25000)),
        Arbitraries.integers().between(0, 100000), Arbitraries.longs().between(0, 0xffffffffffffL))
        .as(SlaveSpec::new);
    return Combinators.combine(
        Combinators.combine(Arbitraries.of(BondMode.class), Arbitraries.of(FailOverMac.class),
            names.optional(), Arbitraries.of(PrimaryReselect.class), Arbitraries.of(true, false)).as(List::of),
        Combinators.combine(Arbitraries.integers().between(0, 2000), Arbitraries.integers().between(0, 5000),
            Arbitraries.integers().between(0, 5000), Arbitraries.integers().between(0, 2000)).as(List::of),
        Arbitraries.integers().list().ofMaxSize(16),
        slave.list().ofMaxSize(6).uniqueElements(SlaveSpec::name))
        .as((a, b, t, s) -> new BondSpec((BondMode) a.get(0), (FailOverMac) a.get(1), castOpt(a.get(2)),
            (PrimaryReselect) a.get(3), (Boolean) a.get(4), b.get(0), b.get(1), b.get(2), b.get(3), t, s));
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> castOpt(Object o) {
    return (Optional<String>) o;
  }

  private static ProcBonding build(BondSpec s) {
    List<Ipv4Address> targets = new ArrayList<>();
    s.targets().forEach(i -> targets.add(Ipv4Address.fromBits(i)));
    ProcBonding.Builder b = ProcBonding.builder("v6.1.0-56-amd64").mode(s.mode()).failOverMac(s.fom())
        .primary(s.primary().map(InterfaceName::of), s.reselect())
        .activeSlave(s.slaves().isEmpty() ? Optional.empty() : Optional.of(InterfaceName.of(s.slaves().get(0).name())))
        .miiUp(s.miiUp()).miimon(s.miimon()).delays(s.up(), s.down(), 0).arp(s.arp(), 2, targets);
    for (SlaveSpec x : s.slaves()) {
      b.slave(InterfaceName.of(x.name()), x.link(), x.speed(), x.speed().isPresent() ? Optional.of("full") : Optional.empty(),
          x.failures(), MacAddress.fromBits(x.mac()), 0);
    }
    return b.build();
  }

  @Property
  void procBondingSurvivesRenderAndParse(@ForAll("bonds") BondSpec spec) {
    ProcBonding built = build(spec);
    ProcBonding parsed = ProcBonding.parse(built.render());
    assertThat(parsed).isEqualTo(built);
    assertThat(parsed.render()).isEqualTo(built.render());
    assertThat(parsed.mode()).isEqualTo(spec.mode());
    assertThat(parsed.miimon()).isEqualTo(spec.miimon());
    assertThat(parsed.updelayMs()).isEqualTo(spec.up());
    assertThat(parsed.arpIntervalMs().orElse(0)).isEqualTo(spec.arp());
    assertThat(parsed.arpIpTargets()).hasSize(spec.arp() > 0 ? spec.targets().size() : 0);
    assertThat(parsed.slaves()).extracting(x -> x.name().value()).containsExactlyElementsOf(spec.slaves().stream().map(SlaveSpec::name).toList());
    assertThat(parsed.slaves()).extracting(ProcBonding.Slave::miiStatus).containsExactlyElementsOf(spec.slaves().stream().map(SlaveSpec::link).toList());
    assertThat(parsed.slaves()).extracting(ProcBonding.Slave::speedMbps).containsExactlyElementsOf(spec.slaves().stream().map(SlaveSpec::speed).toList());
    if (spec.mode().usesPrimary()) {
      assertThat(parsed.primarySlave().map(InterfaceName::value)).isEqualTo(spec.primary());
      assertThat(parsed.activeSlave().map(InterfaceName::value)).isEqualTo(spec.slaves().stream().findFirst().map(SlaveSpec::name));
    } else {
      assertThat(parsed.activeSlave()).isEmpty();
    }
  }

  @Property
  void aDamagedLineIsReportedWithItsNumber(@ForAll("bonds") BondSpec spec, @ForAll @IntRange(min = 0, max = 1000) int pick) {
    String[] lines = build(spec).render().split("\n", -1);
    List<Integer> candidates = new ArrayList<>();
    for (int i = 2; i < lines.length; i++) {
      if (lines[i].contains(": ") && !lines[i].startsWith("Slave Interface")) {
        candidates.add(i);
      }
    }
    int victim = candidates.get(pick % candidates.size());
    lines[victim] = lines[victim].replace(": ", " = ");
    String damaged = String.join("\n", lines);
    assertThatThrownBy(() -> ProcBonding.parse(damaged)).isInstanceOf(SysfsParseException.class)
        .satisfies(e -> assertThat(((SysfsParseException) e).line()).isEqualTo(victim + 1));
  }

  @Provide
  Arbitrary<List<VlanDevice>> vlanTables() {
    Arbitrary<String> parent = Arbitraries.of("bond0", "bond1", "eth0", "eth3", "team0");
    return Combinators.combine(parent, Arbitraries.integers().between(0, 4094))
        .as((p, id) -> new VlanDevice(InterfaceName.of(p + "." + id), id, InterfaceName.of(p)))
        .list().ofMaxSize(20).uniqueElements(VlanDevice::name);
  }

  @Property
  void vlanConfigSurvivesRenderAndParse(@ForAll("vlanTables") List<VlanDevice> devices) {
    VlanConfig c = new VlanConfig(VlanConfig.DEFAULT_NAME_TYPE, devices);
    assertThat(VlanConfig.parse(c.render())).isEqualTo(c);
  }

  @Property
  void udevEntriesSurviveRenderAndParse(@ForAll("udevProperties") List<String> keys, @ForAll @IntRange(min = 1) int usec) {
    UdevEntry.Builder b = UdevEntry.builder().symlink("disk/by-id/scsi-3600").initializedUsec(usec).tag("systemd");
    keys.forEach(k -> b.property(k, k.toLowerCase() + " value=with=equals"));
    UdevEntry e = b.build();
    UdevEntry back = UdevEntry.parse(e.render(), "b8:0");
    assertThat(back).isEqualTo(e);
    keys.forEach(k -> assertThat(back.property(k)).contains(k.toLowerCase() + " value=with=equals"));
    assertThat(back.initializedUsec()).hasValue(usec);
  }

  @Provide
  Arbitrary<List<String>> udevProperties() {
    return Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(20)
        .filter(s -> Character.isLetter(s.charAt(0))).list().ofMaxSize(30).uniqueElements();
  }
}
