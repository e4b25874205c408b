package dev.midplane.multipath.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A section such as {@code defaults { … }} or a sub-section such as {@code device { … }}: a name,
 * its children in file order, and an optional comment at the end of its opening line. Immutable;
 * the {@code with…} methods return modified copies.
 *
 * @param name the section keyword ({@code defaults}, {@code multipath}, or an unknown word that is
 *     kept as it was read)
 * @param children attributes, sub-sections and comments in order
 * @param comment an optional comment after the opening brace
 */
public record Section(String name, List<ConfigNode> children, Optional<Comment> comment) implements ConfigNode {
  public Section {
    Tokens.requireWord("section name", name);
    children = List.copyOf(children);
    Objects.requireNonNull(comment, "comment");
  }

  /** A section with the given children and no comment. */
  public static Section of(String name, List<? extends ConfigNode> children) {
    return new Section(name, List.copyOf(children), Optional.empty());
  }

  /** A section with the given children and no comment. */
  public static Section of(String name, ConfigNode... children) {
    return of(name, List.of(children));
  }

  /** The attributes directly in this section, in order. */
  public List<Attribute> attributes() {
    return children.stream().filter(Attribute.class::isInstance).map(Attribute.class::cast).toList();
  }

  /** The attributes with this keyword, in order. */
  public List<Attribute> attributes(String keyword) {
    return attributes().stream().filter(a -> a.keyword().equals(keyword)).toList();
  }

  /** The values of every attribute with this keyword, in order (blacklist entries repeat). */
  public List<String> values(String keyword) {
    return attributes(keyword).stream().map(Attribute::value).toList();
  }

  /**
   * The value of {@code keyword}; when it appears more than once, the last one, which is the one
   * multipath-tools uses (it warns about the duplicate).
   */
  public Optional<String> value(String keyword) {
    List<Attribute> all = attributes(keyword);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).value());
  }

  /** The direct sub-sections, in order. */
  public List<Section> sections() {
    return children.stream().filter(Section.class::isInstance).map(Section.class::cast).toList();
  }

  /** The direct sub-sections with this name, in order. */
  public List<Section> sections(String sectionName) {
    return sections().stream().filter(s -> s.name().equals(sectionName)).toList();
  }

  /** True when the section has no attributes and no sub-sections (comments do not count). */
  public boolean isEmpty() {
    return children.stream().noneMatch(c -> c instanceof Attribute || c instanceof Section);
  }

  /** This section with other children. */
  public Section withChildren(List<? extends ConfigNode> newChildren) {
    return new Section(name, List.copyOf(newChildren), comment);
  }

  /** This section with {@code node} appended. */
  public Section with(ConfigNode node) {
    List<ConfigNode> list = new ArrayList<>(children);
    list.add(Objects.requireNonNull(node, "node"));
    return withChildren(list);
  }

  /**
   * This section with exactly one {@code keyword} attribute of value {@code value}: the first
   * existing one is updated in place (keeping its comment), later duplicates are dropped, and when
   * there is none it is appended.
   */
  public Section withValue(String keyword, String value) {
    List<ConfigNode> list = new ArrayList<>();
    boolean done = false;
    for (ConfigNode c : children) {
      if (c instanceof Attribute a && a.keyword().equals(keyword)) {
        if (!done) {
          list.add(a.withValue(value));
          done = true;
        }
      } else {
        list.add(c);
      }
    }
    if (!done) {
      list.add(Attribute.of(keyword, value));
    }
    return withChildren(list);
  }

  /** This section without the children that match {@code drop}. */
  public Section without(Predicate<? super ConfigNode> drop) {
    return withChildren(children.stream().filter(drop.negate()).toList());
  }

  /** This section without any {@code keyword} attribute. */
  public Section withoutKeyword(String keyword) {
    return without(c -> c instanceof Attribute a && a.keyword().equals(keyword));
  }

  /** The section as {@code multipath.conf} text, indented from column 0. */
  @Override
  public String toString() {
    return ConfigWriter.write(List.of(this));
  }
}
