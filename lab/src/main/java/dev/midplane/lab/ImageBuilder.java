package dev.midplane.lab;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.io.Resources;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.LocalCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the lab's guest image, or finds it in its cache. The work is done by the image script
 * shipped in this module ({@code build-image.sh}, run with {@code nice} as an argv), which
 * downloads the kernel, busybox and dropbear with {@code apt-get download}, copies this machine's
 * storage and network tools with their libraries, and packs a gzip'ed cpio initramfs. Packages and
 * images are cached by version under the cache directory, so the second build of an unchanged
 * image costs a few seconds and a change to the guest's {@code /init} only repacks the overlay.
 *
 * <p>Needs root and Debian's {@code apt-get}, {@code dpkg-deb}, {@code cpio}, {@code ssh-keygen}
 * and the packages whose programs go into the guest; {@link #missingPrerequisites()} lists what
 * this machine lacks. Builds from several JVMs are serialized by a lock in the cache directory.
 */
public final class ImageBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);
  private static final String RESOURCE_DIR = "image/";
  /** The script and the files of the overlay, relative to {@link #RESOURCE_DIR}. */
  private static final List<String> RESOURCES = List.of("build-image.sh", "overlay/init", "overlay/etc/inittab");
  /** Exit code of {@code build-image.sh --check} when something is missing. */
  private static final int CHECK_MISSING = 3;

  private final Path cache;
  private final CommandRunner runner;
  private Path log;
  private Path overlay;
  private Duration timeout = Duration.ofMinutes(20);

  private ImageBuilder(Path cache, CommandRunner runner) {
    this.cache = cache.toAbsolutePath();
    this.runner = runner;
    this.log = this.cache.resolve("build.log");
  }

  /** A builder whose packages and images live under {@code cache} (created when absent). */
  public static ImageBuilder inCache(Path cache) {
    return new ImageBuilder(Objects.requireNonNull(cache, "cache"), new LocalCommandRunner());
  }

  /** For tests: the same, with the script run by {@code runner}. */
  static ImageBuilder inCache(Path cache, CommandRunner runner) {
    return new ImageBuilder(cache, runner);
  }

  /**
   * The cache used when nobody says otherwise: {@code $MIDPLANE_LAB_CACHE}, else the system
   * property {@code midplane.lab.cache}, else {@code ~/.cache/midplane-lab}.
   */
  public static Path defaultCache() {
    String env = System.getenv("MIDPLANE_LAB_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("midplane.lab.cache");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "midplane-lab");
  }

  /** Where the script's progress output goes (default {@code <cache>/build.log}); replaced on each build. */
  public ImageBuilder log(Path file) {
    this.log = Objects.requireNonNull(file, "file").toAbsolutePath();
    return this;
  }

  /** How long a build may take before it is killed (default 20 minutes). */
  public ImageBuilder timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** For tests and for work on the guest's {@code /init}: the overlay files from {@code dir} instead of the lab's own. */
  ImageBuilder overlay(Path dir) {
    this.overlay = dir.toAbsolutePath();
    return this;
  }

  public Path cache() {
    return cache;
  }

  /**
   * What this machine lacks to build the image, one human-readable item each ({@code tool 'cpio'},
   * {@code Debian package 'multipath-tools' (installed on this machine)}, {@code root}); empty when
   * nothing is missing.
   */
  public List<String> missingPrerequisites() {
    Path script = unpackScripts().resolve("build-image.sh");
    CommandResult r = runner.run(Command.builder("bash", script.toString(), "--check")
        .timeout(Duration.ofMinutes(2)).build());
    if (r.exitCode() == 0) {
      return List.of();
    }
    if (r.exitCode() != CHECK_MISSING) {
      throw CommandFailedException.exited(null, r.command().argv(), r.exitCode(), r.stderr());
    }
    List<String> missing = new ArrayList<>();
    for (String line : r.stdoutLines()) {
      if (line.startsWith("missing: ")) {
        missing.add(line.substring("missing: ".length()));
      }
    }
    if (missing.isEmpty()) {
      throw new LabException("the image script reported missing prerequisites but named none: " + r.stdout(), null, null);
    }
    return List.copyOf(missing);
  }

  /**
   * Builds the image, or reuses the cached one when nothing that goes into it changed.
   *
   * @throws LabException when the script fails; the message has the tail of its log
   */
  public LabImage build() {
    Path scripts = unpackScripts();
    Command command = Command.builder("nice", "-n", "10", "bash", scripts.resolve("build-image.sh").toString(),
            "--cache", cache.toString(), "--overlay", (overlay != null ? overlay : scripts.resolve("overlay")).toString())
        .timeout(timeout)
        .build();
    long start = System.nanoTime();
    CommandResult r;
    try {
      r = runner.run(command);
    } catch (CommandFailedException e) {
      throw new LabException("building the lab image failed: " + e.getMessage(), log, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    writeLog(r);
    if (!r.isSuccess()) {
      throw new LabException("building the lab image failed (exit " + r.exitCode() + "), log " + log + ":\n"
          + tail(r.stderr(), 25), log, null);
    }
    try {
      Map<String, String> results = BuildOutput.results(r.stdout());
      List<PackageVersion> packages = BuildOutput.versions(
          Files.readString(Path.of(results.get("versions")), StandardCharsets.UTF_8));
      LabImage image = BuildOutput.image(results, packages, took);
      LOG.info("lab image {} (kernel {}): {} in {} ms", image.imageKey(), image.kernelRelease(),
          image.build().kind(), took.toMillis());
      return image;
    } catch (IOException e) {
      throw new LabException("the lab image's version list cannot be read: " + e.getMessage(), log, e);
    } catch (IllegalArgumentException e) {
      throw new LabException("the image script's output is not understood: " + e.getMessage(), log, e);
    }
  }

  private void writeLog(CommandResult r) {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, r.command() + "\n" + r.stderr() + "\n# stdout\n" + r.stdout(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("cannot write the image build log {}: {}", log, e.toString());
    }
  }

  /**
   * Copies the script and the overlay from the class path to {@code <cache>/scripts/<hash>/}, so
   * the script runs from a file whether this module is a directory or a jar.
   */
  Path unpackScripts() {
    try {
      Hasher h = Hashing.sha256().newHasher();
      List<byte[]> contents = new ArrayList<>();
      for (String name : RESOURCES) {
        byte[] b = Resources.toByteArray(Resources.getResource(ImageBuilder.class, RESOURCE_DIR + name));
        contents.add(b);
        h.putString(name, StandardCharsets.UTF_8).putInt(b.length).putBytes(b);
      }
      Path dir = cache.resolve("scripts").resolve(h.hash().toString().substring(0, 16));
      if (Files.isRegularFile(dir.resolve("build-image.sh"))) {
        return dir;
      }
      Path tmp = Files.createDirectories(cache.resolve("scripts"))
          .resolve(".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
      for (int i = 0; i < RESOURCES.size(); i++) {
        Path f = tmp.resolve(RESOURCES.get(i));
        Files.createDirectories(f.getParent());
        Files.write(f, contents.get(i));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
            RESOURCES.get(i).endsWith(".sh") || RESOURCES.get(i).endsWith("/init") ? "rwxr-xr-x" : "rw-r--r--"));
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.isRegularFile(dir.resolve("build-image.sh"))) {
          throw raced;
        }
        deleteTree(tmp);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot place the lab's image script under " + cache, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
