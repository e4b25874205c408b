package dev.midplane.multipath.config;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code multipath.conf}: its top-level nodes in file order (sections, and comments between
 * them), with typed views of the parts that decide which maps exist and how they are named.
 * Immutable; the {@code with…} methods return modified copies, so a config can be built up, diffed
 * and written atomically.
 *
 * <pre>{@code
 * ParsedConfig parsed = MultipathConfig.parseWithWarnings(text, "/etc/multipath.conf");
 * parsed.warnings().forEach(System.out::println);     // what multipath -t would warn about
 * MultipathConfig c = parsed.config()
 *     .withDefault("find_multipaths", "no");
 * c.writeTo(host.path("/etc/multipath.conf"));         // atomic, keeps multipath.conf.bak
 * }</pre>
 *
 * <p>Typed views read every section of a name, in order, the way multipath-tools merges repeated
 * sections: {@link #blacklist()} gathers the entries of all {@code blacklist} sections.
 */
public final class MultipathConfig {
  private final List<ConfigNode> nodes;
  /** Derived once from the immutable nodes, on first use ({@link #lint()}, {@link #aliases()}). */
  private volatile List<ConfigWarning> lint;
  private volatile Map<String, Optional<String>> aliases;

  private MultipathConfig(List<ConfigNode> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** A config made of these top-level nodes. */
  public static MultipathConfig of(List<? extends ConfigNode> nodes) {
    return new MultipathConfig(List.copyOf(nodes));
  }

  /** A config made of these top-level nodes. */
  public static MultipathConfig of(ConfigNode... nodes) {
    return of(List.of(nodes));
  }

  /** An empty file: multipath-tools' built-in defaults apply. */
  public static MultipathConfig empty() {
    return new MultipathConfig(List.of());
  }

  /**
   * Parses {@code multipath.conf} text (or the output of {@code multipath -t}, which has the same
   * syntax). Structural errors throw {@link dev.midplane.multipath.MultipathParseException} with the
   * line; warnings are dropped — use {@link #parseWithWarnings} to see them.
   */
  public static MultipathConfig parse(String text) {
    return parseWithWarnings(text, "multipath.conf").config();
  }

  /**
   * Parses and lints in one pass: the warnings carry line numbers of {@code text}.
   *
   * @param source names the text in error messages, e.g. the file's path
   */
  public static ParsedConfig parseWithWarnings(String text, String source) {
    return ConfigParser.parse(Objects.requireNonNull(text, "text"), Objects.requireNonNull(source, "source"));
  }

  /** Reads and parses a file; a missing file throws {@link UncheckedIOException}. */
  public static ParsedConfig read(Path file) {
    try {
      return parseWithWarnings(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (java.nio.charset.MalformedInputException e) {
      try {
        return parseWithWarnings(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), file.toString());
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed", e);
    }
  }

  /** The top-level nodes in order. */
  public List<ConfigNode> nodes() {
    return nodes;
  }

  /** The top-level sections in order. */
  public List<Section> sections() {
    return nodes.stream().filter(Section.class::isInstance).map(Section.class::cast).toList();
  }

  /** The top-level sections with this name, in order (normally at most one). */
  public List<Section> sections(String name) {
    return sections().stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The first top-level section with this name. */
  public Optional<Section> section(String name) {
    return sections().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The {@code defaults} section, if the file has one. */
  public Optional<Section> defaults() {
    return section("defaults");
  }

  /**
   * The value of a {@code defaults} keyword as the file sets it (not multipath-tools' built-in
   * default when the file does not).
   */
  public Optional<String> defaultValue(String keyword) {
    Optional<String> value = Optional.empty();
    for (Section s : sections("defaults")) {
      Optional<String> v = s.value(keyword);
      if (v.isPresent()) {
        value = v;
      }
    }
    return value;
  }

  /** Every {@code blacklist} entry of the file (empty when there is none). */
  public Blacklist blacklist() {
    return Blacklist.from(sections("blacklist"));
  }

  /** Every {@code blacklist_exceptions} entry of the file. */
  public Blacklist blacklistExceptions() {
    return Blacklist.from(sections("blacklist_exceptions"));
  }

  /** The {@code device} sub-sections of every {@code devices} section, in order. */
  public List<Section> devices() {
    return sections("devices").stream().flatMap(s -> s.sections("device").stream()).toList();
  }

  /**
   * The {@code multipath} sub-sections of every {@code multipaths} section that name a WWID, in
   * order (multipath-tools ignores those without one; {@link #lint()} reports them).
   */
  public List<MultipathEntry> multipaths() {
    List<MultipathEntry> list = new ArrayList<>();
    for (Section mps : sections("multipaths")) {
      for (Section mp : mps.sections("multipath")) {
        mp.value("wwid").ifPresent(w -> list.add(new MultipathEntry(w, mp.value("alias"), mp)));
      }
    }
    return List.copyOf(list);
  }

  /** The {@code multipath} entry for {@code wwid}, if the file has one. */
  public Optional<MultipathEntry> multipath(String wwid) {
    return multipaths().stream().filter(e -> e.wwid().equals(wwid)).findFirst();
  }

  /**
   * The alias multipath-tools gives the map of {@code wwid} from this file: it merges repeated
   * {@code multipath} entries for one WWID, the later entry's values winning, and of repeated
   * {@code alias} keywords in one entry uses the last (as {@code multipath -t} of 0.9.4 shows).
   * Empty when no entry for {@code wwid} sets one.
   */
  public Optional<String> aliasOf(String wwid) {
    return aliases().getOrDefault(wwid, Optional.empty());
  }

  /**
   * Every WWID of a {@code multipath} entry, in the order of its first entry, with its merged alias
   * ({@link #aliasOf}); worked out in one pass over the entries, once.
   */
  Map<String, Optional<String>> aliases() {
    Map<String, Optional<String>> a = aliases;
    if (a == null) {
      Map<String, Optional<String>> merged = new LinkedHashMap<>();
      for (MultipathEntry e : multipaths()) {
        merged.putIfAbsent(e.wwid(), Optional.empty());
        if (e.alias().isPresent()) {
          merged.put(e.wwid(), e.alias()); // keeps the WWID's first position
        }
      }
      a = Collections.unmodifiableMap(merged);
      aliases = a;
    }
    return a;
  }

  /**
   * Whether this file admits {@code wwid} with its map named {@code alias}, or every reason it
   * does not; see {@link Admission} for how it is decided.
   */
  public Admission admission(Wwid wwid, MultipathAlias alias) {
    return Admission.of(this, wwid, alias);
  }

  /** {@code admission(wwid, alias).isAdmitted()}. */
  public boolean admits(Wwid wwid, MultipathAlias alias) {
    return admission(wwid, alias).isAdmitted();
  }

  /** The {@code overrides} section, if the file has one. */
  public Optional<Section> overrides() {
    return section("overrides");
  }

  /**
   * What multipath-tools 0.9.4 would warn about or refuse in this config; line numbers are 0
   * (use {@link #parseWithWarnings} for warnings with lines).
   */
  public List<ConfigWarning> lint() {
    List<ConfigWarning> l = lint;
    if (l == null) {
      l = ConfigLint.lint(nodes, node -> 0);
      lint = l;
    }
    return l;
  }

  /**
   * This config with {@code section} in place of the first top-level section of the same name
   * (keeping its position), or appended when there is none. Later sections of the same name are
   * dropped, so the result has exactly one.
   */
  public MultipathConfig withSection(Section section) {
    List<ConfigNode> list = new ArrayList<>(nodes.size() + 1);
    boolean placed = false;
    for (ConfigNode n : nodes) {
      if (n instanceof Section s && s.name().equals(section.name())) {
        if (!placed) {
          list.add(section);
          placed = true;
        }
      } else {
        list.add(n);
      }
    }
    if (!placed) {
      list.add(section);
    }
    return new MultipathConfig(list);
  }

  /**
   * The one top-level section called {@code name}: the first one with the children of all sections
   * of that name merged into it (as multipath-tools merges them), or an empty one.
   */
  public Section mergedSection(String name) {
    List<Section> all = sections(name);
    if (all.isEmpty()) {
      return Section.of(name);
    }
    List<ConfigNode> children = new ArrayList<>();
    all.forEach(s -> children.addAll(s.children()));
    return all.get(0).withChildren(children);
  }

  /** This config without any top-level section called {@code name}. */
  public MultipathConfig withoutSections(String name) {
    return new MultipathConfig(nodes.stream().filter(n -> !(n instanceof Section s && s.name().equals(name))).toList());
  }

  /** This config with {@code defaults} setting {@code keyword} to {@code value} exactly once. */
  public MultipathConfig withDefault(String keyword, String value) {
    return withSection(mergedSection("defaults").withValue(keyword, value));
  }

  /** The file's text, in the layout of {@code multipath -t}. */
  public String write() {
    return ConfigWriter.write(nodes);
  }

  /**
   * Writes the file atomically ({@link AtomicFiles}, previous version kept as {@code <name>.bak}).
   * Refuses, writing nothing, when multipath-tools would reject the whole file — a running
   * multipathd that reloads such a file loses its blacklist and aliases.
   *
   * @throws UnsafeOperationException listing every fatal problem
   */
  public void writeTo(Path file) {
    List<String> fatal = lint().stream().filter(ConfigWarning::fatal).map(ConfigWarning::toString).toList();
    if (!fatal.isEmpty()) {
      throw new UnsafeOperationException("write " + file, fatal);
    }
    AtomicFiles.write(file, write());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultipathConfig c && c.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode();
  }

  /** Same as {@link #write()}. */
  @Override
  public String toString() {
    return write();
  }
}
