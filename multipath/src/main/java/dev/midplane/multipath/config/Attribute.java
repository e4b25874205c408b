package dev.midplane.multipath.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A keyword and its value, such as {@code polling_interval 2} or {@code wwid "^3600a0b8$"}.
 *
 * <p>{@code value} is the value as multipath-tools sees it: quotes removed, {@code ""} inside a
 * quoted value turned into one {@code "}. {@code quoted} records only how the value was (or should
 * be) written; it is not part of {@link #equals(Object)}, since multipath-tools does not
 * distinguish {@code alias vm1} from {@code alias "vm1"}. A value that cannot be written unquoted
 * (empty, with spaces, quotes, {@code #}, {@code !}, braces) is always quoted on output.
 *
 * @param keyword the keyword: printable ASCII without spaces, quotes, braces or comment markers
 * @param value the value: printable ASCII and spaces
 * @param comment an optional comment at the end of the line
 * @param quoted whether the writer quotes the value
 */
public record Attribute(String keyword, String value, Optional<Comment> comment, boolean quoted) implements ConfigNode {
  public Attribute {
    Tokens.requireWord("keyword", keyword);
    Tokens.requireValue(keyword, value);
    Objects.requireNonNull(comment, "comment");
  }

  /**
   * An attribute written the way {@code multipath -t} writes it: quoted unless the value is an
   * integer.
   */
  public static Attribute of(String keyword, String value) {
    return new Attribute(keyword, value, Optional.empty(), !Tokens.isInteger(value));
  }

  /** This attribute with another value, keeping its comment and quoting style. */
  public Attribute withValue(String newValue) {
    return new Attribute(keyword, newValue, comment, quoted || !Tokens.isInteger(newValue) && !Tokens.isBareWord(newValue));
  }

  /** This attribute with a comment at the end of its line. */
  public Attribute withComment(Comment c) {
    return new Attribute(keyword, value, Optional.of(c), quoted);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribute a && a.keyword.equals(keyword) && a.value.equals(value) && a.comment.equals(comment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyword, value, comment);
  }

  /** The attribute as one line of {@code multipath.conf}, without indentation. */
  @Override
  public String toString() {
    return ConfigWriter.attributeLine(this);
  }
}
