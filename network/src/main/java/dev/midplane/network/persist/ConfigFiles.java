package dev.midplane.network.persist;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/** Reading a config directory and writing files in it as plan steps; shared by both stores. */
final class ConfigFiles {
  /** Suffixes initscripts and NetworkManager both skip. */
  private static final List<String> SKIPPED = List.of(".bak", "~", ".orig", ".rpmnew", ".rpmorig", ".rpmsave", ".swp");

  private ConfigFiles() {}

  /** The directory's files whose names {@code select} accepts, name to text, sorted by name. */
  static Map<String, String> read(Path dir, java.util.function.Predicate<String> select) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || SKIPPED.stream().anyMatch(name::endsWith) || !select.test(name)
            || !Files.isRegularFile(p)) {
          continue;
        }
        out.put(name, Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new MidplaneException("reading " + dir + " failed: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * A plan writing each file atomically (keeping {@code <name>.bak}); each step verifies by
   * reading the file back — its bytes, its mode when one is required, and {@code check}'s verdict
   * on the text — and undoes by putting back the previous content, or removing a file it created.
   */
  static Plan plan(String title, Host host, String directory, Map<String, String> files,
      Optional<Set<PosixFilePermission>> mode, java.util.function.BiFunction<String, String, Optional<String>> check) {
    Plan.Builder b = Plan.builder(title);
    files.forEach((name, content) -> b.step(new WriteStep(host.path(directory + "/" + name), directory + "/" + name,
        content, mode, text -> check.apply(name, text))));
    return b.build();
  }

  private static final class WriteStep implements Step {
    private final Path path;
    private final String shown;
    private final String content;
    private final Optional<Set<PosixFilePermission>> mode;
    private final Function<String, Optional<String>> check;
    private Optional<byte[]> previous = Optional.empty();

    WriteStep(Path path, String shown, String content, Optional<Set<PosixFilePermission>> mode,
        Function<String, Optional<String>> check) {
      this.path = path;
      this.shown = shown;
      this.content = content;
      this.mode = mode;
      this.check = check;
    }

    @Override
    public String description() {
      return "write " + shown + " (" + content.lines().count() + " lines"
          + mode.map(m -> ", mode " + PosixFilePermissions.toString(m)).orElse("") + ")";
    }

    @Override
    public void apply() {
      try {
        previous = Files.exists(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (mode.isPresent()) {
          AtomicFiles.write(path, bytes, AtomicFiles.SIBLING, mode.get());
        } else {
          AtomicFiles.write(path, bytes, AtomicFiles.SIBLING);
        }
      } catch (IOException e) {
        throw new MidplaneException("writing " + shown + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public Verification verify() {
      try {
        if (!Files.exists(path)) {
          return Verification.failed(shown + " does not exist");
        }
        String actual = Files.readString(path, StandardCharsets.UTF_8);
        if (!actual.equals(content)) {
          return Verification.failed(shown + " does not hold what was written");
        }
        if (mode.isPresent()) {
          PosixFileAttributeView v = Files.getFileAttributeView(path, PosixFileAttributeView.class);
          if (v != null && !v.readAttributes().permissions().equals(mode.get())) {
            return Verification.failed(shown + " has mode " + PosixFilePermissions.toString(v.readAttributes().permissions())
                + ", not " + PosixFilePermissions.toString(mode.get()));
          }
        }
        return check.apply(actual).map(Verification::failed).orElse(Verification.ok());
      } catch (IOException e) {
        return Verification.failed("reading " + shown + " back failed: " + e.getMessage());
      }
    }

    @Override
    public void undo() {
      try {
        if (previous.isPresent()) {
          AtomicFiles.write(path, previous.get(), AtomicFiles.NO_BACKUP);
        } else {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw new MidplaneException("restoring " + shown + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      return description();
    }
  }
}
