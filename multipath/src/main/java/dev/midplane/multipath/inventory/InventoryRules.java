package dev.midplane.multipath.inventory;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules a whole inventory must keep before it is written or used to generate a config. */
final class InventoryRules {
  private InventoryRules() {}

  /** multipath-tools' default {@code alias_prefix}. */
  static final String DEFAULT_ALIAS_PREFIX = "mpath";

  private static final Pattern KERNEL_NAME = Pattern.compile(
      "(sd|hd|vd|xvd)[a-z]+|dm-[0-9]+|nvme[0-9]+n[0-9]+|md[0-9]+|loop[0-9]+|sr[0-9]+");

  static List<InventoryProblem> check(List<Row> rows, String aliasPrefix) {
    Pattern generated = Pattern.compile(Pattern.quote(aliasPrefix) + "([a-z]+|[0-9]+)");
    List<InventoryProblem> problems = new ArrayList<>();
    Map<Wwid, Integer> wwidLine = new HashMap<>();
    Map<MultipathAlias, Integer> aliasLine = new HashMap<>();
    Map<String, Integer> wwidText = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).lun().isPresent()) {
        wwidText.putIfAbsent(rows.get(i).lun().get().wwid().value(), i + 1);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).lun().isEmpty()) {
        continue;
      }
      Lun lun = rows.get(i).lun().get();
      int line = i + 1;
      Integer first = wwidLine.putIfAbsent(lun.wwid(), line);
      if (first != null) {
        problems.add(new InventoryProblem(line, "WWID " + lun.wwid() + " is already listed on line " + first));
      }
      Integer sameAlias = aliasLine.putIfAbsent(lun.alias(), line);
      if (sameAlias != null) {
        problems.add(new InventoryProblem(line, "alias " + lun.alias() + " is already used on line " + sameAlias));
      }
      String a = lun.alias().value();
      if (generated.matcher(a).matches()) {
        problems.add(new InventoryProblem(line, "alias " + a + " has the shape of the names multipath generates itself"
            + " (alias_prefix \"" + aliasPrefix + "\"); it would collide on a host that named a map so"));
      }
      Integer wwidOwner = wwidText.get(a);
      if (wwidOwner != null && !lun.wwid().value().equals(a)) {
        problems.add(new InventoryProblem(line, "alias " + a + " is the WWID of the LUN on line " + wwidOwner
            + "; multipath commands would not know which map is meant"));
      }
      if (KERNEL_NAME.matcher(a).matches()) {
        problems.add(new InventoryProblem(line, "alias " + a + " looks like a kernel block device name;"
            + " multipath commands accept those too and would not know which is meant"));
      }
    }
    return problems;
  }
}
