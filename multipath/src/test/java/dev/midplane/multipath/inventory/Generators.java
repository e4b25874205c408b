package dev.midplane.multipath.inventory;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of real-shaped WWIDs, aliases and inventory files, shared by the property tests. */
final class Generators {
  private Generators() {}

  private static Arbitrary<String> hex(int length) {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(length);
  }

  /** WWIDs as multipath prints them: NAA, EUI-64, T10 vendor ids (with spaces), IQN-like names. */
  static Arbitrary<String> wwid() {
    Arbitrary<String> naa = hex(32).map(h -> "36" + h.substring(1));
    Arbitrary<String> eui = hex(16).map(h -> "eui." + h);
    Arbitrary<String> t10 = Combinators.combine(
        Arbitraries.of("ATA", "Linux", "IBM", "HP"),
        Arbitraries.strings().withCharRange('A', 'Z').numeric().ofMinLength(1).ofMaxLength(10),
        Arbitraries.of(" ", "     ", "_"),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12))
        .as((v, p, sep, s) -> "1" + v + sep + p + "_" + s);
    Arbitrary<String> iqn = Combinators.combine(Arbitraries.integers().between(2000, 2024),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(8), hex(6))
        .as((y, d, h) -> "iqn." + y + "-05.com." + d + ":lun-" + h);
    return Arbitraries.oneOf(naa, eui, t10, iqn).filter(Wwid::isValid);
  }

  /** Aliases operators choose: VM names with dashes, dots, digits, underscores. */
  static Arbitrary<String> alias() {
    return Combinators.combine(
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
        Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-._").ofMaxLength(12))
        .as((a, b) -> a + b)
        .filter(a -> MultipathAlias.isValid(a) && !a.startsWith("mpath")
            && !a.matches("(sd|hd|vd|xvd)[a-z]+|dm-[0-9]+|nvme[0-9]+n[0-9]+|md[0-9]+|loop[0-9]+|sr[0-9]+"));
  }

  record Entry(String alias, String wwid, String vm, String note, String comment) {}

  static Arbitrary<String> inventoryText() {
    Arbitrary<Entry> entry = Combinators.combine(alias(), wwid(),
        Arbitraries.of("", "web01", "db-2", "app_7"),
        Arbitraries.of("", "", "second disk", "ticket #12"),
        Arbitraries.of("", "", "", "# a comment", "", "   # indented comment"))
        .as(Entry::new);
    return entry.list().ofMaxSize(12).uniqueElements(Entry::alias).uniqueElements(Entry::wwid)
        .map(Generators::render);
  }

  private static String render(List<Entry> entries) {
    List<String> lines = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.comment().isEmpty()) {
        lines.add(e.comment());
      }
      String w = e.wwid().contains(" ") ? "\"" + e.wwid() + "\"" : e.wwid();
      lines.add(e.alias() + (e.alias().length() % 2 == 0 ? " " : "\t") + w
          + (e.vm().isEmpty() ? "" : " " + e.vm()) + (e.note().isEmpty() ? "" : "  # " + e.note()));
    }
    return String.join("\n", lines) + "\n";
  }
}
