package dev.midplane.multipath.inventory;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes the inventory's line format ({@code alias wwid [vm] [# note]}). */
final class InventoryFormat {
  private InventoryFormat() {}

  record Parsed(List<Row> rows, List<InventoryProblem> problems) {}

  static Parsed parse(String text) {
    List<Row> rows = new ArrayList<>();
    List<InventoryProblem> problems = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int lineNo = i + 1;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        rows.add(Row.text(line));
        continue;
      }
      try {
        rows.add(Row.of(entry(line)));
      } catch (InvalidNameException e) {
        problems.add(new InventoryProblem(lineNo, e.getMessage()));
      } catch (IllegalArgumentException e) {
        problems.add(new InventoryProblem(lineNo, e.getMessage()));
      }
    }
    return new Parsed(rows, problems);
  }

  private static Lun entry(String line) {
    List<String> fields = new ArrayList<>(3);
    Optional<String> note = Optional.empty();
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '#') {
        note = Optional.of(line.substring(i + 1));
        break;
      } else if (c == '"') {
        int close = line.indexOf('"', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("missing closing quote");
        }
        fields.add(line.substring(i + 1, close));
        i = close + 1;
        if (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t' && line.charAt(i) != '#') {
          throw new IllegalArgumentException("expected a space after the closing quote at column " + i);
        }
      } else {
        int j = i;
        while (j < n && line.charAt(j) != ' ' && line.charAt(j) != '\t' && line.charAt(j) != '#') {
          if (line.charAt(j) == '"') {
            throw new IllegalArgumentException("a quote inside a field at column " + (j + 1) + "; quote whole fields only");
          }
          j++;
        }
        fields.add(line.substring(i, j));
        i = j;
      }
    }
    if (fields.size() < 2 || fields.size() > 3) {
      throw new IllegalArgumentException("expected '<alias> <wwid> [<vm>]', found " + fields.size()
          + (fields.size() == 1 ? " field" : " fields") + " (quote a WWID that contains spaces)");
    }
    MultipathAlias alias = MultipathAlias.of(fields.get(0));
    Wwid wwid = Wwid.of(fields.get(1));
    Optional<DomainName> vm = fields.size() == 3 ? Optional.of(DomainName.of(fields.get(2))) : Optional.empty();
    return new Lun(alias, wwid, vm, note);
  }

  static String render(List<Row> rows) {
    StringBuilder b = new StringBuilder(rows.size() * 48);
    for (Row r : rows) {
      if (r.lun().isPresent()) {
        Lun l = r.lun().get();
        b.append(l.alias()).append(' ');
        String w = l.wwid().value();
        b.append(w.indexOf(' ') >= 0 ? "\"" + w + "\"" : w);
        l.vm().ifPresent(vm -> b.append(' ').append(vm));
        l.note().ifPresent(note -> b.append(" # ").append(note));
      } else {
        b.append(r.text());
      }
      b.append('\n');
    }
    return b.toString();
  }
}
