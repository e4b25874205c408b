package dev.midplane.network;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.ParseException;
import dev.midplane.core.names.InterfaceName;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser for {@code ip -o addr show}: one line per address, {@code INDEX: NAME FAMILY
 * ADDRESS/PREFIX [brd B] scope SCOPE …}, the form every iproute2 prints, including those too old
 * for JSON. A pure function; a line it cannot read is an error with its number.
 */
public final class IpText {
  private IpText() {}

  public static List<IfAddress> addresses(String text) {
    String src = "ip -o addr output";
    List<IfAddress> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split("\\s+");
      try {
        if (f.length < 4 || !f[0].matches("\\d+:")) {
          throw new IllegalArgumentException("expected 'INDEX: NAME FAMILY ADDRESS/PREFIX ...'");
        }
        String name = f[1].endsWith(":") ? f[1].substring(0, f[1].length() - 1) : f[1];
        int at = name.indexOf('@');
        InterfaceName dev = InterfaceName.of(at < 0 ? name : name.substring(0, at));
        String family = f[2];
        if (!family.equals("inet") && !family.equals("inet6")) {
          continue; // link-layer lines of older iproute2s
        }
        int slash = f[3].indexOf('/');
        String address = slash < 0 ? f[3] : f[3].substring(0, slash);
        int prefix = slash < 0 ? (family.equals("inet") ? 32 : 128) : Integer.parseInt(f[3].substring(slash + 1));
        String scope = "global";
        for (int i = 4; i + 1 < f.length; i++) {
          if (f[i].equals("scope")) {
            scope = f[i + 1];
            break;
          }
        }
        out.add(new IfAddress(dev, family, address, prefix, scope));
      } catch (IllegalArgumentException | InvalidNameException e) {
        throw new ParseException(src, n, line, e.getMessage());
      }
    }
    return out;
  }
}
