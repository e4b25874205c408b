package dev.midplane.xen.config;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.xen.text.ParseFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Xen domain config file — the settings of one VM as {@code xl create} or {@code xm create}
 * reads them — in either {@link Dialect}. An immutable value: the {@code with…} methods return a
 * changed copy.
 *
 * <p>Parsing keeps everything: unknown keys, the order of settings, the comment and blank lines
 * before each setting and a comment after it. Each parsed setting also remembers its exact text,
 * so {@link #render()} gives back an unchanged file byte for byte and a changed one with only the
 * changed settings rewritten (in a canonical layout). Equality ignores that remembered text: two
 * configs are equal when they hold the same settings and comments, and
 * {@code parse(c.render(), c.dialect()).equals(c)} holds for every config.
 *
 * <pre>{@code
 * DomainConfig c = DomainConfig.read(Path.of("/etc/xen/vm1.cfg"), Dialect.XL);
 * DomainName name = c.name();
 * List<DiskSpec> disks = c.disks();
 * c.withMemoryMib(1024).write(Path.of("/etc/xen/vm1.cfg"));
 * }</pre>
 *
 * <p>A key set more than once means what it means to the toolstacks: the last {@code =} wins, and
 * later {@code +=} settings (xl) extend it. {@link #get(String)} returns that effective value.
 */
public final class DomainConfig {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** How a setting combines with earlier ones of the same key. */
  public enum Op {
    /** {@code key = value}. */
    ASSIGN,
    /** {@code key += value} (xl only): appends to a list or a string. */
    APPEND
  }

  /**
   * One setting with the comment and blank lines written before it and the comment after it on
   * the same line.
   */
  public static final class Entry {
    private final String key;
    private final Op op;
    private final ConfigValue value;
    private final List<String> comments;
    private final String trailingComment;
    private final int line;
    private final String source;

    private Entry(String key, Op op, ConfigValue value, List<String> comments, String trailingComment, int line,
        String source) {
      this.key = Objects.requireNonNull(key, "key");
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("not a setting name: '" + key + "' (letters, digits and '_', not starting with a digit)");
      }
      if (key.equals("True") || key.equals("False") || key.equals("None") || ConfigParser.PYTHON_KEYWORDS.contains(key)) {
        throw new IllegalArgumentException("not a setting name (a Python word): " + key);
      }
      this.op = Objects.requireNonNull(op, "op");
      this.value = Objects.requireNonNull(value, "value");
      this.comments = List.copyOf(comments);
      if (trailingComment != null && (!trailingComment.startsWith("#") || trailingComment.indexOf('\n') >= 0
          || trailingComment.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException("a trailing comment starts with '#' and has no line break: " + trailingComment);
      }
      this.trailingComment = trailingComment;
      this.line = line;
      this.source = source;
    }

    /** {@code key = value} with no comments. */
    public static Entry of(String key, ConfigValue value) {
      return new Entry(key, Op.ASSIGN, value, List.of(), null, 0, null);
    }

    /** A setting with comment lines before it (each blank or starting with {@code #}) and an optional trailing comment. */
    public static Entry of(String key, Op op, ConfigValue value, List<String> comments, Optional<String> trailingComment) {
      comments.forEach(DomainConfig::checkCommentLine);
      return new Entry(key, op, value, comments, trailingComment.orElse(null), 0, null);
    }

    /** The same setting as an {@code =} assignment of {@code newValue}, comments kept. */
    Entry asAssignment(ConfigValue newValue) {
      return new Entry(key, Op.ASSIGN, newValue, comments, trailingComment, line, null);
    }

    static Entry parsed(String key, Op op, ConfigValue value, List<String> comments, String trailing, int line, String source) {
      return new Entry(key, op, value, comments, trailing, line, source);
    }

    /** The setting's name, e.g. {@code disk}. */
    public String key() {
      return key;
    }

    public Op op() {
      return op;
    }

    /** The value this setting assigns or appends. */
    public ConfigValue value() {
      return value;
    }

    /** The comment and blank lines before the setting, without line terminators. */
    public List<String> comments() {
      return comments;
    }

    /** The comment after the setting on its last line, starting with {@code #}. */
    public Optional<String> trailingComment() {
      return Optional.ofNullable(trailingComment);
    }

    /** The 1-based line the setting started on in the parsed text; 0 for a setting made in code. */
    public int line() {
      return line;
    }

    /** The same setting with another value, keeping its comments; it will be rendered afresh. */
    public Entry withValue(ConfigValue newValue) {
      return new Entry(key, op, newValue, comments, trailingComment, line, null);
    }

    Optional<String> source() {
      return Optional.ofNullable(source);
    }

    Entry withoutSource() {
      return new Entry(key, op, value, comments, trailingComment, line, null);
    }

    Entry normalisedFor(Dialect dialect) {
      ConfigValue v = ConfigWriter.normalise(value, dialect);
      return v.equals(value) ? this : new Entry(key, op, v, comments, trailingComment, line, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.key.equals(key) && e.op == op && e.value.equals(value)
          && e.comments.equals(comments) && Objects.equals(e.trailingComment, trailingComment);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, op, value, comments, trailingComment);
    }

    @Override
    public String toString() {
      return key + (op == Op.ASSIGN ? " = " : " += ") + value;
    }
  }

  private final Dialect dialect;
  private final List<Entry> entries;
  private final List<String> trailer;
  private final String trailerSource;
  private final String sourceName;

  private DomainConfig(Dialect dialect, List<Entry> entries, List<String> trailer, String trailerSource, String sourceName) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    List<Entry> normalised = new ArrayList<>();
    for (Entry e : entries) {
      normalised.add(e.normalisedFor(dialect));
    }
    if (dialect == Dialect.XM) {
      for (Entry e : normalised) {
        if (e.op == Op.APPEND) {
          throw new IllegalArgumentException("'+=' is xl syntax; an xm config cannot hold it (" + e.key + ")");
        }
      }
    }
    for (Entry e : normalised) {
      if (e.op == Op.APPEND && !(e.value instanceof ConfigValue.ListOf) && !(e.value instanceof ConfigValue.Str)) {
        throw new IllegalArgumentException("'+=' needs a list or a string (" + e.key + ")");
      }
    }
    this.entries = List.copyOf(normalised);
    this.trailer = List.copyOf(trailer);
    this.trailerSource = trailerSource;
    this.sourceName = sourceName == null ? "domain config" : sourceName;
  }

  private static final Pattern COMMENT_LINE = Pattern.compile("[ \t]*(#[^\r\n]*)?");

  private static void checkCommentLine(String line) {
    if (!COMMENT_LINE.matcher(line).matches()) {
      throw new IllegalArgumentException("a comment line is spaces and tabs, optionally followed by '#' and text without line breaks: '"
          + line + "'");
    }
  }

  static DomainConfig parsed(Dialect dialect, List<Entry> entries, List<String> trailer, String trailerSource, String source) {
    return new DomainConfig(dialect, entries, trailer, trailerSource, source);
  }

  /**
   * Parses a config in {@code dialect}.
   *
   * @throws PythonCodeException when statements are Python code (all of them are listed)
   * @throws ParseFailedException when the text is malformed (at the first problem)
   */
  public static DomainConfig parse(String text, Dialect dialect) {
    return parse(text, dialect, "domain config");
  }

  /** {@link #parse(String, Dialect)}, naming the source (a path, usually) in errors. */
  public static DomainConfig parse(String text, Dialect dialect, String sourceName) {
    Objects.requireNonNull(text, "text");
    return new ConfigParser(text, Objects.requireNonNull(sourceName, "sourceName"), Objects.requireNonNull(dialect, "dialect")).parse();
  }

  /** Reads and parses a config file (UTF-8). */
  public static DomainConfig read(Path file, Dialect dialect) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MidplaneException("cannot read domain config " + file + ": " + e.getMessage(), e);
    }
    return parse(text, dialect, file.toString());
  }

  /** A config holding {@code entries}, in canonical layout. */
  public static DomainConfig of(Dialect dialect, List<Entry> entries) {
    return new DomainConfig(dialect, entries, List.of(), null, null);
  }

  /** A config without settings. */
  public static DomainConfig empty(Dialect dialect) {
    return of(dialect, List.of());
  }

  /** The syntax the config is written in. */
  public Dialect dialect() {
    return dialect;
  }

  /** Every setting in file order, repeated keys included. */
  public List<Entry> entries() {
    return entries;
  }

  /** The comment and blank lines after the last setting. */
  public List<String> trailingComments() {
    return trailer;
  }

  /** The keys set, in order of first appearance. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    entries.forEach(e -> keys.add(e.key()));
    return keys;
  }

  /**
   * The effective value of {@code key}: the last {@code =} setting, extended by the {@code +=}
   * settings after it. Empty when the key is not set.
   */
  public Optional<ConfigValue> get(String key) {
    ConfigValue v = null;
    for (Entry e : entries) {
      if (!e.key().equals(key)) {
        continue;
      }
      if (e.op() == Op.ASSIGN || v == null) {
        v = e.value();
      } else {
        v = append(v, e);
      }
    }
    return Optional.ofNullable(v);
  }

  private ConfigValue append(ConfigValue base, Entry e) {
    if (base instanceof ConfigValue.ListOf a && e.value() instanceof ConfigValue.ListOf b) {
      List<ConfigValue> all = new ArrayList<>(a.items());
      all.addAll(b.items());
      return new ConfigValue.ListOf(all);
    }
    if (base instanceof ConfigValue.Str a && e.value() instanceof ConfigValue.Str b) {
      return new ConfigValue.Str(a.value() + b.value());
    }
    throw problem(e, "'" + e.key() + " +=' adds a " + kind(e.value()) + " to a " + kind(base));
  }

  private static String kind(ConfigValue v) {
    return v instanceof ConfigValue.ListOf ? "list" : v instanceof ConfigValue.Str ? "string" : "number";
  }

  /** The effective string value of {@code key}; a non-string value is an error naming the line. */
  public Optional<String> getString(String key) {
    Optional<ConfigValue> v = get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get() instanceof ConfigValue.Str s) {
      return Optional.of(s.value());
    }
    throw problem(last(key), "'" + key + "' must be a string, is " + v.get());
  }

  /** The effective whole-number value of {@code key} (numbers, booleans and quoted digits count). */
  public OptionalLong getLong(String key) {
    Optional<ConfigValue> v = get(key);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    OptionalLong n = v.get().asLong();
    if (n.isEmpty()) {
      throw problem(last(key), "'" + key + "' must be a whole number, is " + v.get());
    }
    return n;
  }

  /** The effective list of strings of {@code key}; a single string counts as a list of one. */
  public List<String> getStrings(String key) {
    Optional<ConfigValue> v = get(key);
    if (v.isEmpty()) {
      return List.of();
    }
    if (v.get() instanceof ConfigValue.Str s) {
      return List.of(s.value());
    }
    if (v.get() instanceof ConfigValue.ListOf l) {
      List<String> out = new ArrayList<>();
      for (ConfigValue item : l.items()) {
        if (!(item instanceof ConfigValue.Str s)) {
          throw problem(last(key), "'" + key + "' must be a list of strings, holds " + item);
        }
        out.add(s.value());
      }
      return out;
    }
    throw problem(last(key), "'" + key + "' must be a list of strings, is " + v.get());
  }

  private Entry last(String key) {
    Entry found = null;
    for (Entry e : entries) {
      if (e.key().equals(key)) {
        found = e;
      }
    }
    return found;
  }

  private ParseFailedException problem(Entry e, String what) {
    String lineText = e == null ? "" : e.source().map(s -> {
      List<String> lines = ConfigParser.lines(s);
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }).orElse(e.toString());
    return new ParseFailedException(sourceName, e == null ? 0 : e.line(), 0, lineText, what);
  }

  /**
   * This config with {@code key} set to {@code value}: the first setting of the key takes the
   * value (keeping its comments and place) and later settings of it are dropped; a key not set yet
   * is appended.
   */
  public DomainConfig with(String key, ConfigValue value) {
    List<Entry> out = new ArrayList<>();
    boolean done = false;
    for (Entry e : entries) {
      if (!e.key().equals(key)) {
        out.add(e);
      } else if (!done) {
        out.add(e.asAssignment(value));
        done = true;
      }
    }
    if (!done) {
      out.add(Entry.of(key, value));
    }
    return new DomainConfig(dialect, out, trailer, trailerSource, sourceName);
  }

  /** This config without any setting of {@code key} (the comments before them go too). */
  public DomainConfig without(String key) {
    List<Entry> out = entries.stream().filter(e -> !e.key().equals(key)).toList();
    return new DomainConfig(dialect, out, trailer, trailerSource, sourceName);
  }

  /** This config with {@code entry} appended. */
  public DomainConfig plus(Entry entry) {
    List<Entry> out = new ArrayList<>(entries);
    out.add(entry);
    return new DomainConfig(dialect, out, trailer, trailerSource, sourceName);
  }

  /**
   * The same settings in another dialect, rendered afresh. To xl: booleans become {@code 1}/{@code 0},
   * numbers xl cannot write (negative, fractional) become strings, which xl reads as numbers. To
   * xm: {@code +=} settings are folded into the effective value.
   */
  public DomainConfig toDialect(Dialect target) {
    if (target == dialect) {
      return this;
    }
    List<Entry> out = new ArrayList<>();
    if (target == Dialect.XM) {
      Set<String> seen = new LinkedHashSet<>();
      for (Entry e : entries) {
        if (seen.add(e.key())) {
          out.add(e.asAssignment(get(e.key()).orElseThrow()));
        }
      }
    } else {
      entries.forEach(e -> out.add(e.withoutSource()));
    }
    return new DomainConfig(target, out, trailer, null, sourceName);
  }

  /** The config as text in its dialect; unchanged settings keep their original text. */
  public String render() {
    return ConfigWriter.render(this);
  }

  /** Writes {@link #render()} atomically, keeping the previous file as {@code <name>.bak}. */
  public void write(Path file) {
    AtomicFiles.write(file, render());
  }

  /** Writes {@link #render()} atomically with the given backup policy. */
  public void write(Path file, AtomicFiles.Backup backup) {
    AtomicFiles.write(file, render(), backup);
  }

  Optional<String> trailerSource() {
    return Optional.ofNullable(trailerSource);
  }

  // ---------------------------------------------------------------- typed view

  /** {@code name}: the domain name. Missing or invalid is an error naming the line. */
  public DomainName name() {
    String n = getString("name").orElseThrow(() -> problem(null, "no 'name' setting"));
    if (!DomainName.isValid(n)) {
      try {
        DomainName.of(n);
      } catch (RuntimeException e) {
        throw problem(last("name"), e.getMessage());
      }
    }
    return DomainName.of(n);
  }

  /** {@code memory}: the initial memory in MiB. */
  public OptionalLong memoryMib() {
    return getLong("memory");
  }

  /** {@code maxmem}: the most memory the domain may balloon up to, in MiB. */
  public OptionalLong maxMemoryMib() {
    return getLong("maxmem");
  }

  /** {@code vcpus}: the number of virtual CPUs started with. */
  public OptionalInt vcpus() {
    OptionalLong v = getLong("vcpus");
    return v.isPresent() ? OptionalInt.of(Math.toIntExact(v.getAsLong())) : OptionalInt.empty();
  }

  /**
   * The guest type: xl's {@code type} ({@code pv}, {@code pvh}, {@code hvm}), or for older files
   * {@code builder = 'hvm'} (xm, xl before 4.10) which means {@code hvm}; empty when neither is set
   * (a PV guest then).
   */
  public Optional<String> guestType() {
    Optional<String> type = getString("type");
    if (type.isPresent()) {
      return type;
    }
    return getString("builder").map(b -> b.equals("linux") || b.equals("generic") ? "pv" : b);
  }

  /** {@code disk}: every disk spec, parsed. A malformed spec is an error naming the line. */
  public List<DiskSpec> disks() {
    List<DiskSpec> out = new ArrayList<>();
    for (String s : getStrings("disk")) {
      try {
        out.add(DiskSpec.parse(s));
      } catch (IllegalArgumentException e) {
        throw problem(last("disk"), "disk spec '" + s + "': " + e.getMessage());
      }
    }
    return out;
  }

  /** {@code vif}: every network interface spec, parsed. A malformed spec is an error naming the line. */
  public List<VifSpec> vifs() {
    List<VifSpec> out = new ArrayList<>();
    for (String s : getStrings("vif")) {
      try {
        out.add(VifSpec.parse(s));
      } catch (IllegalArgumentException e) {
        throw problem(last("vif"), "vif spec '" + s + "': " + e.getMessage());
      }
    }
    return out;
  }

  /** The bridges the domain's vifs name, in order (a vif without {@code bridge=} is not counted). */
  public Set<InterfaceName> bridges() {
    Set<InterfaceName> out = new LinkedHashSet<>();
    vifs().forEach(v -> v.bridge().ifPresent(out::add));
    return out;
  }

  /** This config with {@code name} set (in place if it was set). */
  public DomainConfig withName(DomainName name) {
    return with("name", new ConfigValue.Str(name.value()));
  }

  /** This config with {@code memory} set, in MiB. */
  public DomainConfig withMemoryMib(long mib) {
    return with("memory", new ConfigValue.Num(Long.toString(mib)));
  }

  /** This config with {@code vcpus} set. */
  public DomainConfig withVcpus(int vcpus) {
    return with("vcpus", new ConfigValue.Num(Integer.toString(vcpus)));
  }

  /** This config with {@code disk} set to these specs (an empty list removes the key). */
  public DomainConfig withDisks(List<DiskSpec> disks) {
    return disks.isEmpty() ? without("disk")
        : with("disk", ConfigValue.strings(disks.stream().map(DiskSpec::toString).toList()));
  }

  /** This config with {@code vif} set to these specs (an empty list removes the key). */
  public DomainConfig withVifs(List<VifSpec> vifs) {
    return vifs.isEmpty() ? without("vif")
        : with("vif", ConfigValue.strings(vifs.stream().map(VifSpec::toString).toList()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainConfig c && c.dialect == dialect && c.entries.equals(entries) && c.trailer.equals(trailer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dialect, entries, trailer);
  }

  /** The rendered config. */
  @Override
  public String toString() {
    return render();
  }
}
