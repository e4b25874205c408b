package dev.midplane.multipath.inventory;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.MultipathEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared LUN inventory: WWID → alias (→ VM), in the line format described in the
 * {@linkplain dev.midplane.multipath.inventory package overview}. Immutable and always valid: every
 * way to obtain one (parsing, {@link #add}, {@link #remove}) checks the whole inventory and throws
 * {@link InventoryException} with every problem and its line.
 *
 * <pre>{@code
 * Path file = Path.of("/srv/shared/midplane/luns");
 * LunInventory inv = LunInventory.read(file)
 *     .add(Lun.diskOf(DomainName.of("web01"), Wwid.of("3600a0b800026b2820000004d4d2f6b4b")));
 * inv.write(file);                                          // atomic, keeps luns.bak
 * MultipathConfig conf = inv.toConfig(MultipathConfig.read(etc.resolve("multipath.conf")).config());
 * }</pre>
 */
public final class LunInventory {
  private final List<Row> rows;

  private LunInventory(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  private static LunInventory checked(List<Row> rows, String source) {
    List<InventoryProblem> problems = InventoryRules.check(rows, InventoryRules.DEFAULT_ALIAS_PREFIX);
    if (!problems.isEmpty()) {
      throw new InventoryException(source, problems);
    }
    return new LunInventory(rows);
  }

  /** An inventory without LUNs. */
  public static LunInventory empty() {
    return new LunInventory(List.of());
  }

  /** The given LUNs, in order; checked like a file. */
  public static LunInventory of(List<Lun> luns) {
    return checked(luns.stream().map(Row::of).toList(), "(built in code)");
  }

  /** Parses inventory text; syntax and rule problems throw {@link InventoryException}, all at once. */
  public static LunInventory parse(String text) {
    return parse(text, "(text)");
  }

  /** Parses inventory text, naming it {@code source} in errors. */
  public static LunInventory parse(String text, String source) {
    InventoryFormat.Parsed parsed = InventoryFormat.parse(text);
    List<InventoryProblem> problems = new ArrayList<>(parsed.problems());
    if (problems.isEmpty()) {
      problems.addAll(InventoryRules.check(parsed.rows(), InventoryRules.DEFAULT_ALIAS_PREFIX));
    }
    if (!problems.isEmpty()) {
      throw new InventoryException(source, problems);
    }
    return new LunInventory(parsed.rows());
  }

  /** Reads an inventory file. */
  public static LunInventory read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading LUN inventory " + file + " failed", e);
    }
  }

  /**
   * The inventory a hand-written {@code multipath.conf} implies: one LUN per {@code multipath}
   * entry with an alias, in file order. For moving an existing installation to midplane.
   *
   * @throws InventoryException when an entry's WWID or alias is not valid, or the rules are broken
   */
  public static LunInventory fromConfig(MultipathConfig config) {
    List<Row> rows = new ArrayList<>();
    List<InventoryProblem> problems = new ArrayList<>();
    for (MultipathEntry e : config.multipaths()) {
      if (e.alias().isEmpty()) {
        continue;
      }
      try {
        rows.add(Row.of(Lun.of(MultipathAlias.of(e.alias().get()), Wwid.of(e.wwid()))));
      } catch (InvalidNameException ex) {
        problems.add(new InventoryProblem(0, "multipath entry " + e.wwid() + ": " + ex.getMessage()));
      }
    }
    String aliasPrefix = config.defaultValue("alias_prefix").orElse(InventoryRules.DEFAULT_ALIAS_PREFIX);
    problems.addAll(InventoryRules.check(rows, aliasPrefix));
    if (!problems.isEmpty()) {
      throw new InventoryException("from multipath.conf", problems);
    }
    return new LunInventory(rows);
  }

  /** The LUNs in file order. */
  public List<Lun> luns() {
    return rows.stream().flatMap(r -> r.lun().stream()).toList();
  }

  public Optional<Lun> find(Wwid wwid) {
    return luns().stream().filter(l -> l.wwid().equals(wwid)).findFirst();
  }

  public Optional<Lun> find(MultipathAlias alias) {
    return luns().stream().filter(l -> l.alias().equals(alias)).findFirst();
  }

  /** The disks of a VM, in file order. */
  public List<Lun> disksOf(DomainName vm) {
    return luns().stream().filter(l -> l.vm().equals(Optional.of(vm))).toList();
  }

  /**
   * This inventory with {@code lun} appended.
   *
   * @throws InventoryException when the WWID or alias is already listed, or the alias breaks a
   *     rule; the message names the line the new entry would have had
   */
  public LunInventory add(Lun lun) {
    List<Row> list = new ArrayList<>(rows);
    list.add(Row.of(lun));
    return checked(list, "adding " + lun.alias() + " " + lun.wwid());
  }

  /**
   * This inventory without the LUN {@code wwid}; comments stay.
   *
   * @throws NotFoundException when no LUN has that WWID
   */
  public LunInventory remove(Wwid wwid) {
    if (find(wwid).isEmpty()) {
      throw new NotFoundException("inventoried LUN", wwid.value(), null);
    }
    return new LunInventory(rows.stream().filter(r -> r.lun().map(l -> !l.wwid().equals(wwid)).orElse(true)).toList());
  }

  /**
   * The problems this inventory would have with {@code config}'s {@code alias_prefix} (the rules
   * are checked against multipath's default prefix {@code mpath} on every change already).
   */
  public List<InventoryProblem> problemsWith(MultipathConfig config) {
    String prefix = config.defaultValue("alias_prefix").orElse(InventoryRules.DEFAULT_ALIAS_PREFIX);
    return InventoryRules.check(rows, prefix);
  }

  /**
   * {@code base} with the paper's strategy applied for this inventory, the same for every host:
   *
   * <ul>
   *   <li>{@code blacklist} gains {@code wwid ".*"} if it lacks it; its other entries stay;
   *   <li>{@code blacklist_exceptions} lists {@code wwid "^<wwid>$"} for every LUN, in inventory
   *       order, each with the alias as comment; the inventory owns every {@code wwid} line there,
   *       other entries ({@code property}, {@code device}, …) stay;
   *   <li>{@code multipaths} has one {@code multipath} entry per LUN: existing entries of
   *       inventoried WWIDs keep their other settings (e.g. {@code no_path_retry}) and get the
   *       inventory's alias; entries of WWIDs that are no longer inventoried are dropped;
   *   <li>{@code defaults} gets {@code find_multipaths "no"} when it is unset or set to a value
   *       under which something else than the blacklist decides ({@code strict}, {@code yes},
   *       {@code on}, {@code smart} — multipath-tools 0.9's built-in default is {@code strict});
   *   <li>repeated sections are merged into one, a header comment says the file is generated.
   * </ul>
   *
   * Applying it to its own result changes nothing.
   *
   * @throws InventoryException when an alias collides with {@code base}'s {@code alias_prefix}
   */
  public MultipathConfig toConfig(MultipathConfig base) {
    List<InventoryProblem> problems = problemsWith(base);
    if (!problems.isEmpty()) {
      throw new InventoryException("against multipath.conf", problems);
    }
    return ConfigGeneration.apply(base, luns());
  }

  /** The file's text. */
  public String render() {
    return InventoryFormat.render(rows);
  }

  /** Writes the file atomically ({@link AtomicFiles}, previous version kept as {@code <name>.bak}). */
  public void write(Path file) {
    AtomicFiles.write(file, render());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LunInventory i && i.rows.equals(rows);
  }

  @Override
  public int hashCode() {
    return rows.hashCode();
  }

  @Override
  public String toString() {
    return render();
  }
}
