package dev.midplane.multipath.backend;

import dev.midplane.multipath.MultipathParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The multipath-tools release of a host, as {@code multipath -h} prints it on its first line
 * ({@code multipath-tools v0.9.4 (12/19, 2022)}).
 */
public record ToolsVersion(int major, int minor, int patch) implements Comparable<ToolsVersion> {
  private static final Pattern LINE = Pattern.compile("multipath-tools v(\\d+)\\.(\\d+)\\.(\\d+)");

  /** The first release with the tree layout, {@code multipathd resize map} and {@code wp=}. */
  public static final ToolsVersion TREE_LAYOUT = new ToolsVersion(0, 4, 9);
  /** The first release whose multipathd answers {@code show maps json}. */
  public static final ToolsVersion JSON = new ToolsVersion(0, 7, 0);

  /** Finds the version in {@code multipath -h} output (stdout and stderr together). */
  public static ToolsVersion parse(String output) {
    Matcher m = LINE.matcher(output);
    if (!m.find()) {
      throw new MultipathParseException("multipath -h output", 1, output.lines().findFirst().orElse(""),
          "no 'multipath-tools vX.Y.Z' in the output");
    }
    return new ToolsVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  public boolean atLeast(ToolsVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(ToolsVersion o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    return minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
