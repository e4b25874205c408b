package dev.midplane.multipath.topology;

import java.util.List;

/** Prints maps in the topology layouts of multipath-tools (for simulated tools and benchmarks). */
final class ListingWriter {
  private ListingWriter() {}

  static String write(List<MapTopology> maps, MultipathListing.Layout layout) {
    StringBuilder b = new StringBuilder(maps.size() * 400);
    for (MapTopology m : maps) {
      if (layout == MultipathListing.Layout.TREE) {
        tree(b, m);
      } else {
        brackets(b, m);
      }
    }
    return b.toString();
  }

  private static <T> T required(java.util.Optional<T> v, String what, MapTopology m) {
    return v.orElseThrow(() -> new IllegalArgumentException("map " + m.name() + " has no " + what
        + "; the topology layout needs it"));
  }

  private static void header(StringBuilder b, MapTopology m) {
    m.action().ifPresent(a -> b.append(a).append(": "));
    b.append(m.name());
    if (m.hasAlias()) {
      b.append(" (").append(m.wwid()).append(')');
    }
    b.append(' ').append(m.sysfsName().orElse("undef")).append(' ')
        .append(m.vendor().orElse("##")).append(',').append(m.product().orElse("##")).append('\n');
  }

  private static void tree(StringBuilder b, MapTopology m) {
    header(b, m);
    b.append("size=").append(required(m.size(), "size", m).text())
        .append(" features='").append(required(m.features(), "features", m))
        .append("' hwhandler='").append(required(m.hardwareHandler(), "hardware handler", m))
        .append("' wp=").append(required(m.writeProtect(), "write protection", m).text()).append('\n');
    // multipath pads the columns of the path lines to the widest value of the map
    int[] width = new int[5];
    for (MultipathPath p : m.paths()) {
      String[] c = columns(p, m);
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    List<PathGroup> groups = m.pathGroups();
    for (int gi = 0; gi < groups.size(); gi++) {
      PathGroup g = groups.get(gi);
      boolean lastGroup = gi == groups.size() - 1;
      b.append(lastGroup ? "`-+- " : "|-+- ").append("policy='").append(g.selector()).append("' prio=")
          .append(required(box(g.priority()), "path group priority", m)).append(" status=").append(g.state().text()).append('\n');
      for (int pi = 0; pi < g.paths().size(); pi++) {
        MultipathPath p = g.paths().get(pi);
        b.append(lastGroup ? "  " : "| ").append(pi == g.paths().size() - 1 ? "`- " : "|- ");
        String[] c = columns(p, m);
        for (int i = 0; i < c.length; i++) {
          b.append(c[i]);
          if (i < width.length) {
            b.append(" ".repeat(width[i] - c[i].length() + 1));
          }
        }
        b.append('\n');
      }
    }
  }

  private static java.util.Optional<Integer> box(java.util.OptionalInt i) {
    return i.isPresent() ? java.util.Optional.of(i.getAsInt()) : java.util.Optional.empty();
  }

  private static String[] columns(MultipathPath p, MapTopology m) {
    return new String[] {
        p.hctl().map(Object::toString).orElse("#:#:#:#"),
        p.device().map(Object::toString).orElse("-"),
        p.deviceNumber().map(Object::toString).orElse("#:#"),
        p.dmState().text(),
        p.checkerState().text(),
        required(p.deviceState(), "device state for a path", m).text()};
  }

  private static void brackets(StringBuilder b, MapTopology m) {
    header(b, m);
    b.append("[size=").append(required(m.size(), "size", m).text())
        .append("][features=").append(required(m.features(), "features", m))
        .append("][hwhandler=").append(required(m.hardwareHandler(), "hardware handler", m)).append(']');
    m.writeProtect().filter(w -> w != WriteProtect.UNDEF).ifPresent(w -> b.append('[').append(w.text()).append(']'));
    b.append('\n');
    for (PathGroup g : m.pathGroups()) {
      b.append("\\_ ").append(g.selector()).append(' ');
      g.priority().ifPresent(p -> b.append("[prio=").append(p).append(']'));
      b.append('[').append(g.state().text()).append("]\n");
      for (MultipathPath p : g.paths()) {
        b.append(" \\_ ").append(p.hctl().map(Object::toString).orElse("#:#:#:#")).append(' ')
            .append(p.device().map(Object::toString).orElse("-")).append(' ')
            .append(p.deviceNumber().map(Object::toString).orElse("#:#"));
        b.append(" ".repeat(Math.max(1, 6 - p.deviceNumber().map(Object::toString).orElse("#:#").length())))
            .append('[').append(p.dmState().text()).append("][").append(p.checkerState().text()).append("]\n");
      }
    }
  }
}
