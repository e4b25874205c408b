package dev.midplane.xen.sxp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An S-expression as xend writes them ({@code xend-config.sxp}, {@code xm list --long}, the SXP
 * form of old {@code xl list -l}): an {@link SxpAtom} or an {@link SxpList}. Whether an atom was
 * quoted in the text is not part of the value.
 *
 * <pre>{@code
 * SxpList dom = (SxpList) Sxp.parse("(domain (domid 3) (name vm1) (memory 512))");
 * dom.value("name")            // Optional[vm1]
 * Sxp.render(dom)              // multi-line, as xend pretty-prints
 * }</pre>
 */
public sealed interface Sxp permits SxpAtom, SxpList {

  /** Parses exactly one expression (comments and whitespace around it allowed). */
  static Sxp parse(String text) {
    List<Sxp> all = parseAll(text, "S-expression");
    if (all.size() != 1) {
      throw new dev.midplane.xen.text.ParseFailedException("S-expression", 0, 0, "",
          "expected exactly one expression, found " + all.size());
    }
    return all.get(0);
  }

  /**
   * Parses every top-level expression of {@code text}, in order.
   *
   * @param source names the text in errors ({@code "`xm list --long` output"}, a path)
   * @throws dev.midplane.xen.text.ParseFailedException with line and column for unbalanced
   *     parentheses (a truncated text), unterminated strings and bad escapes
   */
  static List<Sxp> parseAll(String text, String source) {
    List<Sxp> out = new ArrayList<>();
    new SxpReader(text, source).readAll().forEach(p -> out.add(p.expression()));
    return out;
  }

  /** An atom. */
  static SxpAtom atom(String value) {
    return new SxpAtom(value);
  }

  /** A list of atoms and lists; strings become atoms. */
  static SxpList list(Object... items) {
    List<Sxp> out = new ArrayList<>();
    for (Object o : items) {
      out.add(o instanceof Sxp s ? s : new SxpAtom(Objects.toString(o)));
    }
    return new SxpList(out);
  }

  /** {@code (head value...)}: a list starting with the atom {@code head}. */
  static SxpList entry(String head, String... values) {
    List<Sxp> out = new ArrayList<>();
    out.add(new SxpAtom(head));
    Arrays.stream(values).forEach(v -> out.add(new SxpAtom(v)));
    return new SxpList(out);
  }

  /** The expression on one line: {@code (domain (domid 3) (name vm1))}. */
  static String compact(Sxp sxp) {
    StringBuilder b = new StringBuilder();
    SxpWriter.compact(sxp, b);
    return b.toString();
  }

  /** The expression laid out as xend prints it: lists holding lists span lines, indented by four. */
  static String render(Sxp sxp) {
    StringBuilder b = new StringBuilder();
    SxpWriter.pretty(sxp, b, 0);
    return b.toString();
  }

  /** This expression as an atom's text, if it is one. */
  default Optional<String> asAtom() {
    return this instanceof SxpAtom a ? Optional.of(a.value()) : Optional.empty();
  }
}
