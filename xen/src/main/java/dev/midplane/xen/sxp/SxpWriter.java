package dev.midplane.xen.sxp;

import dev.midplane.xen.text.QuotedStrings;

/** Writes S-expressions in the syntax xend's reader takes back. */
final class SxpWriter {
  private SxpWriter() {}

  /** An atom, quoted (Python-repr style, single quotes) when it is empty or holds special characters. */
  static String atom(String v) {
    return needsQuotes(v) ? QuotedStrings.quote(v, '\'', false) : v;
  }

  private static boolean needsQuotes(String v) {
    if (v.isEmpty()) {
      return true;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || c == '(' || c == ')' || c == '\'' || c == '"' || c == '\\' || c == '#') {
        return true;
      }
    }
    return false;
  }

  static void compact(Sxp s, StringBuilder b) {
    if (s instanceof SxpAtom a) {
      b.append(atom(a.value()));
      return;
    }
    b.append('(');
    boolean first = true;
    for (Sxp i : ((SxpList) s).items()) {
      if (!first) {
        b.append(' ');
      }
      compact(i, b);
      first = false;
    }
    b.append(')');
  }

  static void pretty(Sxp s, StringBuilder b, int depth) {
    if (s instanceof SxpAtom || ((SxpList) s).items().stream().noneMatch(i -> i instanceof SxpList l && !l.items().isEmpty())) {
      compact(s, b);
      return;
    }
    SxpList l = (SxpList) s;
    b.append('(');
    int i = 0;
    if (l.items().get(0) instanceof SxpAtom a) {
      b.append(atom(a.value()));
      i = 1;
    }
    String indent = "    ".repeat(depth + 1);
    for (; i < l.items().size(); i++) {
      b.append('\n').append(indent);
      pretty(l.items().get(i), b, depth + 1);
    }
    b.append('\n').append("    ".repeat(depth)).append(')');
  }
}
