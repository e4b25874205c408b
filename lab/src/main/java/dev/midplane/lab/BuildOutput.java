package dev.midplane.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsers for what the image script prints: its {@code key=value} result lines and the
 * {@code versions.txt} it leaves next to the image. Pure functions; malformed input fails with the
 * line number, never with a partial result.
 */
final class BuildOutput {
  static final Set<String> REQUIRED = Set.of("kernel", "initrd", "kernel-release", "client-key", "versions",
      "image-key", "downloaded", "unpacked", "base", "initrd-state");

  private BuildOutput() {}

  /** The result lines as a map, in order; every required key must be there exactly once. */
  static Map<String, String> results(String stdout) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = stdout.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected key=value, got: " + line);
      }
      String key = line.substring(0, eq);
      if (!key.matches("[a-z][a-z-]*")) {
        throw new IllegalArgumentException("line " + (i + 1) + ": bad key '" + key + "'");
      }
      if (values.put(key, line.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("line " + (i + 1) + ": '" + key + "' given twice");
      }
    }
    List<String> missing = REQUIRED.stream().filter(k -> !values.containsKey(k)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the image script printed no " + String.join(", ", missing)
          + " (" + lines.size() + " lines read)");
    }
    return values;
  }

  /** Parses {@code versions.txt}: {@code guest|host <package> <version>} lines, plus one architecture line. */
  static List<PackageVersion> versions(String text) {
    List<PackageVersion> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("architecture ")) {
        continue;
      }
      String[] f = line.split(" ");
      if (f.length != 3 || f[1].isEmpty() || f[2].isEmpty()) {
        throw new IllegalArgumentException("versions line " + (i + 1) + ": expected '<guest|host> <package> <version>', got: " + line);
      }
      PackageVersion.Origin origin = switch (f[0]) {
        case "guest" -> PackageVersion.Origin.GUEST;
        case "host" -> PackageVersion.Origin.HOST;
        default -> throw new IllegalArgumentException("versions line " + (i + 1) + ": unknown origin '" + f[0] + "'");
      };
      out.add(new PackageVersion(origin, f[1], f[2]));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("versions list names no package");
    }
    return List.copyOf(out);
  }

  /** Builds the image value from the result lines and the versions list. */
  static LabImage image(Map<String, String> r, List<PackageVersion> packages, Duration duration) {
    LabImage.BuildReport report = new LabImage.BuildReport(
        count(r, "downloaded"), count(r, "unpacked"),
        state(r, "base"), state(r, "initrd-state"), duration);
    return new LabImage(Path.of(r.get("kernel")), Path.of(r.get("initrd")), r.get("kernel-release"),
        r.get("image-key"), Path.of(r.get("client-key")), packages, report);
  }

  private static int count(Map<String, String> r, String key) {
    String v = r.get(key);
    if (!v.matches("[0-9]{1,6}")) {
      throw new IllegalArgumentException(key + " is not a count: " + v);
    }
    return Integer.parseInt(v);
  }

  private static boolean state(Map<String, String> r, String key) {
    return switch (r.get(key)) {
      case "built" -> true;
      case "cached" -> false;
      default -> throw new IllegalArgumentException(key + " is neither built nor cached: " + r.get(key));
    };
  }
}
