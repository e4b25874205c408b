package dev.midplane.multipath.config;

import java.util.List;

/** Writes a config tree in the layout of {@code multipath -t}: one tab per level. */
final class ConfigWriter {
  private ConfigWriter() {}

  static String write(List<ConfigNode> nodes) {
    StringBuilder b = new StringBuilder(256);
    for (ConfigNode n : nodes) {
      node(b, n, 0);
    }
    return b.toString();
  }

  private static void node(StringBuilder b, ConfigNode n, int depth) {
    indent(b, depth);
    if (n instanceof Comment c) {
      b.append(c.marker()).append(c.text());
    } else if (n instanceof Attribute a) {
      b.append(attributeLine(a));
    } else if (n instanceof Section s) {
      b.append(s.name()).append(" {");
      s.comment().ifPresent(c -> b.append(' ').append(c));
      b.append('\n');
      for (ConfigNode child : s.children()) {
        node(b, child, depth + 1);
      }
      indent(b, depth);
      b.append('}');
    }
    b.append('\n');
  }

  private static void indent(StringBuilder b, int depth) {
    for (int i = 0; i < depth; i++) {
      b.append('\t');
    }
  }

  static String attributeLine(Attribute a) {
    StringBuilder b = new StringBuilder(a.keyword().length() + a.value().length() + 4);
    b.append(a.keyword()).append(' ');
    if (a.quoted() || !Tokens.isBareWord(a.value())) {
      b.append('"').append(a.value().replace("\"", "\"\"")).append('"');
    } else {
      b.append(a.value());
    }
    a.comment().ifPresent(c -> b.append(' ').append(c));
    return b.toString();
  }
}
