package dev.midplane.multipath.topology;

import dev.midplane.multipath.MultipathParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table printed by {@code multipathd show maps}, {@code show paths} (and their
 * {@code format "%n %w …"} variants): a header row and padded columns. Values may contain spaces
 * ({@code next_check} is {@code XXXXX..... 2/4}, {@code vend/prod/rev} can be
 * {@code HP,LOGICAL VOLUME}), so columns are cut at the positions of the header's names, which is
 * how multipathd aligns them.
 *
 * @param headers the column names as printed ({@code hcil}, {@code dev}, {@code host WWNN}, …)
 * @param rows each row as header → value, values stripped of padding
 */
public record MultipathdTable(List<String> headers, List<Map<String, String>> rows) {
  static final String SOURCE = "multipathd table";

  /** Header names of multipathd 0.9's map and path wildcards that contain a space. */
  private static final List<String> SPACED = List.of(
      "host WWNN", "target WWNN", "host WWPN", "target WWPN", "host adapter", "vpd page data", "LUN hex");

  public MultipathdTable {
    headers = List.copyOf(headers);
    rows = rows.stream().map(r -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
  }

  /**
   * Parses a multipathd table. Empty output (no maps, no paths) is a table without rows and
   * headers.
   *
   * @throws MultipathParseException when a row does not fit the header's columns
   */
  public static MultipathdTable parse(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return new MultipathdTable(List.of(), List.of());
    }
    String header = lines.get(0);
    List<Integer> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int i = 0;
    while (i < header.length()) {
      if (header.charAt(i) == ' ') {
        i++;
        continue;
      }
      final int at = i;
      String name = SPACED.stream().filter(s -> header.startsWith(s, at)
              && (at + s.length() == header.length() || header.charAt(at + s.length()) == ' '))
          .max(Comparator.comparingInt(String::length))
          .orElseGet(() -> {
            int end = header.indexOf(' ', at);
            return header.substring(at, end < 0 ? header.length() : end);
          });
      starts.add(i);
      names.add(name);
      i += name.length();
    }
    if (Set.copyOf(names).size() != names.size()) {
      throw new MultipathParseException(SOURCE, 1, header, "a column name appears twice");
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (int r = 1; r < lines.size(); r++) {
      String line = lines.get(r);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < starts.size(); c++) {
        int from = starts.get(c);
        int to = c + 1 < starts.size() ? starts.get(c + 1) : Integer.MAX_VALUE;
        if (from > 0 && from <= line.length() && line.charAt(from - 1) != ' ') {
          throw new MultipathParseException(SOURCE, r + 1, line,
              "the value before column '" + names.get(c) + "' runs into it: not aligned with the header");
        }
        if (from >= line.length()) {
          throw new MultipathParseException(SOURCE, r + 1, line,
              "the row ends before column '" + names.get(c) + "': cut short?");
        }
        row.put(names.get(c), line.substring(from, Math.min(to, line.length())).strip());
      }
      rows.add(row);
    }
    return new MultipathdTable(names, rows);
  }

  /** The values of one column, in row order. */
  public List<String> column(String header) {
    if (!headers.contains(header)) {
      throw new IllegalArgumentException("no column '" + header + "' in " + headers);
    }
    return rows.stream().map(r -> r.get(header)).toList();
  }

  /** The first row whose {@code column} has {@code value}. */
  public Optional<Map<String, String>> row(String column, String value) {
    return rows.stream().filter(r -> value.equals(r.get(column))).findFirst();
  }
}
