package dev.midplane.multipath;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the real {@code multipath -t} on a config text without touching the machine's
 * {@code /etc/multipath.conf}: in a private mount namespace ({@code unshare --mount --propagation
 * private}), {@code /etc} is overlaid with a temporary directory that holds only the config under
 * test, and {@code /etc/multipath} (conf.d, bindings, wwids) is hidden under an empty tmpfs. The
 * program run inside the namespace is {@code sh} with a fixed script; the directories reach it as
 * positional parameters, never inside the script text. Needs root and the overlay file system.
 */
public final class RealMultipathT {
  /** Mounts in the namespace, then becomes multipath; $1 and $2 are the overlay's directories. */
  static final String SCRIPT = "mount -t overlay overlay -o \"lowerdir=/etc,upperdir=$1,workdir=$2\" /etc"
      + " && mount -t tmpfs midplane-empty /etc/multipath && exec multipath -t";
  private static final Pattern STAMP = Pattern.compile("^\\s*\\d+\\.\\d+ \\| ");
  private static final Pattern LINE = Pattern.compile("(?:line |on line |at line )(\\d+)");

  /** What {@code multipath -t} said; a config it refuses gives exit code 1 and no dump. */
  public record Result(int exitCode, String dump, List<String> messages) {
    /** The 1-based config lines the messages name. */
    public Set<Integer> lines() {
      Set<Integer> lines = new TreeSet<>();
      for (String m : messages) {
        Matcher x = LINE.matcher(m);
        if (x.find()) {
          lines.add(Integer.parseInt(x.group(1)));
        }
      }
      return lines;
    }
  }

  private RealMultipathT() {}

  public static Result run(String config) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("midplane-multipath-t-");
      Path upper = Files.createDirectories(dir.resolve("upper"));
      Path work = Files.createDirectories(dir.resolve("work"));
      Files.createDirectories(upper.resolve("multipath"));
      Files.writeString(upper.resolve("multipath.conf"), config, StandardCharsets.UTF_8);
      CommandResult r = new LocalCommandRunner().run(Command.builder(
          "unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT, "midplane-multipath-t",
          upper.toString(), work.toString()).timeout(Duration.ofSeconds(60)).build());
      List<String> messages = r.stderr().lines().map(l -> STAMP.matcher(l).replaceFirst("")).toList();
      boolean refused = messages.stream().anyMatch(m -> m.contains("error parsing config file"));
      if (!refused && (r.exitCode() != 0 || r.stdout().isEmpty())) {
        throw new AssertionError("multipath -t in a private namespace failed (exit " + r.exitCode() + "): " + r.stderr());
      }
      return new Result(r.exitCode(), r.stdout(), messages);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
