package dev.midplane.multipath.sim;

import java.util.List;

/** Text tables as multipathd and dmsetup print them: each column as wide as its widest cell. */
final class Columns {
  private Columns() {}

  /**
   * Rows (the first is the header) with left-aligned cells, one space between columns, every cell
   * padded to its column's width (so lines end in spaces, as multipathd's do).
   */
  static String left(List<List<String>> rows) {
    return render(rows, new boolean[rows.get(0).size()]);
  }

  /** Like {@link #left} with the columns flagged in {@code right} aligned to the right. */
  static String render(List<List<String>> rows, boolean[] right) {
    int[] width = new int[rows.get(0).size()];
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        String pad = " ".repeat(width[i] - r.get(i).length());
        b.append(right[i] ? pad + r.get(i) : r.get(i) + pad);
        b.append(i < width.length - 1 ? " " : "\n");
      }
    }
    return b.toString();
  }
}
