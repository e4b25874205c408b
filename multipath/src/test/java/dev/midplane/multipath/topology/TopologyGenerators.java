package dev.midplane.multipath.topology;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generated maps in the shapes multipath-tools print, for round trips and truncation properties. */
public final class TopologyGenerators {
  private TopologyGenerators() {}

  static Arbitrary<Wwid> wwids() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(31);
    return Arbitraries.oneOf(
        hex.map(h -> "36" + h.substring(1)),
        hex.map(h -> "eui." + h.substring(0, 16)),
        Arbitraries.strings().alpha().numeric().ofMinLength(3).ofMaxLength(10).map(s -> "1ATA     WDC " + s),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(8).map(s -> "iqn.2001-05.com." + s + ":lun-3"))
        .map(Wwid::of);
  }

  static Arbitrary<Optional<String>> aliases() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-_.").ofMinLength(1).ofMaxLength(12)
        .map(s -> "vm" + s).optional(0.7);
  }

  private static Arbitrary<MultipathPath> path(boolean withDeviceState) {
    Arbitrary<Optional<Hctl>> hctl = Combinators.combine(Arbitraries.integers().between(0, 15),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 255), Arbitraries.longs().between(0, 16383))
        .as(Hctl::of).optional(0.9);
    Arbitrary<Optional<BlockDeviceName>> dev = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(3)
        .map(s -> BlockDeviceName.of("sd" + s)).optional(0.9);
    Arbitrary<Optional<DevNumber>> devt = Combinators.combine(Arbitraries.of(8, 65, 66, 259), Arbitraries.integers().between(0, 4095))
        .as(DevNumber::new).optional(0.95);
    Arbitrary<Optional<DeviceState>> state = withDeviceState
        ? Arbitraries.of(DeviceState.class).map(Optional::of) : Arbitraries.just(Optional.empty());
    return Combinators.combine(hctl, dev, devt, Arbitraries.of(PathState.class), Arbitraries.of(CheckerState.class), state)
        .as((h, d, n, dm, chk, st) -> MultipathPath.builder().hctl(h).device(d).deviceNumber(n).dmState(dm)
            .checkerState(chk).deviceState(st).build());
  }

  /** Maps with every field the chosen layout prints. */
  public static Arbitrary<MapTopology> maps(MultipathListing.Layout layout) {
    boolean tree = layout == MultipathListing.Layout.TREE;
    Arbitrary<List<MultipathPath>> paths = path(tree).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<PathGroup.Builder> group = Combinators.combine(
            Arbitraries.of("service-time 0", "round-robin 0", "queue-length 0"),
            tree ? Arbitraries.integers().between(-1, 130).map(Optional::of) : Arbitraries.integers().between(0, 50).optional(0.7),
            Arbitraries.of(PathGroupState.class), paths)
        .as((sel, prio, st, ps) -> {
          PathGroup.Builder b = PathGroup.builder().selector(sel).state(st).addAllPaths(ps);
          prio.ifPresent(b::priority);
          return b;
        });
    Arbitrary<Optional<String[]>> vpr = Combinators.combine(
            Arbitraries.strings().withCharRange('A', 'Z').numeric().ofMinLength(1).ofMaxLength(8),
            Arbitraries.strings().withCharRange('A', 'Z').numeric().withChars(" -_").ofMinLength(1).ofMaxLength(16)
                .map(String::strip).filter(s -> !s.isEmpty()))
        .as((v, p) -> new String[] {v, p}).optional(0.9);
    Arbitrary<Optional<WriteProtect>> wp = tree
        ? Arbitraries.of(WriteProtect.class).map(Optional::of)
        : Arbitraries.of(WriteProtect.RW, WriteProtect.RO).optional(0.5);
    Arbitrary<MapTopology.Builder> head = Combinators.combine(wwids(), aliases(),
            Arbitraries.of("create", "reload", "switchpg", "resize").optional(0.2),
            Arbitraries.integers().between(0, 4000).map(n -> "dm-" + n).optional(0.9), vpr,
            Arbitraries.longs().between(0, 1L << 52).map(DisplayedSize::of),
            Arbitraries.of("0", "1 queue_if_no_path", "2 pg_init_retries 50", "1 retain_attached_hw_handler"),
            Arbitraries.of("0", "1 alua", "1 rdac", "1 emc"))
        .as((w, a, act, dm, v, size, feat, hw) -> {
          MapTopology.Builder b = MapTopology.builder().wwid(w).name(a.map(MapName::parse).orElse(MapName.of(w)))
              .action(act).sysfsName(dm).size(size).features(feat).hardwareHandler(hw);
          v.ifPresent(x -> b.vendor(x[0]).product(x[1]));
          return b;
        });
    return Combinators.combine(head, wp, group.list().ofMaxSize(3)).as((b, w, gs) -> {
      w.ifPresent(b::writeProtect);
      for (int i = 0; i < gs.size(); i++) {
        b.addPathGroups(gs.get(i).number(i + 1).build());
      }
      return b.build();
    });
  }
}
