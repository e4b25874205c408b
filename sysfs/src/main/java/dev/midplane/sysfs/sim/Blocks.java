package dev.midplane.sysfs.sim;

import dev.midplane.sysfs.DevNumber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The block layer: every whole disk (SCSI or device-mapper) by name and number, the links that
 * publish it ({@code /sys/block}, {@code /sys/class/block}, {@code /sys/dev/block}, the
 * {@code /dev} node) and the holder relation, kept both ways ({@code holders/} of the lower device,
 * {@code slaves/} of the upper one), as {@code bd_link_disk_holder} does.
 */
final class Blocks {
  /** One disk. {@code sysDir} is relative to the root ({@code sys/devices/.../block/sda}). */
  static final class Disk {
    final String name;
    final DevNumber dev;
    final String sysDir;
    final Set<String> holders = new TreeSet<>();
    final Set<String> slaves = new TreeSet<>();

    Disk(String name, DevNumber dev, String sysDir) {
      this.name = name;
      this.dev = dev;
      this.sysDir = sysDir;
    }
  }

  private final Tree tree;
  private final Map<String, Disk> byName = new HashMap<>();
  private final Map<DevNumber, Disk> byDev = new HashMap<>();

  Blocks(Tree tree) {
    this.tree = tree;
  }

  /** Common attributes of a disk directory being built. */
  void renderDisk(Disk d, long sectors, boolean dm, int diskseq) {
    String s = d.sysDir;
    tree.file(s + "/dev", d.dev + "\n");
    tree.file(s + "/size", sectors + "\n");
    tree.file(s + "/ro", "0\n");
    tree.file(s + "/removable", "0\n");
    tree.file(s + "/hidden", "0\n");
    tree.file(s + "/range", (dm ? 1 : 16) + "\n");
    tree.file(s + "/ext_range", (dm ? 1 : 256) + "\n");
    tree.file(s + "/capability", (dm ? 4 : 0) + "\n");
    tree.file(s + "/diskseq", diskseq + "\n");
    tree.file(s + "/uevent", "MAJOR=" + d.dev.major() + "\nMINOR=" + d.dev.minor() + "\nDEVNAME=" + d.name
        + "\nDEVTYPE=disk\nDISKSEQ=" + diskseq + "\n");
    tree.dir(s + "/holders");
    tree.dir(s + "/slaves");
    tree.file(s + "/queue/logical_block_size", "512\n");
    tree.file(s + "/queue/physical_block_size", "512\n");
    tree.file(s + "/queue/hw_sector_size", "512\n");
    tree.file(s + "/queue/rotational", "0\n");
    tree.file(s + "/queue/max_sectors_kb", "512\n");
    tree.file(s + "/queue/scheduler", dm ? "none\n" : "[mq-deadline] none\n");
    tree.link(s + "/subsystem", "sys/class/block");
  }

  /** Makes a rendered disk visible. */
  void publish(Disk d) {
    byName.put(d.name, d);
    byDev.put(d.dev, d);
    tree.file("dev/" + d.name, "");
    tree.link("sys/class/block/" + d.name, d.sysDir);
    tree.link("sys/block/" + d.name, d.sysDir);
    tree.link("sys/dev/block/" + d.dev, d.sysDir);
  }

  /**
   * Hides a disk and cuts its holder links on both sides (its own directory is removed by its
   * owner afterwards).
   */
  void unpublish(Disk d) {
    tree.unlink("sys/dev/block/" + d.dev);
    tree.unlink("sys/block/" + d.name);
    tree.unlink("sys/class/block/" + d.name);
    tree.unlink("dev/" + d.name);
    for (String h : new ArrayList<>(d.holders)) {
      release(byName.get(h), d);
    }
    for (String s : new ArrayList<>(d.slaves)) {
      release(d, byName.get(s));
    }
    byName.remove(d.name);
    byDev.remove(d.dev);
  }

  /** {@code upper} is built on {@code lower}. */
  void hold(Disk upper, Disk lower) {
    if (upper.slaves.add(lower.name)) {
      tree.link(upper.sysDir + "/slaves/" + lower.name, lower.sysDir);
    }
    if (lower.holders.add(upper.name)) {
      tree.link(lower.sysDir + "/holders/" + upper.name, upper.sysDir);
    }
  }

  void release(Disk upper, Disk lower) {
    if (upper == null || lower == null) {
      return;
    }
    upper.slaves.remove(lower.name);
    lower.holders.remove(upper.name);
    tree.unlink(upper.sysDir + "/slaves/" + lower.name);
    tree.unlink(lower.sysDir + "/holders/" + upper.name);
  }

  Optional<Disk> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  Optional<Disk> byDev(DevNumber dev) {
    return Optional.ofNullable(byDev.get(dev));
  }

  List<Disk> all() {
    return List.copyOf(byName.values());
  }
}
