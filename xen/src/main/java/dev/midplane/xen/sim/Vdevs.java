package dev.midplane.xen.sim;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Virtual disk names and the numbers Xen gives them (the inverse of {@code BlockDevice.vdevName}):
 * {@code xvda} is 202:0 = 51712, {@code xvdb} 51728, {@code xvdq} and beyond use the extended
 * form {@code 1<<28 | disk<<8 | partition}; {@code sdX} is 8:16·n, {@code hdX} 3:64·n (22 for
 * the second pair). A number is taken as it is.
 */
final class Vdevs {
  private static final Pattern NAME = Pattern.compile("(xvd|sd|hd)([a-z]+)([0-9]*)");

  private Vdevs() {}

  /** The number of a vdev name or number; empty for what Xen would refuse. */
  static OptionalInt number(String vdev) {
    if (vdev.matches("[0-9]{1,10}")) {
      long n = Long.parseLong(vdev);
      return n <= Integer.MAX_VALUE ? OptionalInt.of((int) n) : OptionalInt.empty();
    }
    Matcher m = NAME.matcher(vdev);
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    int disk = letters(m.group(2));
    int part = m.group(3).isEmpty() ? 0 : Integer.parseInt(m.group(3));
    switch (m.group(1)) {
      case "xvd" -> {
        if (disk < 16 && part < 16) {
          return OptionalInt.of((202 << 8) | (disk << 4) | part);
        }
        return part < 256 && disk < (1 << 20) ? OptionalInt.of((1 << 28) | (disk << 8) | part) : OptionalInt.empty();
      }
      case "sd" -> {
        return disk < 16 && part < 16 ? OptionalInt.of((8 << 8) | (disk << 4) | part) : OptionalInt.empty();
      }
      default -> {
        if (disk >= 4 || part >= 64) {
          return OptionalInt.empty();
        }
        int major = disk < 2 ? 3 : 22;
        return OptionalInt.of((major << 8) | ((disk % 2) << 6) | part);
      }
    }
  }

  private static int letters(String s) {
    int n = 0;
    for (char c : s.toCharArray()) {
      n = n * 26 + (c - 'a' + 1);
    }
    return n - 1;
  }
}
