package dev.midplane.ssh;

import dev.midplane.core.MidplaneException;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of {@code stat -c FORMAT} with {@link #FORMAT}, as both GNU coreutils and busybox
 * print it: raw mode in hex, size, access/modify/change times in epoch seconds, uid, gid, device
 * and inode numbers, then owner and group names. A pure parser.
 */
final class StatFormat {
  /** One line per file. */
  static final String FORMAT = "%f %s %X %Y %Z %u %g %d %i %U %G";
  private static final int FIELDS = 11;

  private StatFormat() {}

  /**
   * Parses every line of {@code output} (one trailing newline allowed); a malformed or missing
   * line fails with its 1-based number and the reason.
   */
  static List<RemoteAttributes> parse(String output) {
    String body = output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
    List<RemoteAttributes> out = new ArrayList<>();
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.add(parseLine(lines[i], i + 1));
    }
    return out;
  }

  /** Parses one line; {@code lineNumber} is for the error message. */
  static RemoteAttributes parseLine(String line, int lineNumber) {
    String[] f = line.split(" ", -1);
    if (f.length != FIELDS) {
      throw bad(lineNumber, line, "expected " + FIELDS + " space-separated fields, found " + f.length);
    }
    try {
      int mode = Integer.parseUnsignedInt(f[0], 16);
      long size = Long.parseLong(f[1]);
      FileTime atime = FileTime.fromMillis(Long.parseLong(f[2]) * 1000);
      FileTime mtime = FileTime.fromMillis(Long.parseLong(f[3]) * 1000);
      FileTime ctime = FileTime.fromMillis(Long.parseLong(f[4]) * 1000);
      long uid = Long.parseLong(f[5]);
      long gid = Long.parseLong(f[6]);
      long dev = Long.parseLong(f[7]);
      long ino = Long.parseUnsignedLong(f[8]);
      if (size < 0 || uid < 0 || gid < 0 || dev < 0 || mode > 0xFFFF) {
        throw bad(lineNumber, line, "value out of range");
      }
      String owner = f[9].isEmpty() || f[9].equals("UNKNOWN") ? Long.toString(uid) : f[9];
      String group = f[10].isEmpty() || f[10].equals("UNKNOWN") ? Long.toString(gid) : f[10];
      return new RemoteAttributes(mode, size, atime, mtime, ctime, owner, group, dev + ":" + Long.toUnsignedString(ino));
    } catch (NumberFormatException e) {
      throw bad(lineNumber, line, "not a number: " + e.getMessage());
    }
  }

  private static MidplaneException bad(int lineNumber, String line, String why) {
    return new MidplaneException("stat output line " + lineNumber + ": " + why + ": '" + line + "'");
  }
}
