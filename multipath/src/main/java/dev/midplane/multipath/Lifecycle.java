package dev.midplane.multipath;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The steps the lifecycle plans share: the inventory, multipath.conf, reloads and waits. */
final class Lifecycle {
  private Lifecycle() {}

  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  /** {@code 300 ms}, {@code 30 s}. */
  static String human(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /** How a step that writes a kernel attribute reads in a dry run: {@code write "1" to /sys/…}. */
  static String write(String path, String value) {
    return "write \"" + value + "\" to " + path;
  }

  /**
   * A step that changes the shared inventory with {@code change} (applied to the file as it is when
   * the step runs, under a lock on {@code <file>.lock} when the file is local), and undoes it with
   * {@code undo} applied the same way — so changes other hosts made meanwhile are kept.
   */
  static Step inventory(Multipath mp, String description, UnaryOperator<LunInventory> change,
      UnaryOperator<LunInventory> undo, Predicate<LunInventory> done) {
    return Step.builder(description + " (" + mp.inventoryFile() + ")")
        .apply(() -> editInventory(mp, change))
        .undo(() -> editInventory(mp, undo))
        .verify(() -> Verification.check(done.test(mp.inventory()), "the inventory " + mp.inventoryFile()
            + " does not show the change"))
        .build();
  }

  private static void editInventory(Multipath mp, UnaryOperator<LunInventory> change) {
    Path file = mp.inventoryFile();
    locked(file, () -> {
      LunInventory before = mp.inventory();
      LunInventory after = change.apply(before);
      if (!after.equals(before)) {
        after.write(file);
      }
    });
  }

  /** Runs {@code action} holding an advisory lock on {@code <file>.lock}, when the file is on this machine. */
  private static void locked(Path file, Runnable action) {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      action.run();
      return;
    }
    Path lock = file.resolveSibling(file.getFileName() + ".lock");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock l = ch.lock()) {
        action.run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("locking " + lock + " failed", e);
    }
  }

  /** {@code base} (the host's file, or an empty one) with the inventory's strategy applied. */
  static MultipathConfig generated(Multipath mp, LunInventory inventory) {
    MultipathConfig base = Multipath.read(mp.configFile()).map(MultipathConfig::parse).orElse(MultipathConfig.empty());
    return inventory.toConfig(base);
  }

  /** True when the host's multipath.conf is what the inventory makes of it. */
  static boolean configCurrent(Multipath mp, LunInventory inventory) {
    Optional<String> now = Multipath.read(mp.configFile());
    return now.isPresent() && now.get().equals(generated(mp, inventory).write());
  }

  /**
   * A step that writes {@code /etc/multipath.conf} from the inventory as it is when the step runs;
   * its undo puts the previous file back (and, with multipathd, has the daemon read it again).
   */
  static Step writeConfig(Multipath mp, Multipath.Mode mode, Predicate<MultipathConfig> expected, String what) {
    AtomicReference<Optional<String>> previous = new AtomicReference<>();
    Path file = mp.configFile();
    return Step.builder("write /etc/multipath.conf from the inventory: " + what)
        .apply(() -> {
          previous.set(Multipath.read(file));
          MultipathConfig c = generated(mp, mp.inventory());
          c.writeTo(file);
        })
        .undo(() -> {
          restore(file, previous.get());
          if (mode == Multipath.Mode.MULTIPATHD) {
            mp.tools().reconfigure();
          }
        })
        .verify(() -> {
          Optional<String> now = Multipath.read(file);
          return Verification.check(now.isPresent() && expected.test(MultipathConfig.parse(now.get())),
              "/etc/multipath.conf on " + mp.host().name() + " does not say " + what);
        })
        .build();
  }

  static void restore(Path file, Optional<String> text) {
    if (text.isPresent()) {
      AtomicFiles.write(file, text.get());
    } else {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("removing " + file + " failed", e);
      }
    }
  }

  /** The command that makes multipath load the maps of the configuration: per mode. */
  static Command loadCommand(Multipath.Mode mode, Wwid wwid) {
    return mode == Multipath.Mode.MULTIPATHD ? Command.of("multipathd", "reconfigure") : Command.of("multipath", wwid.value());
  }

  static void load(Multipath mp, Multipath.Mode mode, Wwid wwid) {
    if (mode == Multipath.Mode.MULTIPATHD) {
      mp.tools().reconfigure();
    } else {
      mp.tools().createMap(wwid);
    }
  }

  /** {@code configure()}: the file from the inventory, then a reload when a daemon runs. */
  static Plan configure(Multipath mp, LunInventory inventory, String title) {
    if (configCurrent(mp, inventory)) {
      return Plan.empty(title);
    }
    Multipath.Mode mode = mp.mode();
    Plan.Builder b = Plan.builder(title).step(writeConfig(mp, mode,
        c -> inventory.luns().stream().allMatch(l -> c.admits(l.wwid(), l.alias())),
        inventory.luns().size() + " LUN(s), blacklist all other WWIDs"));
    if (mode == Multipath.Mode.MULTIPATHD) {
      b.step(Step.builder("have multipathd read it").apply(() -> mp.tools().reconfigure(), Command.of("multipathd", "reconfigure"))
          .undo(() -> { }).build());
    }
    return b.build();
  }

  /**
   * Polls {@code look} until {@code done} or the deadline; the last value seen either way. The
   * first look is immediate.
   */
  static <T> T poll(Duration deadline, Supplier<T> look, Predicate<T> done) {
    long end = System.nanoTime() + deadline.toNanos();
    T last = look.get();
    while (!done.test(last) && System.nanoTime() < end) {
      sleep(POLL_INTERVAL);
      last = look.get();
    }
    return last;
  }

  static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MidplaneException("interrupted while waiting", e);
    }
  }

  /** The map of {@code wwid} now, when it is named {@code alias}: a read of that map only. */
  static Optional<MultipathMap> named(Multipath mp, Wwid wwid, MultipathAlias alias) {
    return mp.sysfs().multipathMapOf(wwid).filter(m -> m.name().equals(alias.value()));
  }

  /** A step that waits until the map of {@code wwid} exists with its alias. */
  static Step waitForMap(Multipath mp, Wwid wwid, MultipathAlias alias) {
    String what = "map " + alias + " of " + wwid;
    return Step.builder("wait until " + what + " exists (up to " + human(mp.deadline()) + ")")
        .apply(() -> {
          Optional<MultipathMap> m = poll(mp.deadline(), () -> named(mp, wwid, alias), Optional::isPresent);
          if (m.isEmpty()) {
            Topology t = mp.storage(); // the evidence, read once
            throw new MidplaneException(what + " did not appear on " + mp.host().name() + " within " + mp.deadline()
                + "; device-mapper has " + t.multipathMaps().stream().map(MultipathMap::name).toList()
                + ", the kernel sees " + t.pathsTo(wwid).size() + " path(s) to the LUN");
          }
        })
        .undo(() -> { })
        .verify(() -> Verification.check(named(mp, wwid, alias).filter(m -> !m.paths().isEmpty()).isPresent(),
            what + " does not exist with a path on " + mp.host().name()))
        .build();
  }
}
