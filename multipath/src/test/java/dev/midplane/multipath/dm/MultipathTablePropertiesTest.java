package dev.midplane.multipath.dm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.DevNumber;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Tables render in the kernel's syntax and read back equal; any table cut short is refused. */
class MultipathTablePropertiesTest {
  private static Arbitrary<String> word() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("_-").ofMinLength(1).ofMaxLength(10);
  }

  @Provide
  Arbitrary<MultipathTable> tables() {
    Arbitrary<DevNumber> dev = Combinators.combine(Arbitraries.integers().between(0, 4095),
        Arbitraries.integers().between(0, (1 << 20) - 1)).as(DevNumber::new);
    Arbitrary<MultipathTable.Group> group = Arbitraries.integers().between(0, 3).flatMap(pathArgs -> Combinators.combine(
        Arbitraries.of("service-time", "round-robin", "queue-length", "historical-service-time"),
        word().list().ofMaxSize(3),
        Combinators.combine(dev, word().list().ofSize(pathArgs)).as(MultipathTable.Path::new).list().ofMinSize(1).ofMaxSize(8))
        .as((sel, args, paths) -> new MultipathTable.Group(sel, args, pathArgs, paths)));
    return Combinators.combine(
            Arbitraries.<List<String>>of(List.of(), List.of("queue_if_no_path"), List.of("pg_init_retries", "50"),
                List.of("queue_if_no_path", "retain_attached_hw_handler")),
            Arbitraries.of("alua", "rdac", "emc", "hp_sw").optional(0.7),
            word().list().ofMaxSize(2),
            group.list().ofMaxSize(4))
        .flatAs((features, hw, hwArgs, groups) -> Arbitraries.integers().between(0, groups.size()).map(initial ->
            MultipathTable.builder().features(features).hardwareHandler(hw)
                .hardwareHandlerArgs(hw.isPresent() ? hwArgs : List.of()).initialGroup(initial).groups(groups).build()));
  }

  @Property(tries = 1000)
  void renderThenParseIsTheIdentity(@ForAll("tables") MultipathTable table) {
    assertThat(MultipathTable.parse(table.render())).isEqualTo(table);
    assertThat(MultipathTable.parse(table.render() + " ")).as("dmsetup prints a trailing space").isEqualTo(table);
  }

  @Property(tries = 1000)
  void anyPrefixIsRefused(@ForAll("tables") MultipathTable table, @ForAll("cuts") int cut) {
    String[] words = table.render().split(" ");
    int keep = Math.floorMod(cut, words.length);
    String prefix = String.join(" ", Arrays.copyOf(words, keep));
    assertThatThrownBy(() -> MultipathTable.parse(prefix)).isInstanceOf(MultipathParseException.class)
        .hasMessageContaining("cut short");
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 10_000);
  }
}
