package dev.midplane.multipath.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.multipath.MultipathParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Written topologies read back equal, survive interleaved log lines, and cut short they are refused. */
class MultipathListingPropertiesTest {
  @Provide
  Arbitrary<List<MapTopology>> treeMaps() {
    return TopologyGenerators.maps(MultipathListing.Layout.TREE).list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<MapTopology>> bracketMaps() {
    return TopologyGenerators.maps(MultipathListing.Layout.BRACKETS).list().ofMaxSize(5);
  }

  @Property(tries = 400)
  void treeLayoutRoundTrips(@ForAll("treeMaps") List<MapTopology> maps) {
    String text = MultipathListing.format(maps, MultipathListing.Layout.TREE);
    MultipathListing read = MultipathListing.parse(text);
    assertThat(read.maps()).isEqualTo(maps);
    assertThat(read.messages()).isEmpty();
    assertThat(MultipathListing.format(read.maps(), MultipathListing.Layout.TREE)).isEqualTo(text);
  }

  @Property(tries = 300)
  void bracketLayoutRoundTrips(@ForAll("bracketMaps") List<MapTopology> maps) {
    String text = MultipathListing.format(maps, MultipathListing.Layout.BRACKETS);
    assertThat(MultipathListing.parse(text).maps()).isEqualTo(maps);
  }

  @Provide
  Arbitrary<String> logLines() {
    return Arbitraries.of(
        "43.357566 | get_udev_device: failed to look up 8:16 with type 1",
        "Nov 25 10:00:00 | sdc: tur checker reports path is down",
        "DM message failed [queue_if_no_path]",
        "   7.000001 | Warning: multipath devices exist, but multipathd service is not running");
  }

  @Property(tries = 300)
  void interleavedLogLinesAreSetAside(@ForAll("treeMaps") List<MapTopology> maps, @ForAll("logLines") String log,
      @ForAll("positions") List<Integer> where) {
    List<String> lines = new ArrayList<>(MultipathListing.format(maps, MultipathListing.Layout.TREE).lines().toList());
    Set<Integer> inserted = new HashSet<>();
    for (int w : where) {
      int at = Math.min(w, lines.size());
      lines.add(at, log);
    }
    MultipathListing read = MultipathListing.parse(String.join("\n", lines) + "\n");
    assertThat(read.maps()).isEqualTo(maps);
    assertThat(read.messages()).hasSize(where.size()).allSatisfy(m -> {
      assertThat(m.text()).isEqualTo(log);
      assertThat(lines.get(m.line() - 1)).isEqualTo(log);
      inserted.add(m.line());
    });
    assertThat(inserted).hasSize(where.size());
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, 60).list().ofMaxSize(4);
  }

  /**
   * Output cut after any line is refused, except where a complete listing could end: after a
   * map's last line, and after a size line (a map without paths prints nothing more).
   */
  @Property(tries = 300)
  void treeOutputCutShortIsRefused(@ForAll("treeMaps") List<MapTopology> maps, @ForAll("cuts") int cut) {
    List<String> lines = MultipathListing.format(maps, MultipathListing.Layout.TREE).lines().toList();
    if (lines.isEmpty()) {
      return;
    }
    int keep = 1 + Math.floorMod(cut, lines.size());
    String last = lines.get(keep - 1);
    boolean mapComplete = keep == lines.size() || !lines.get(keep).startsWith("|") && !lines.get(keep).startsWith("`")
        && !lines.get(keep).startsWith(" ") && !lines.get(keep).startsWith("size=");
    String text = String.join("\n", lines.subList(0, keep)) + "\n";
    if (mapComplete || last.startsWith("size=")) {
      assertThat(MultipathListing.parse(text).maps()).isNotEmpty();
    } else {
      assertThatThrownBy(() -> MultipathListing.parse(text)).isInstanceOf(MultipathParseException.class)
          .satisfies(e -> assertThat(((MultipathParseException) e).line()).isBetween(1, keep));
    }
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 1000);
  }
}
