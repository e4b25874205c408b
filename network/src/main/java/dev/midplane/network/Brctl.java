package dev.midplane.network;

import dev.midplane.core.ParseException;
import dev.midplane.core.names.InterfaceName;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser for {@code brctl show} (bridge-utils 1.5–1.7): a header line, then per bridge a line
 * {@code name<TAB>id<TAB>stp[<TAB>first port]} and one indented line per further port. With no
 * bridges at all bridge-utils 1.7 prints nothing, not even the header.
 */
public final class Brctl {
  private Brctl() {}

  public static List<BridgeStatus> parseShow(String text) {
    String src = "brctl show output";
    List<BridgeStatus> out = new ArrayList<>();
    String name = null;
    String id = null;
    boolean stp = false;
    List<InterfaceName> ports = new ArrayList<>();
    int n = 0;
    boolean header = false;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      if (!header) {
        if (!line.startsWith("bridge name")) {
          throw new ParseException(src, n, line, "expected the header 'bridge name  bridge id  STP enabled  interfaces'");
        }
        header = true;
        continue;
      }
      String[] f = line.strip().split("\\s+");
      try {
        if (Character.isWhitespace(line.charAt(0))) {
          if (name == null || f.length != 1) {
            throw new IllegalArgumentException("a continuation line holds exactly one port");
          }
          ports.add(InterfaceName.of(f[0]));
          continue;
        }
        if (name != null) {
          out.add(new BridgeStatus(InterfaceName.of(name), id, stp, ports));
        }
        if (f.length < 3 || f.length > 4 || !(f[2].equals("yes") || f[2].equals("no"))) {
          throw new IllegalArgumentException("a bridge line is 'name id yes|no [port]'");
        }
        name = f[0];
        InterfaceName.of(name);
        id = f[1].toLowerCase(java.util.Locale.ROOT);
        stp = f[2].equals("yes");
        ports = new ArrayList<>();
        if (f.length == 4) {
          ports.add(InterfaceName.of(f[3]));
        }
      } catch (RuntimeException e) {
        throw new ParseException(src, n, 0, line, e.getMessage(), e);
      }
    }
    if (!header && !text.isBlank()) {
      throw new ParseException(src, 0, "", "no header: not brctl show output");
    }
    if (name != null) {
      out.add(new BridgeStatus(InterfaceName.of(name), id, stp, ports));
    }
    return out;
  }
}
